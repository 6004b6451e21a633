from odoo import api, fields, models

from ..lib import notifications as feed


class B2bNotificationPref(models.Model):
    """A dealer user's choice of e-mail for one kind of notification. Without a row the kind's
    default holds (lib/notifications.py ``EMAIL_DEFAULTS``: on but for plan reminders and
    news); the user changes them on /b2b/notifications."""
    _name = "b2b.notification.pref"
    _inherit = ["b2b.portal.owned"]
    _description = "Dealer Notification Preference"
    _b2b_owner_fields = ("user_id",)

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade")
    kind = fields.Selection([(kind, feed.KIND_LABELS[kind]) for kind in feed.KINDS], required=True)
    email = fields.Boolean("E-mail", default=True)

    _sql_constraints = [("user_kind_unique", "unique(user_id, kind)",
                         "One preference per user and kind of notification.")]

    @api.model
    def _b2b_email_map(self, users, kind):
        """{user id: whether the user gets an e-mail of ``kind``} for ``users``: one query."""
        default = feed.EMAIL_DEFAULTS[kind]
        result = {user.id: default for user in users}
        for row in self.sudo().search_read([("user_id", "in", users.ids), ("kind", "=", kind)],
                                           ["user_id", "email"]):
            result[row["user_id"][0]] = row["email"]
        return result

    @api.model
    def _b2b_preferences(self, user):
        """{kind: e-mail on} of ``user``, every kind (the defaults where the user has not chosen)."""
        result = dict(feed.EMAIL_DEFAULTS)
        for pref in self.search([("user_id", "=", user.id)]):
            result[pref.kind] = pref.email
        return result

    @api.model
    def _b2b_set_preferences(self, user, choices):
        """Store ``user``'s choices {kind: bool} (as the user: their own rows only)."""
        mine = {pref.kind: pref for pref in self.search([("user_id", "=", user.id)])}
        for kind in feed.KINDS:
            if kind not in choices:
                continue
            wanted = bool(choices[kind])
            if kind in mine:
                if mine[kind].email != wanted:
                    mine[kind].write({"email": wanted})
            else:
                self.create({"user_id": user.id, "kind": kind, "email": wanted})
        return True
