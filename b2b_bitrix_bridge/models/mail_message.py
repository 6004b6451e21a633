import datetime
import logging

from odoo import api, fields, models, tools

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
        Bitrix24 busy or down makes the job retry; a message already sent is not sent again."""
        api_model = self.env["b2b.bitrix.api"]
        for message in self.sudo():
            if message.b2b_bitrix_state != "queued":
                continue
            settings = api_model._b2b_settings()
            item = message._b2b_bitrix_item()
            result = api_model._b2b_job_call("imconnector.send.messages", chat.send_messages_params(
                settings["connector_id"], settings["line_id"], [item]), app=True)
            ok, error = chat.sent_results(result).get(item["message"]["id"], (True, ""))
            message.write({"b2b_bitrix_external_id": item["message"]["id"],
                           "b2b_bitrix_state": "sent" if ok else "failed",
                           "b2b_bitrix_error": error or False})
            if not ok:
                _logger.warning("Bitrix24 refused the dealer's chat message %s: %s", message.id, error)
        return True

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
