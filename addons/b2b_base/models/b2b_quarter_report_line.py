from odoo import api, fields, models

from ..lib import acts


class B2bQuarterReportLine(models.Model):
    """One line of 1C's quarterly commitment report: an assortment group's plan and purchases."""
    _name = "b2b.quarter.report.line"
    _description = "Quarterly Commitment Report Line"
    _order = "report_id, sequence, id"

    report_id = fields.Many2one("b2b.quarter.report", required=True, index=True,
                                ondelete="cascade")
    sequence = fields.Integer(default=10)
    group = fields.Char("Assortment Group", required=True)
    currency_id = fields.Many2one("res.currency", related="report_id.currency_id", store=True,
                                  readonly=True)
    plan = fields.Monetary(currency_field="currency_id")
    actual = fields.Monetary("Purchased", currency_field="currency_id")
    percent = fields.Float("Fulfilment (%)", compute="_compute_percent", store=True,
                           digits=(16, 2))

    _sql_constraints = [
        ("amounts_positive", "CHECK(plan >= 0 AND actual >= 0)",
         "Plan and purchases of an assortment group cannot be negative."),
    ]

    @api.depends("plan", "actual")
    def _compute_percent(self):
        for line in self:
            line.percent = float(acts.fulfilment(line.plan, line.actual))
