"""The chat of a dealer's users with their manager, on every portal page and on /b2b/chat.

Every route finds the chat from who asks (the dealer of the logged-in user), never from what the
request names: a dealer's user reaches its own dealer's chat only. The manager answers in
Bitrix24; the replies come into the same channel (b2b_bitrix_bridge) and are pushed to the
dealer's users over Odoo's bus on their own partner channel. The page works without JavaScript:
the form posts to /b2b/chat/post and comes back to /b2b/chat.

Files of the chat are served by b2b_bitrix_bridge's /b2b/chat/file/<id>?token=...: the token is a
signature of that one file of that one chat (mail.channel._b2b_file_token), so the link works for
Bitrix24 without a login and a file of another chat is not reachable by changing the id."""
import json

import werkzeug.exceptions

from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request
from odoo.tools import config

from odoo.addons.bus.models import bus

from odoo.addons.b2b_portal.controllers.portal_base import B2bPortal

HISTORY_LIMIT = 30


def _as_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class B2bChatPortal(B2bPortal):

    # ------------------------------------------------------------------ the frame
    def _prepare_b2b_layout_values(self, **values):
        """Every page shows the chat button with the number of the manager's unread messages."""
        result = super(B2bChatPortal, self)._prepare_b2b_layout_values(**values)
        user = result.get("b2b_user")
        if "b2b_chat_unread" not in values:
            result["b2b_chat_unread"] = user._b2b_chat_unread() if user else 0
        result["b2b_chat_bus"] = self._chat_bus_here()
        return result

    def _chat_bus_here(self):
        """Whether /longpolling/poll answers on this host: this process serves the bus itself (a
        server without workers), or a reverse proxy (proxy_mode) routes /longpolling/ to Odoo's
        long-polling port, as README's set-up has it. Otherwise the page does not call it (each
        call would fail with an error in the log) and asks the unread count instead."""
        return bool(bus.dispatch) or bool(config.get("proxy_mode"))

    # ------------------------------------------------------------------ helpers
    def _chat_channel(self, create=True):
        """(dealer user, the chat of the user's dealer); 404 for anyone else."""
        user = self._b2b_ensure_dealer()
        try:
            channel = request.env["mail.channel"].sudo()._b2b_user_channel(user, create=create)
        except AccessError:
            raise werkzeug.exceptions.NotFound()
        return user, channel

    def _chat_state(self, user, channel, before_id=None):
        if not channel:
            return {"messages": [], "more": False, "unread": 0, "last_id": 0}
        messages, more = channel._b2b_messages(before_id=before_id, limit=HISTORY_LIMIT)
        return {
            "messages": [channel._b2b_message_values(m, user.partner_id) for m in messages],
            "more": more,
            "unread": request.env["mail.channel"]._b2b_unread_count(user),
            "last_id": messages[-1:].id or 0,
        }

    # ------------------------------------------------------------------ the page
    @http.route("/b2b/chat", type="http", auth="user", website=False)
    def chat_page(self, before=None, **kw):
        """The conversation with the manager (the latest messages, older ones by ``before``),
        marked read, and the form to write."""
        user, channel = self._chat_channel()
        state = self._chat_state(user, channel, before_id=_as_id(before))
        if state["messages"] and not _as_id(before):
            channel._b2b_mark_read(user.partner_id)
            state["unread"] = 0
        notice = request.session.pop("b2b_chat_notice", None)
        error = request.session.pop("b2b_chat_error", None)
        return request.render("b2b_portal_bitrix.chat_page", self._prepare_b2b_layout_values(
            page_name="b2b_chat", chat=state, chat_manager=user.partner_id.b2b_dealer_id.b2b_manager_id,
            b2b_chat_unread=state["unread"], notice=notice, error=error))

    @http.route("/b2b/chat/post", type="http", auth="user", methods=["POST"], website=False)
    def chat_post(self, text=None, attachments=None, **kw):
        """Post the dealer's message (text and/or files) to the manager. A form posts and comes
        back to the page; the panel's script (``json=1``) gets the message as JSON."""
        user, channel = self._chat_channel()
        uploads = request.httprequest.files.getlist("attachments")
        files = []
        for upload in uploads:
            if upload and upload.filename:
                files.append((upload.filename, upload.read(), upload.mimetype or None))
        message, error = self._b2b_attempt(channel._b2b_dealer_post, user, text or "", files)
        if kw.get("json"):
            if error:
                return self._chat_json({"error": error}, 400)
            channel._b2b_mark_read(user.partner_id, message.id)
            return self._chat_json({"message": channel._b2b_message_values(message, user.partner_id)})
        if error:
            request.session["b2b_chat_error"] = error
        return self._b2b_redirect("/b2b/chat")

    @http.route("/b2b/chat/resend/<int:message_id>", type="http", auth="user", methods=["POST"],
                website=False)
    def chat_resend(self, message_id, **kw):
        """Send again a message of the chat Bitrix24 refused ("Send again" under it): queued at
        once, shown as being sent. A message sent or queued already is left as it is; a message
        that is not one of the dealer's users' in the caller's own chat answers 404. The form
        comes back to the page; the panel's script (``json=1``) gets the message as JSON."""
        user, channel = self._chat_channel(create=False)
        message = request.env["mail.message"].sudo().browse()
        if channel:
            message = message.search([
                ("id", "=", message_id), ("model", "=", "mail.channel"),
                ("res_id", "=", channel.id), ("message_type", "=", "comment"),
                ("b2b_bitrix_state", "in", ("queued", "sent", "failed"))], limit=1)
        if not message:
            raise werkzeug.exceptions.NotFound()
        message._b2b_bitrix_queue_resend()
        if kw.get("json"):
            return self._chat_json({"message": channel._b2b_message_values(message, user.partner_id)})
        return self._b2b_redirect("/b2b/chat")

    def _chat_json(self, values, status=200):
        response = request.make_response(json.dumps(values), headers=[
            ("Content-Type", "application/json; charset=utf-8"), ("Cache-Control", "no-store")])
        response.status_code = status
        return response

    # ------------------------------------------------------------------ the panel's JSON
    @http.route("/b2b/chat/history", type="json", auth="user", website=False)
    def chat_history(self, before_id=None, **kw):
        """The latest messages, or those before ``before_id``; {messages, more, unread, last_id}."""
        user, channel = self._chat_channel(create=False)
        return self._chat_state(user, channel, before_id=_as_id(before_id))

    @http.route("/b2b/chat/read", type="json", auth="user", website=False)
    def chat_read(self, message_id=None, **kw):
        """Mark the chat read up to ``message_id`` (or all of it); {unread}."""
        user, channel = self._chat_channel(create=False)
        if channel:
            channel._b2b_mark_read(user.partner_id, _as_id(message_id))
        return {"unread": request.env["mail.channel"]._b2b_unread_count(user)}

    @http.route("/b2b/chat/unread", type="json", auth="user", website=False)
    def chat_unread(self, **kw):
        """{unread, last_id}: the manager's messages the user has not read, and the chat's last
        message (the bus's fallback: a newer message than the panel shows is fetched)."""
        user, channel = self._chat_channel(create=False)
        last = channel and channel._b2b_messages(limit=1)[0]
        return {"unread": request.env["mail.channel"]._b2b_unread_count(user),
                "last_id": last.id if last else 0}
