import logging

from odoo import http
from odoo.http import Response, request

from ..lib.events import TOKEN_KEY, EventFormError

_logger = logging.getLogger(__name__)


class BitrixEventIntake(http.Controller):

    @http.route("/b2b/bitrix/event", type="http", auth="none", methods=["POST"], csrf=False)
    def bitrix_event(self, **_kw):
        """Outbound webhook of Bitrix24: record the event, answer quickly.

        Bitrix24 cannot carry a CSRF token or a session; what proves the post comes from the
        portal is ``auth[application_token]``, checked against the configured token.
        """
        form = request.httprequest.form.to_dict()
        Event = request.env["b2b.bitrix.event"].sudo()
        if not Event._token_accepted(form.get(TOKEN_KEY)):
            _logger.warning("Bitrix24 event refused: wrong or missing application token (from %s)",
                            request.httprequest.remote_addr)
            return _text(403, "Forbidden: wrong or missing application token / "
                              "Доступ запрещён: неверный или отсутствующий токен приложения")
        try:
            Event._record_delivery(form)
        except EventFormError as exc:
            _logger.warning("Bitrix24 event refused: %s", exc.message_en)
            return _text(400, str(exc))
        return _text(200, "OK")


def _text(status, text):
    return Response(text, status=status, content_type="text/plain; charset=utf-8")
