from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import ValidationError


class ConsignmentLine(models.Model):
    """Goods a commission agent holds on consignment under a contract, as the supplier's 1C
    states them (the consignment list): product, the quantity still held (``qty``), price, and
    when 1C sends them the quantities handed over, sold so far and returned. 1C sends the whole
    list of a contract; what it no longer lists is no longer held."""

    _name = "b2b.consignment.line"
    _description = "Goods on Consignment"
    _order = "dealer_id, contract_id, product_id"

    contract_id = fields.Many2one("b2b.contract", required=True, index=True,
                                  ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Legal Entity", related="contract_id.partner_id",
                                 store=True, readonly=True, index=True)
    dealer_id = fields.Many2one("res.partner", "Commission Agent", related="contract_id.dealer_id",
                                store=True, readonly=True, index=True)
    product_id = fields.Many2one("product.product", required=True, index=True,
                                 ondelete="restrict")
    qty = fields.Float("Remaining on Consignment",
                       digits=dp.get_precision("Product Unit of Measure"),
                       help="The quantity the agent still holds, as 1C states it.")
    qty_handed = fields.Float("Handed Over", digits=dp.get_precision("Product Unit of Measure"),
                              help="The quantity handed over to the agent under the contract.")
    qty_sold = fields.Float("Sold", digits=dp.get_precision("Product Unit of Measure"),
                            help="The quantity sold so far, as the agent reported it and the "
                                 "supplier approved it.")
    qty_returned = fields.Float("Returned", digits=dp.get_precision("Product Unit of Measure"),
                                help="The quantity the agent returned to the supplier.")
    price_unit = fields.Float("Price", digits=dp.get_precision("Product Price"))
    date = fields.Date("As of", required=True, help="The date of 1C's consignment list.")
    qty_reported = fields.Float(
        "Reported Sold", compute="_compute_reported", digits=dp.get_precision("Product Unit of Measure"),
        help="Sold according to the agent's reports under the contract, submitted or approved, "
             "all months.")
    qty_unreported = fields.Float(
        "Not Accounted For", compute="_compute_reported",
        digits=dp.get_precision("Product Unit of Measure"),
        help="Handed over, less what was returned, what is still held and what the agent "
             "reported sold: not zero when the agent's reports and 1C's list disagree.")
    company_id = fields.Many2one("res.company", related="contract_id.company_id", store=True,
                                 readonly=True)

    _sql_constraints = [
        ("contract_product_unique", "unique(contract_id, product_id)",
         "A product appears once in the consignment list of a contract."),
        ("qty_price_positive", "CHECK(qty >= 0 AND price_unit >= 0)",
         "Quantities and prices on consignment cannot be negative."),
        ("movement_positive", "CHECK(qty_handed >= 0 AND qty_sold >= 0 AND qty_returned >= 0)",
         "Quantities handed over, sold and returned cannot be negative."),
    ]

    def _compute_reported(self):
        """One query for all the lines: the quantities of the contract's reports."""
        reported = {}
        if self.ids:
            self.env.cr.execute("""
                SELECT c.id, COALESCE(SUM(l.qty_sold), 0)
                  FROM b2b_consignment_line c
                  JOIN b2b_commission_report r ON r.contract_id = c.contract_id
                                              AND r.state IN ('submitted', 'approved')
                  JOIN b2b_commission_report_line l ON l.report_id = r.id
                                                   AND l.product_id = c.product_id
                 WHERE c.id = ANY(%s)
                 GROUP BY c.id""", (list(self.ids),))
            reported = dict(self.env.cr.fetchall())
        for line in self:
            line.qty_reported = reported.get(line.id, 0.0)
            line.qty_unreported = round(line.qty_handed - line.qty_returned - line.qty
                                        - line.qty_reported, 6)

    @api.constrains("contract_id")
    def _check_contract(self):
        for line in self:
            if not line.contract_id.dealer_id:
                raise ValidationError(_("Consignment list: contract %s is not a dealer's contract.")
                                      % line.contract_id.name)
