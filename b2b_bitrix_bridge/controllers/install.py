import logging
from urllib.parse import urlsplit

from odoo import http
from odoo.http import Response, request

from ..lib.errors import BitrixError
from ..lib.events import nested

_logger = logging.getLogger(__name__)


class BitrixInstall(http.Controller):

    @http.route("/b2b/bitrix/install", type="http", auth="none", methods=["POST"], csrf=False)
    def bitrix_install(self, **_kw):
        """Installation of the portal's local application: Bitrix24 posts the first tokens.

        The post is believed only when it comes for the portal of the configured webhook and its
        access token works there (``profile`` answers); then the tokens are kept and the events and
        the chat connector are set up."""
        form = nested(request.httprequest.form.items(multi=True))
        auth = form.get("auth") or {}
        if not isinstance(auth, dict):
            auth = {}
        # the application's own form: AUTH_ID, REFRESH_ID, member_id, DOMAIN (placement call)
        if not auth and form.get("AUTH_ID"):
            auth = {"access_token": form.get("AUTH_ID"), "refresh_token": form.get("REFRESH_ID"),
                    "member_id": form.get("member_id"), "domain": request.params.get("DOMAIN"),
                    "expires_in": form.get("AUTH_EXPIRES")}
        Api = request.env["b2b.bitrix.api"].sudo()
        webhook = Api._b2b_settings()["webhook_url"]
        endpoint = auth.get("client_endpoint") or ""
        expected = urlsplit(webhook).netloc if webhook else ""
        if not auth.get("access_token") or not expected or urlsplit(endpoint).netloc != expected:
            _logger.warning("Bitrix24 installation refused: not for the configured portal (%s)",
                            endpoint or auth.get("domain"))
            return _text(403, "Forbidden: the installation is not for the configured Bitrix24 "
                              "portal / Доступ запрещён: установка не для настроенного портала Bitrix24")
        Token = request.env["b2b.bitrix.token"].sudo()
        previous = Token._b2b_tokens()
        # the token store reads with a cursor of its own: the new tokens must be committed
        Token._b2b_install(auth)
        request.env.cr.commit()
        try:
            Api._b2b_call("profile", app=True)
        except BitrixError as exc:
            _logger.warning("Bitrix24 installation refused: its token does not work (%s)", exc)
            if previous.get("access_token"):
                Token._b2b_install(previous)
            else:
                Token.search([]).unlink()
            request.env.cr.commit()
            return _text(403, "Forbidden: the access token does not work on the portal / "
                              "Доступ запрещён: токен доступа не работает на портале")
        outcome = Api._b2b_subscribe()
        failed = ["%s: %s" % (what, detail) for what, ok, detail in outcome if not ok]
        if failed:
            _logger.warning("Bitrix24 installation: %s", "; ".join(failed))
        return _text(200, "OK")


def _text(status, text):
    return Response(text, status=status, content_type="text/plain; charset=utf-8")
