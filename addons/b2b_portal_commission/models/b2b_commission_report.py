from odoo import models

from odoo.addons.b2b_portal.lib import notifications as feed


class CommissionReport(models.Model):
    """An approved commission report is in the agent's notification feed too (kind
    "commission"), for the agent's users who hear of the report (its administrators and the
    user who made it), beside the message on the report."""
    _inherit = "b2b.commission.report"

    def _b2b_notify_state(self):
        result = super(CommissionReport, self)._b2b_notify_state()
        if self.state == "approved":
            report = self.sudo()
            users = self.env["res.users"].sudo().search([
                ("partner_id", "in", report._b2b_agent_partners().ids)])
            params = {"report": report.name}
            self.env["b2b.notification"]._b2b_notify(
                users, "commission", (feed.COMMISSION_APPROVED, params),
                (feed.COMMISSION_APPROVED_BODY, params),
                url="/b2b/commission/report/%d" % report.id, record=report)
        return result
