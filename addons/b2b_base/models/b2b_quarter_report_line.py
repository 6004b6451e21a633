from odoo import fields, models


class B2bQuarterReportLine(models.Model):
    """One line of 1C's quarterly commitment report."""
    _name = "b2b.quarter.report.line"
    _description = "Quarterly Commitment Report Line"

    report_id = fields.Many2one("b2b.quarter.report", "Report", required=True, index=True,
                                ondelete="cascade")
