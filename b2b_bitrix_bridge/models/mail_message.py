import datetime
import logging

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from odoo.addons.queue_job.job import job

from ..lib import chat

_logger = logging.getLogger(__name__)

CHAT_STATES = [
    ("queued", "Waiting to be sent to Bitrix24"),
    ("sent", "Sent to Bitrix24"),
    ("failed", "Refused by Bitrix24"),
    ("received", "Received from Bitrix24"),
    ("acknowledged", "Received, delivery confirmed to Bitrix24"),
]


def unix_time(value):
    """Unix time of an Odoo UTC datetime string."""
    moment = fields.Datetime.from_string(value) if value else datetime.datetime.utcnow()
    return int((moment - datetime.datetime(1970, 1, 1)).total_seconds())


class MailMessage(models.Model):
    """Messages of a dealer's chat (mail.channel with b2b_dealer_id) keep their Bitrix24 ids: the id
    a dealer's message was sent under, and the open-lines ids of a manager's reply, which is stored
    once per chat however often Bitrix24 delivers it."""

    _inherit = "mail.message"

    b2b_bitrix_external_id = fields.Char(
        "Bitrix24 external ID", readonly=True, copy=False,
        help="The id under which the dealer's message was sent to Bitrix24 (odoo-<message id>).")
    b2b_bitrix_im_chat_id = fields.Char("Bitrix24 chat ID", readonly=True, copy=False)
    b2b_bitrix_im_message_id = fields.Char(
        "Bitrix24 message ID", readonly=True, copy=False,
        help="Bitrix24's id of the manager's message (im message id); one message per id and chat.")
    b2b_bitrix_state = fields.Selection(CHAT_STATES, "Bitrix24 delivery", readonly=True, copy=False,
                                        index=True)
    b2b_bitrix_error = fields.Char("Bitrix24 error", readonly=True, copy=False)
    b2b_bitrix_attempts = fields.Integer(
        "Sending attempts", readonly=True, copy=False,
        help="How many times the dealer's message was sent to Bitrix24 and answered.")
    b2b_bitrix_retry_at = fields.Datetime(
        "Next attempt", readonly=True, copy=False,
        help="When the message Bitrix24 refused is sent again by itself; empty when it is not "
             "sent again by itself any more (the dealer or the manager may send it again).")

    @api.model_cr
    def init(self):
        # the same reply of the manager (im message id) is stored once in a chat
        tools.create_unique_index(self.env.cr, "mail_message_b2b_bitrix_im_unique", self._table,
                                  ["model", "res_id", "b2b_bitrix_im_message_id"])

    # ------------------------------------------------------------------ dealer -> Bitrix24
    @api.multi
    def _b2b_bitrix_item(self):
        """The imconnector.send.messages item of this dealer's message."""
        self.ensure_one()
        channel = self.env["mail.channel"].sudo().browse(self.res_id)
        dealer = channel.b2b_dealer_id
        author = self.author_id
        base_url = self.env["b2b.bitrix.api"]._b2b_settings()["base_url"]
        files = [(base_url + channel._b2b_file_path(attachment), attachment.name)
                 for attachment in self.attachment_ids.sorted("id")]
        text = tools.html2plaintext(self.body or "").strip() if self.body else ""
        return chat.outgoing_item(
            self.id, unix_time(self.date), text, files,
            {"partner_id": author.id, "name": author.name, "email": author.email,
             "phone": author.phone or author.mobile},
            {"dealer_id": dealer.id, "name": dealer.name, "url": base_url + "/b2b/chat"})

    @api.multi
    @job(default_channel="root.b2b_bitrix")
    def _b2b_bitrix_send(self):
        """Send this dealer's message to the dealer's manager in Bitrix24 (imconnector.send.messages);
        Bitrix24 busy or down makes the job retry; a message already sent is not sent again.

        A message Bitrix24 refuses is kept as refused with Bitrix24's error and sent again by
        itself after 1, 5 and 30 minutes (lib/chat.py RESEND_DELAYS, the cron
        :meth:`_b2b_bitrix_resend_due`); the dealer's users see it is not delivered, and see it
        again when a later attempt delivers it. It goes under the same id (odoo-<id>) each time."""
        api_model = self.env["b2b.bitrix.api"]
        for message in self.sudo():
            # one sending of a message at a time: a second job waits here, then finds it sent
            self.env.cr.execute("SELECT id FROM mail_message WHERE id = %s FOR UPDATE",
                                (message.id,))
            message.invalidate_cache(ids=message.ids)
            if message.b2b_bitrix_state != "queued":
                continue
            settings = api_model._b2b_settings()
            item = message._b2b_bitrix_item()
            result = api_model._b2b_job_call("imconnector.send.messages", chat.send_messages_params(
                settings["connector_id"], settings["line_id"], [item]), app=True)
            ok, error = chat.sent_results(result).get(item["message"]["id"], (True, ""))
            attempts = message.b2b_bitrix_attempts + 1
            values = {"b2b_bitrix_external_id": item["message"]["id"],
                      "b2b_bitrix_state": "sent" if ok else "failed",
                      "b2b_bitrix_error": error or False,
                      "b2b_bitrix_attempts": attempts, "b2b_bitrix_retry_at": False}
            if not ok:
                delay = chat.resend_delay(attempts)
                if delay:
                    values["b2b_bitrix_retry_at"] = fields.Datetime.to_string(
                        datetime.datetime.utcnow() + datetime.timedelta(minutes=delay))
            message.write(values)
            if not ok:
                _logger.warning("Bitrix24 refused the dealer's chat message %s (attempt %d): %s",
                                message.id, attempts, error)
            if not ok or attempts > 1:
                # the dealer's users see the mark appear, or go when it is delivered at last
                channel = self.env["mail.channel"].sudo().browse(message.res_id)
                channel._b2b_notify_dealer_users(message)
        return True

    @api.model
    def _b2b_bitrix_resend_due(self, now=None):
        """Send again the dealers' messages Bitrix24 refused whose next attempt is due (the cron,
        every minute); ``now`` an Odoo UTC datetime string (default: now)."""
        due = self.sudo().search([
            ("b2b_bitrix_state", "=", "failed"), ("b2b_bitrix_retry_at", "!=", False),
            ("b2b_bitrix_retry_at", "<=", now or fields.Datetime.now())], order="id")
        return due._b2b_bitrix_queue_resend()

    @api.multi
    def _b2b_bitrix_queue_resend(self):
        """Queue the sending again of those of these messages Bitrix24 refused (a message sent
        or already queued is left alone); returns the messages queued."""
        refused = self.sudo().filtered(lambda m: m.b2b_bitrix_state == "failed")
        refused.write({"b2b_bitrix_state": "queued", "b2b_bitrix_retry_at": False})
        for message in refused:
            message.with_delay(description="Chat message %d to the manager, again" % message.id
                               )._b2b_bitrix_send()
        return refused

    @api.multi
    def action_b2b_bitrix_resend(self):
        """The manager's button: send again the messages of the selection Bitrix24 refused."""
        self.check_access_rights("read")
        self.check_access_rule("read")
        if not self._b2b_bitrix_queue_resend():
            raise UserError(_("Only a message Bitrix24 refused can be sent again."))
        return True

    @api.multi
    def _b2b_bitrix_delivery(self):
        """What the dealer's users are shown of this message's delivery to the manager:
        "failed" (Bitrix24 refused it), "sending" (queued again after a refusal) or ""."""
        self.ensure_one()
        if self.b2b_bitrix_state == "failed":
            return "failed"
        if self.b2b_bitrix_state == "queued" and self.b2b_bitrix_attempts:
            return "sending"
        return ""

    # ------------------------------------------------------------------ Bitrix24 -> dealer
    @api.multi
    @job(default_channel="root.b2b_bitrix")
    def _b2b_bitrix_acknowledge(self):
        """Tell Bitrix24 these replies of the manager reached the portal
        (imconnector.send.status.delivery); retried while Bitrix24 is busy or down."""
        messages = self.sudo().filtered(lambda m: m.b2b_bitrix_state == "received")
        if not messages:
            return True
        api_model = self.env["b2b.bitrix.api"]
        settings = api_model._b2b_settings()
        delivered = []
        for message in messages:
            channel = self.env["mail.channel"].sudo().browse(message.res_id)
            incoming = chat.IncomingMessage(
                chat_id=chat.dealer_chat_id(channel.b2b_dealer_id.id),
                im_chat_id=message.b2b_bitrix_im_chat_id or "",
                im_message_id=message.b2b_bitrix_im_message_id)
            delivered.append((incoming, message.id))
        api_model._b2b_job_call("imconnector.send.status.delivery", chat.delivery_status_params(
            settings["connector_id"], settings["line_id"], delivered,
            unix_time(max(messages.mapped("date")))), app=True)
        messages.write({"b2b_bitrix_state": "acknowledged"})
        return True
