from odoo import api, models


class B2bReconciliationRequest(models.Model):
    """A dealer's request for a reconciliation act goes to 1C: through the web service when it is
    configured, else it waits for 1C's exchange (b2b.onec.request). The request's 1C Id is the
    Ид 1C gets, by which 1C's act (a printed form of the exchange) finds its request."""
    _inherit = "b2b.reconciliation.request"

    @api.model
    def create(self, vals):
        request = super(B2bReconciliationRequest, self).create(vals)
        if request.state == "queued":
            request._b2b_onec_enqueue()
        return request

    def _b2b_onec_enqueue(self):
        Request = self.env["b2b.onec.request"].sudo()
        for act in self.sudo():
            payload = {
                "number": act.name,
                "contract_id": act.contract_id.b2b_onec_id or "",
                "contract_number": act.contract_id.name or "",
                "counterparty_id": act.partner_id.b2b_onec_id or "",
                "date_from": act.date_from,
                "date_to": act.date_to,
            }
            request = Request._b2b_create("act", payload, act, deliver=False)
            if not act.b2b_onec_id:
                act.b2b_onec_id = request.guid
            if self.env["b2b.onec.soap.client"]._b2b_configured():
                request._b2b_schedule()
