from odoo import fields, models


class CommissionRejectWizard(models.TransientModel):
    _name = "b2b.commission.report.reject"
    _description = "Reject a Commission Agent Report"

    report_id = fields.Many2one("b2b.commission.report", required=True, ondelete="cascade")
    reason = fields.Text(required=True,
                         help="What the commission agent has to correct; shown to the agent.")

    def action_reject(self):
        self.ensure_one()
        self.report_id.action_reject(self.reason)
        return {"type": "ir.actions.act_window_close"}
