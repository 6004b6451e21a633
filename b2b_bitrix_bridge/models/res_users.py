from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    b2b_bitrix_user_id = fields.Integer(
        "Bitrix24 user ID", index=True, copy=False,
        help="The same person's user in the supplier's Bitrix24: the responsible of deals and CRM "
             "companies, and the operator who answers the dealers' chat. Found by e-mail when a "
             "dealer's CRM company names its responsible, or set by hand.")
