import base64
import hashlib
import hmac
import logging
import mimetypes

import psycopg2
import requests

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..lib import chat

_logger = logging.getLogger(__name__)

#: what a manager's file may weigh and how long its download may take
FILE_LIMIT = 20 * 1024 * 1024
FILE_TIMEOUT = (5, 30)
#: what one dealer's message may carry
POST_TEXT_LIMIT = 10000
POST_FILES_LIMIT = 10
FILE_ROUTE = "/b2b/chat/file/%d?token=%s"
HISTORY_LIMIT = 30


class MailChannel(models.Model):
    """The chat of a dealer's users with their manager: one private, invite-only channel per dealer
    (``b2b_dealer_id``), its members the dealer's portal users and the dealer's manager. What a
    dealer's user writes goes to the manager in Bitrix24 (open lines); the manager's replies come
    back from Bitrix24 into the channel."""

    _inherit = "mail.channel"

    b2b_dealer_id = fields.Many2one(
        "res.partner", "Dealer", index=True, readonly=True, ondelete="cascade",
        domain=[("b2b_is_dealer", "=", True)],
        help="The dealer whose users talk with their manager in this channel.")

    _sql_constraints = [
        ("b2b_dealer_unique", "unique(b2b_dealer_id)", "A dealer has one chat with its manager."),
    ]

    # ------------------------------------------------------------------ the dealer's channel
    @api.model
    def _b2b_dealer_members(self, dealer):
        """Partners who belong in the dealer's chat: its portal users and its manager."""
        users = self.env["res.users"].sudo().search([
            ("b2b_role", "!=", False), ("partner_id.b2b_dealer_id", "=", dealer.id)])
        return users.mapped("partner_id") | dealer.b2b_manager_id.partner_id

    @api.model
    def _b2b_dealer_channel(self, dealer, create=True):
        """The chat of ``dealer`` (sudo), created on demand with its members; members who joined
        the dealer since are added. Empty when there is none and ``create`` is false."""
        Channel = self.sudo()
        channel = Channel.search([("b2b_dealer_id", "=", dealer.id)], limit=1)
        if not channel and create:
            try:
                with self.env.cr.savepoint():
                    channel = Channel.with_context(mail_create_nosubscribe=True).create({
                        "name": _("Chat: %s") % dealer.name,
                        "b2b_dealer_id": dealer.id,
                        "public": "private",
                        "channel_type": "channel",
                        "email_send": False,
                        "description": _("The dealer's users and their manager"),
                    })
            except psycopg2.IntegrityError:
                # another request made it at the same moment
                channel = Channel.search([("b2b_dealer_id", "=", dealer.id)], limit=1)
        if channel:
            # the members are exactly the dealer's users and its manager: a user who left the
            # dealer or a former manager no longer hears the chat (the bus tells members)
            wanted = self._b2b_dealer_members(dealer)
            members = channel.channel_partner_ids
            if wanted != members:
                channel.write({"channel_partner_ids": [(4, p.id) for p in wanted - members]
                               + [(3, p.id) for p in members - wanted]})
        return channel

    @api.model
    def _b2b_user_channel(self, user, create=True):
        """The chat of the dealer ``user`` (res.users) belongs to; AccessError for anyone else."""
        user = user.sudo()
        dealer = user.partner_id.b2b_dealer_id
        if not user.b2b_role or not dealer:
            raise AccessError(_("Only a dealer's users have a chat with the dealer's manager."))
        return self._b2b_dealer_channel(dealer, create=create)

    # ------------------------------------------------------------------ files
    @api.model
    def _b2b_too_large(self, name):
        return _("The file %(name)s is larger than %(limit)d MB.") % {
            "name": name, "limit": FILE_LIMIT // 1048576}

    def _b2b_file_token(self, attachment_id):
        """The secret of the link to one file of this chat (only that file, only of this chat)."""
        self.ensure_one()
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        text = "b2b-chat-file:%d:%d:%s" % (self.id, attachment_id, self.uuid or "")
        return hmac.new(secret.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()

    def _b2b_file_path(self, attachment):
        return FILE_ROUTE % (attachment.id, self._b2b_file_token(attachment.id))

    @api.model
    def _b2b_file_by_token(self, attachment_id, token):
        """The attachment ``attachment_id`` of a dealer's chat when ``token`` is its link's secret
        (sudo), else an empty recordset."""
        attachment = self.env["ir.attachment"].sudo().browse(attachment_id).exists()
        if not attachment or attachment.res_model != self._name or not attachment.res_id:
            return self.env["ir.attachment"]
        channel = self.sudo().browse(attachment.res_id).exists()
        if not channel or not channel.b2b_dealer_id or not token:
            return self.env["ir.attachment"]
        if not hmac.compare_digest(channel._b2b_file_token(attachment.id), str(token)):
            return self.env["ir.attachment"]
        return attachment

    def _b2b_attach(self, files):
        """ir.attachment of this chat for ``files``: [(name, bytes, mimetype or None)]."""
        Attachment = self.env["ir.attachment"].sudo()
        attachments = Attachment.browse()
        for name, content, mimetype in files:
            name = (name or "file").replace("/", "_").replace("\\", "_")[:200]
            values = {"name": name, "datas_fname": name, "datas": base64.b64encode(content),
                      "res_model": self._name, "res_id": self.id}
            values["mimetype"] = mimetype or mimetypes.guess_type(name)[0] or \
                "application/octet-stream"
            attachments |= Attachment.create(values)
        return attachments

    # ------------------------------------------------------------------ what the portal shows
    def _b2b_message_values(self, message, viewer_partner=None):
        """A message of this chat as the portal shows it (JSON-able)."""
        self.ensure_one()
        incoming = message.b2b_bitrix_state in ("received", "acknowledged")
        return {
            "id": message.id,
            "author": message.author_id.name or "",
            "mine": bool(viewer_partner) and message.author_id == viewer_partner,
            "from_manager": incoming,
            "date": fields.Datetime.to_string(fields.Datetime.from_string(message.date)),
            "body": message.body or "",
            "state": message.b2b_bitrix_state or "",
            "delivery": message._b2b_bitrix_delivery(),
            "files": [{"name": a.name, "url": self._b2b_file_path(a),
                       "size": a.file_size or 0} for a in message.attachment_ids.sorted("id")],
        }

    def _b2b_messages(self, before_id=None, limit=HISTORY_LIMIT):
        """(messages newest last, whether older ones exist) of this chat's conversation."""
        self.ensure_one()
        domain = [("model", "=", self._name), ("res_id", "=", self.id),
                  ("message_type", "=", "comment")]
        if before_id:
            domain.append(("id", "<", int(before_id)))
        found = self.env["mail.message"].sudo().search(domain, order="id desc", limit=limit + 1)
        return found[:limit].sorted("id"), len(found) > limit

    @api.model
    def _b2b_unread_count(self, user):
        """How many of the manager's messages the dealer ``user`` has not read: those after the
        user's last read mark in the chat of the user's dealer (one query)."""
        self.env.cr.execute("""
            SELECT count(m.id)
              FROM res_users u
              JOIN res_partner p ON p.id = u.partner_id
              JOIN mail_channel c ON c.b2b_dealer_id = p.b2b_dealer_id
              JOIN mail_message m ON m.model = 'mail.channel' AND m.res_id = c.id
                                 AND m.b2b_bitrix_state IN ('received', 'acknowledged')
              LEFT JOIN mail_channel_partner cp ON cp.channel_id = c.id
                                               AND cp.partner_id = u.partner_id
             WHERE u.id = %s AND u.b2b_role IS NOT NULL
               AND m.id > COALESCE(cp.seen_message_id, 0)""", (user.id,))
        return self.env.cr.fetchone()[0]

    def _b2b_mark_read(self, partner, message_id=None):
        """Set ``partner``'s read mark in this chat at ``message_id`` (or the last message)."""
        self.ensure_one()
        last = self.env["mail.message"].sudo().search(
            [("model", "=", self._name), ("res_id", "=", self.id)]
            + ([("id", "<=", int(message_id))] if message_id else []), order="id desc", limit=1)
        membership = self.env["mail.channel.partner"].sudo().search(
            [("channel_id", "=", self.id), ("partner_id", "=", partner.id)], limit=1)
        if not membership:
            membership = membership.create({"channel_id": self.id, "partner_id": partner.id})
        if last and (not membership.seen_message_id or membership.seen_message_id.id < last.id):
            membership.seen_message_id = last.id
        return True

    # ------------------------------------------------------------------ dealer -> manager
    def _b2b_dealer_post(self, user, text, files=()):
        """Post what the dealer ``user`` wrote (``text``, ``files`` [(name, bytes, mimetype)]) in
        this chat as the user, and queue its sending to the manager in Bitrix24. UserError when
        there is nothing to send or too much."""
        self.ensure_one()
        text = (text or "").strip()
        files = [f for f in files if f[1]]
        if not text and not files:
            raise UserError(_("Write a message or attach a file."))
        if len(text) > POST_TEXT_LIMIT:
            raise UserError(_("The message is too long: at most %d characters.") % POST_TEXT_LIMIT)
        if len(files) > POST_FILES_LIMIT:
            raise UserError(_("At most %d files can be sent at once.") % POST_FILES_LIMIT)
        for name, content, _mimetype in files:
            if len(content) > FILE_LIMIT:
                raise UserError(self._b2b_too_large(name))
        channel = self.sudo()
        attachments = channel._b2b_attach(files)
        message = channel.with_context(mail_create_nosubscribe=True).message_post(
            body=chat.plain_to_html(text), author_id=user.partner_id.id, message_type="comment",
            subtype="mail.mt_comment", attachment_ids=attachments.ids, b2b_bitrix_state="queued")
        message.with_delay(description="Chat message of %s to the manager" % channel.b2b_dealer_id.name
                           )._b2b_bitrix_send()
        # the user's colleagues with the chat open see it at once
        channel._b2b_notify_dealer_users(message)
        return message

    # ------------------------------------------------------------------ manager -> dealer
    @api.model
    def _b2b_manager_user(self, dealer, operator_id):
        """The Odoo user the Bitrix24 operator ``operator_id`` is, else the dealer's manager."""
        Users = self.env["res.users"].sudo()
        if operator_id and operator_id.isdigit():
            user = Users.search([("b2b_bitrix_user_id", "=", int(operator_id))], limit=1)
            if user:
                return user
        return dealer.b2b_manager_id

    @api.model
    def _b2b_download(self, link, name):
        """(name, bytes, mimetype) of a file the manager sent, or raise UserError."""
        try:
            with requests.get(link, timeout=FILE_TIMEOUT, stream=True) as answer:
                if answer.status_code != 200:
                    raise UserError(_("The file %(name)s could not be downloaded: HTTP %(status)s")
                                    % {"name": name, "status": answer.status_code})
                declared = answer.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > FILE_LIMIT:
                    raise UserError(self._b2b_too_large(name))
                chunks, size = [], 0
                for chunk in answer.iter_content(65536):
                    size += len(chunk)
                    if size > FILE_LIMIT:
                        raise UserError(self._b2b_too_large(name))
                    chunks.append(chunk)
                mimetype = (answer.headers.get("Content-Type") or "").split(";")[0].strip()
                return name, b"".join(chunks), mimetype or None
        except requests.RequestException as exc:
            raise UserError(_("The file %(name)s could not be downloaded: %(error)s") % {
                "name": name, "error": exc})

    def _b2b_notify_dealer_users(self, message):
        """Tell the dealer's users of this chat about ``message`` (a manager's reply, or what one
        of them wrote) on their own bus channel (db, 'res.partner', partner id), which only their
        own session listens to."""
        self.ensure_one()
        dealer_partners = self.channel_partner_ids.filtered(
            lambda p: p.b2b_dealer_id == self.b2b_dealer_id)
        notifications = []
        for partner in dealer_partners:
            notifications.append([(self.env.cr.dbname, "res.partner", partner.id), {
                "type": "b2b_chat_message",
                "message": self._b2b_message_values(message, partner)}])
        if notifications:
            self.env["bus.bus"].sendmany(notifications)

    @api.model
    def _b2b_bitrix_message_event(self, event):
        """Handle ONIMCONNECTORMESSAGEADD (``event``: b2b.bitrix.event): each reply of a manager
        is posted in its dealer's chat as the manager, with the files it carries; its delivery is
        confirmed to Bitrix24 and the dealer's users are told over the bus. A reply already stored
        (same Bitrix24 message id in the chat) changes nothing. Returns what was done, as text."""
        incoming, problems = chat.parse_message_event(event._b2b_data())
        report = [str(problem) for problem in problems]
        stored = self.env["mail.message"]
        Partner = self.env["res.partner"].sudo()
        for item in incoming:
            dealer = Partner.browse(item.dealer_id).exists()
            if not dealer or not dealer.b2b_is_dealer:
                report.append("data[MESSAGES][%s][chat][id]: %s / %s" % (
                    item.index, "no dealer %s in the portal: the message is skipped" % item.chat_id,
                    "дилера %s нет на портале: сообщение пропущено" % item.chat_id))
                continue
            channel = self._b2b_dealer_channel(dealer)
            Message = self.env["mail.message"].sudo()
            duplicate = [("model", "=", self._name), ("res_id", "=", channel.id),
                         ("b2b_bitrix_im_message_id", "=", item.im_message_id)]
            if Message.search(duplicate, limit=1):
                report.append("%s: already stored" % item.key)
                continue
            files = []
            for link, name in item.files:
                try:
                    files.append(self._b2b_download(link, name))
                except UserError as exc:
                    report.append("data[MESSAGES][%s][message][files]: %s" % (item.index, exc.name))
            manager = self._b2b_manager_user(dealer, item.operator_id)
            author = manager.partner_id if manager else self.env.ref("base.partner_root")
            try:
                with self.env.cr.savepoint():
                    attachments = channel._b2b_attach(files)
                    message = channel.with_context(mail_create_nosubscribe=True).message_post(
                        body=item.html or "", author_id=author.id, message_type="comment",
                        subtype="mail.mt_comment", attachment_ids=attachments.ids,
                        b2b_bitrix_im_message_id=item.im_message_id,
                        b2b_bitrix_im_chat_id=item.im_chat_id, b2b_bitrix_state="received")
            except psycopg2.IntegrityError:
                report.append("%s: already stored" % item.key)
                continue
            channel._b2b_notify_dealer_users(message)
            stored |= message
            report.append("%s: stored as message %d" % (item.key, message.id))
        if stored:
            stored.with_delay(description="Confirm the delivery of %d chat messages to Bitrix24"
                              % len(stored))._b2b_bitrix_acknowledge()
        for line in report:
            _logger.info("Bitrix24 chat event %s: %s", event.id, line)
        return "\n".join(report)
