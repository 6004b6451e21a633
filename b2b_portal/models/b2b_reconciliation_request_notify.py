from odoo import api, models

from odoo.addons.b2b_base.lib import acts

from ..lib import notifications as feed


class B2bReconciliationRequest(models.Model):
    """1C's act answering a dealer's request: its requester finds it in the feed too
    (a notification of kind "act"), beside the message on the request."""
    _inherit = "b2b.reconciliation.request"

    @api.multi
    def _b2b_notify_act(self, document):
        result = super(B2bReconciliationRequest, self)._b2b_notify_act(document)
        request = self.sudo()
        params = {"request": request.name, "contract": request.contract_id.name,
                  "date_from": acts.format_date(request.date_from),
                  "date_to": acts.format_date(request.date_to)}
        self.env["b2b.notification"]._b2b_notify(
            request.user_id, "act", (feed.ACT_READY, params), (feed.ACT_READY_BODY, params),
            url="/b2b/document/%d" % document.id, record=request)
        return result
