from odoo import fields, models


class B2bDocument(models.Model):
    """1C's closing documents of an approved commission report (the agent's report, the act and
    the invoice 1C printed) are the dealer's documents, linked to the report they close."""

    _inherit = "b2b.document"

    commission_report_id = fields.Many2one("b2b.commission.report", index=True,
                                           ondelete="set null")
