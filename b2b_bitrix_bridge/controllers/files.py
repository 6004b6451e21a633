"""Files the portal hands to Bitrix24 by link: a chat's files and a merchandising request's photos.

A Bitrix24 user opens them without an Odoo login, so each link carries a token that opens that one
file and nothing else (a chat file's signature, a request's random key); anything else is 404."""
import base64

import werkzeug.exceptions

from odoo import http
from odoo.http import content_disposition, request


def _serve(attachment, disposition):
    data = base64.b64decode(attachment.datas or b"")
    return request.make_response(data, headers=[
        ("Content-Type", attachment.mimetype or "application/octet-stream"),
        ("Content-Length", str(len(data))),
        ("Content-Disposition", disposition),
        ("X-Content-Type-Options", "nosniff"),
        ("Cache-Control", "private, max-age=3600")])


class BitrixFiles(http.Controller):

    @http.route("/b2b/chat/file/<int:attachment_id>", type="http", auth="public", website=False)
    def chat_file(self, attachment_id, token=None, **kw):
        """One file of a dealer's chat, for whoever holds its link (the dealer's users, Bitrix24)."""
        attachment = request.env["mail.channel"].sudo()._b2b_file_by_token(attachment_id, token)
        if not attachment:
            raise werkzeug.exceptions.NotFound()
        return _serve(attachment, content_disposition(attachment.datas_fname or attachment.name))

    @http.route("/b2b/merch/photo/<int:attachment_id>", type="http", auth="public",
                website=False)
    def merch_photo(self, attachment_id, token=None, **kw):
        """A request's photo by its link (the request's key in ``token``): what a Bitrix24 user
        opens from the lead, and the dealer's own page shows."""
        photo = request.env["b2b.merch.request"].sudo()._b2b_photo_by_token(attachment_id, token)
        if not photo:
            raise werkzeug.exceptions.NotFound()
        return _serve(photo, "inline")
