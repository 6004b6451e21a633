from odoo import api, models


class ResUsers(models.Model):
    """What the frame of every portal page shows of the chat with the manager."""

    _inherit = "res.users"

    @api.multi
    def _b2b_chat_unread(self):
        """The number of the manager's messages this dealer user has not read yet (one query)."""
        self.ensure_one()
        return self.env["mail.channel"].sudo()._b2b_unread_count(self)
