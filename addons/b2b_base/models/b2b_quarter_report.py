from odoo import fields, models


class B2bQuarterReport(models.Model):
    """1C's quarterly report for a special-conditions contract (installment granted for a quarterly
    assortment commitment)."""
    _name = "b2b.quarter.report"
    _description = "Quarterly Commitment Report"

    contract_id = fields.Many2one("b2b.contract", "Contract", required=True, index=True,
                                  ondelete="cascade")
    dealer_id = fields.Many2one("res.partner", "Dealer", related="contract_id.dealer_id",
                                store=True, readonly=True, index=True)
