import logging
from email.utils import formataddr

from odoo import _, api, fields, http, models
from odoo.tools import html_escape

from odoo.addons.b2b_base.tools.rule_messages import translate

from ..lib import notifications as feed

_logger = logging.getLogger(__name__)

BUS_TYPE = "b2b_notification"


class B2bNotification(models.Model):
    """One line of a dealer user's notification feed: the bell of every portal page counts the
    unread ones, /b2b/notifications lists them, the dashboard shows the latest five.

    The API every service of the suite uses to tell dealers' users something::

        env["b2b.notification"]._b2b_notify(users, kind, title, body="", url="", record=None)

    - ``users``: res.users; only dealers' users (with a ``b2b_role``, active) are notified, any
      other user is ignored;
    - ``kind``: one of "order", "document", "debt", "act", "commission", "plan", "news",
      "complaint", "legal_entity" (lib/notifications.py ``KINDS``); the user's preference for
      the kind decides the e-mail (b2b.notification.pref);
    - ``title``, ``body``: rendered for each recipient in the recipient's language
      (lib/notifications.py ``render``): best an English template marked with ``_`` in a lib
      module and its parameters, ``(template, {"order": "S00042"})`` (or a lib ``Problem``);
      a parameter may be a callable ``f(translate)`` (e.g. a label read in the recipient's
      language); a plain string is translated when the addon's ru.po knows it, else shown as it
      is; a callable ``f(translate)`` returns the text (``translate.env`` is the environment in
      the recipient's language, for dates and amounts);
    - ``url``: where opening the notification leads: a path of the portal ("/b2b/orders/7");
      anything else (another site) is replaced by the feed itself;
    - ``record``: the record it is about (kept as model and id, for the backend).

    It stores one row per user, pushes it at once on the user's own bus channel
    ((db, "res.partner", partner id), which only that user's session listens to) with the new
    unread count, and queues an e-mail (mail.mail, sent by Odoo's mail queue, never while the
    caller waits) to the users whose preference for the kind is on. Returns the rows created."""
    _name = "b2b.notification"
    _inherit = ["b2b.portal.owned"]
    _description = "Dealer Notification"
    _order = "id desc"
    _b2b_owner_fields = ("user_id",)

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade",
                              readonly=True)
    kind = fields.Selection([(kind, feed.KIND_LABELS[kind]) for kind in feed.KINDS], required=True,
                            readonly=True)
    title = fields.Char(required=True, readonly=True)
    body = fields.Text(readonly=True)
    url = fields.Char("Link", readonly=True)
    res_model = fields.Char("About Model", readonly=True)
    res_id = fields.Integer("About Record", readonly=True)
    is_read = fields.Boolean("Read", default=False, readonly=True)
    read_date = fields.Datetime("Read on", readonly=True)
    email_queued = fields.Boolean("E-mail Queued", readonly=True)

    @api.model_cr
    def init(self):
        # the bell of every portal page: the unread count of one user, from this index only
        self.env.cr.execute("CREATE INDEX IF NOT EXISTS b2b_notification_unread_user_idx "
                            "ON b2b_notification (user_id) WHERE NOT is_read")

    # ------------------------------------------------------------------ the API
    @api.model
    def _b2b_notify(self, users, kind, title, body="", url="", record=None):
        if kind not in feed.KINDS:
            raise ValueError("unknown notification kind %r" % (kind,))
        users = users.sudo().filtered(lambda u: u.b2b_role and u.active)
        created = self.sudo().browse()
        if not users:
            return created
        url = feed.local_url(url) if url else ""
        emails = self.env["b2b.notification.pref"].sudo()._b2b_email_map(users, kind)
        for user in users:
            env = self.with_context(lang=user.lang or "en_US").env

            def tr(text, env=env):
                return translate(env, text)
            tr.env = env
            note = self.sudo().create({
                "user_id": user.id, "kind": kind, "url": url,
                "title": feed.render(title, tr).strip()[:250] or tr(feed.KIND_LABELS[kind]),
                "body": feed.render(body, tr).strip(),
                "res_model": record._name if record else False,
                "res_id": record.id if record else False,
            })
            if emails.get(user.id) and user.partner_id.email:
                note._b2b_queue_email(tr)
            created |= note
        created._b2b_push()
        return created

    @api.model
    def _b2b_contract_users(self, contracts):
        """The dealers' users who act for one of ``contracts`` (b2b.contract): those who see its
        orders, documents and debts (res.users.b2b_allowed_contract_ids: the dealer's
        administrators and buyers, those of its holding's head, the outlet users of the
        contract)."""
        contracts = contracts.sudo()
        dealers = contracts.mapped("dealer_id")
        heads = dealers
        above = dealers.mapped("b2b_holding_id") - heads
        while above:
            heads |= above
            above = above.mapped("b2b_holding_id") - heads
        users = self.env["res.users"].sudo().search([
            ("b2b_role", "!=", False), ("partner_id.b2b_dealer_id", "in", heads.ids)])
        wanted = set(contracts.ids)
        return users.filtered(lambda u: wanted & set(u.b2b_allowed_contract_ids.ids))

    @api.model
    def _b2b_actor(self):
        """Who makes the change being told: the logged-in user of the request (a dealer's
        action runs as superuser once checked), else the environment's user."""
        try:
            uid = http.request and http.request.session.uid
        except RuntimeError:  # no request bound
            uid = None
        return self.env["res.users"].sudo().browse(uid or self.env.uid)

    # ------------------------------------------------------------------ e-mail and bus
    def _b2b_queue_email(self, tr):
        """Queue the e-mail of this notification to its user (the mail queue sends it)."""
        self.ensure_one()
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url") or ""
        link = base.rstrip("/") + "/b2b/notifications/%d" % self.id
        body = "<p><strong>%s</strong></p>" % html_escape(self.title)
        if self.body:
            body += "<p>%s</p>" % html_escape(self.body)
        body += '<p><a href="%s">%s</a></p>' % (html_escape(link), html_escape(tr(
            "Open in the dealer portal")))
        company = self.user_id.company_id
        values = {
            "subject": self.title, "body_html": body, "auto_delete": True,
            "recipient_ids": [(4, self.user_id.partner_id.id)],
        }
        if company.email:
            values["email_from"] = formataddr((company.name, company.email))
        self.env["mail.mail"].sudo().create(values)
        self.sudo().write({"email_queued": True})

    def _b2b_values(self):
        """What the bell's list and the page's script show of a notification."""
        return [{"id": note.id, "kind": note.kind, "title": note.title, "body": note.body or "",
                 "url": "/b2b/notifications/%d" % note.id, "date": note.create_date,
                 "is_read": note.is_read} for note in self]

    def _b2b_push(self):
        """Tell each user of these notifications, on their own bus channel, what is new and
        how many are unread."""
        if not self:
            return
        users = self.mapped("user_id")
        unread = self._b2b_unread_counts(users.ids)
        messages = []
        for note in self:
            channel = (self.env.cr.dbname, "res.partner", note.user_id.partner_id.id)
            messages.append([channel, {"type": BUS_TYPE, "notification": note._b2b_values()[0],
                                       "unread": unread.get(note.user_id.id, 0)}])
        self.env["bus.bus"].sudo().sendmany(messages)

    @api.model
    def _b2b_push_count(self, user):
        """Tell ``user``'s open pages the unread count (after they read some)."""
        channel = (self.env.cr.dbname, "res.partner", user.partner_id.id)
        self.env["bus.bus"].sudo().sendone(channel, {
            "type": BUS_TYPE, "unread": self._b2b_unread_count(user)})

    # ------------------------------------------------------------------ the feed
    @api.model
    def _b2b_unread_counts(self, user_ids):
        if not user_ids:
            return {}
        self.env.cr.execute("SELECT user_id, count(*) FROM b2b_notification "
                            "WHERE NOT is_read AND user_id = ANY(%s) GROUP BY user_id",
                            (list(user_ids),))
        return dict(self.env.cr.fetchall())

    @api.model
    def _b2b_unread_count(self, user):
        """The bell's number: one indexed count (b2b_notification_unread_user_idx)."""
        self.env.cr.execute("SELECT count(*) FROM b2b_notification WHERE user_id = %s "
                            "AND NOT is_read", (user.id,))
        return self.env.cr.fetchone()[0]

    @api.model
    def _b2b_latest(self, user, limit=feed.LATEST, offset=0):
        """The user's notifications, newest first (read as the user: their own only)."""
        return self.search([("user_id", "=", user.id)], limit=limit, offset=offset,
                           order="id desc")

    @api.multi
    def _b2b_mark_read(self):
        """Mark these notifications read (the user's own: record rules apply)."""
        unread = self.filtered(lambda n: not n.is_read)
        if unread:
            unread.write({"is_read": True, "read_date": fields.Datetime.now()})
        return True

    @api.model
    def _b2b_mark_all_read(self, user):
        self.search([("user_id", "=", user.id), ("is_read", "=", False)])._b2b_mark_read()
        return True

    @api.model
    def _b2b_not_yours(self):
        return _("The notification does not exist or is not yours.")

    @api.model
    def _b2b_cron_cleanup(self, days=feed.KEEP_READ_DAYS):
        """Daily: forget the read notifications older than ``days``."""
        self.env.cr.execute("DELETE FROM b2b_notification WHERE is_read AND create_date < "
                            "(now() at time zone 'UTC') - %s * interval '1 day'", (days,))
        return True
