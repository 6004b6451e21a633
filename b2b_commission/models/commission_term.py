from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CommissionTerm(models.Model):
    """A commission term of a commission agent's contract: the percent of the sale amount the
    agent earns, for one product group (with its subgroups) or, without a group, for every good
    no other term of the contract covers."""

    _name = "b2b.commission.term"
    _description = "Commission Term"
    _order = "contract_id, categ_id desc, id"

    contract_id = fields.Many2one("b2b.contract", required=True, index=True, ondelete="cascade")
    dealer_id = fields.Many2one("res.partner", "Commission Agent", related="contract_id.dealer_id",
                                store=True, readonly=True, index=True)
    categ_id = fields.Many2one(
        "product.category", "Product Group", ondelete="restrict",
        help="The goods of this group and of its subgroups; empty: the contract's default "
             "percent, for the goods no group of the contract covers.")
    percent = fields.Float("Commission (%)", digits=(16, 2), required=True,
                           help="The percent of the sale amount the agent earns.")

    _sql_constraints = [
        ("contract_categ_unique", "unique(contract_id, categ_id)",
         "A product group has one commission percent per contract."),
    ]

    @api.constrains("percent")
    def _check_percent(self):
        for term in self:
            if not 0 <= term.percent <= 100:
                raise ValidationError(_("The commission percent %s is not between 0 and 100.")
                                      % term.percent)

    @api.constrains("contract_id", "categ_id")
    def _check_one_default(self):
        for term in self.filtered(lambda t: not t.categ_id):
            if self.search_count([("contract_id", "=", term.contract_id.id),
                                  ("categ_id", "=", False)]) > 1:
                raise ValidationError(_("Contract %s already has a default commission percent.")
                                      % term.contract_id.name)
