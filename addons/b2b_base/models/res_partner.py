from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    b2b_is_dealer = fields.Boolean(
        "Dealer", index=True,
        help="A legal entity that buys from the supplier under contracts and uses the dealer portal.")
    b2b_1c_id = fields.Char("1C Id", index=True, copy=False,
                            help="The counterparty's identifier (Ид) in the supplier's 1C.")
    b2b_manager_id = fields.Many2one(
        "res.users", "Supplier Manager", index=True,
        help="The supplier's sales manager who looks after this dealer.")

    _sql_constraints = [
        ("b2b_1c_id_unique", "unique(b2b_1c_id)", "Another partner already has this 1C id."),
    ]

    @api.onchange("parent_id")
    def _onchange_parent_b2b_dealer(self):
        if self.parent_id.b2b_is_dealer and not self.is_company:
            self.b2b_manager_id = self.parent_id.b2b_manager_id
