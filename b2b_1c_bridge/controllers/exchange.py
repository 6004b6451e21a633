"""The URL 1C's site-exchange module calls: /b2b/1c/exchange?type=...&mode=..."""
import logging

from odoo import SUPERUSER_ID, api, http
from odoo.http import request

from ..lib import protocol
from ..lib.protocol import AuthRefused, ExchangeRefused

_logger = logging.getLogger(__name__)

TEXT = "text/plain; charset=utf-8"


class OnecExchangeController(http.Controller):

    @http.route("/b2b/1c/exchange", type="http", auth="none", methods=["GET", "POST"], csrf=False)
    def exchange(self, **params):
        """One call of the CommerceML HTTP exchange.

        Only the exchange user authenticates here (HTTP Basic at checkauth, then the session
        cookie); the route is CSRF-free because 1C cannot carry a CSRF token. No Odoo web session is
        opened for that user.
        """
        httprequest = request.httprequest
        exchange_type = httprequest.args.get("type")
        mode = httprequest.args.get("mode")
        if not request.db:
            return self._reply(503, protocol.failure(protocol.MSG_NO_DATABASE))
        env = api.Environment(request.cr, SUPERUSER_ID, {})
        Session = env["b2b.onec.exchange.session"]
        try:
            if mode == "checkauth":
                return self._checkauth(env, exchange_type)
            token = httprequest.cookies.get(protocol.COOKIE_NAME)
            body = length = None
            if mode == "file":
                refusal = self._upload_refusal(httprequest)
                if refusal is not None:
                    Session._refuse_call(token, refusal)
                body, length = httprequest.stream, httprequest.content_length
            status, answer, content_type = Session._dispatch(
                exchange_type, mode, token, filename=httprequest.args.get("filename"), body=body,
                length=length)
            return self._reply(status, answer, content_type)
        except ExchangeRefused as exc:
            lines = Session._refusal_lines(exc)
            _logger.warning("1C exchange %s/%s refused: %s", exchange_type, mode, lines[0])
            headers = []
            if isinstance(exc, AuthRefused):
                headers.append(("WWW-Authenticate", 'Basic realm="1C exchange", charset="UTF-8"'))
            return self._reply(exc.status, protocol.failure(*lines), headers=headers)

    @staticmethod
    def _upload_refusal(httprequest):
        """Why a ``mode=file`` call cannot carry a file: 1C POSTs the file's raw bytes; a form
        body cannot be turned back into them."""
        if httprequest.method != "POST":
            return ExchangeRefused(protocol.MSG_POST_REQUIRED)
        if httprequest.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            return ExchangeRefused(protocol.MSG_FORM_BODY, content_type=httprequest.mimetype)
        return None

    def _checkauth(self, env, exchange_type):
        if exchange_type not in protocol.EXCHANGE_TYPES:
            raise ExchangeRefused(protocol.MSG_UNKNOWN_TYPE, type=exchange_type or "")
        credentials = protocol.parse_basic_auth(request.httprequest.headers.get("Authorization"))
        if not credentials:
            raise AuthRefused(protocol.MSG_NO_CREDENTIALS)
        login, password = credentials
        uid = env.registry["res.users"]._login(request.db, login, password)
        if not uid:
            raise AuthRefused(protocol.MSG_BAD_CREDENTIALS)
        user = env["res.users"].browse(uid)
        Session = env["b2b.onec.exchange.session"]
        if not Session._user_may_exchange(user):
            raise AuthRefused(protocol.MSG_NOT_EXCHANGE_USER, login=login)
        session, token = Session._open_session(user, exchange_type,
                                               request.httprequest.remote_addr)
        return self._reply(200, protocol.checkauth_success(token))

    @staticmethod
    def _reply(status, body, content_type=TEXT, headers=()):
        data = body if isinstance(body, bytes) else body.encode("utf-8")
        response = request.make_response(data, headers=[("Content-Type", content_type)] + list(headers))
        response.status_code = status
        return response
