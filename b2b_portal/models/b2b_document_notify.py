from odoo import api, models

from ..lib import notifications as feed


class B2bDocument(models.Model):
    """A printed form that arrives for a contract (from 1C or the supplier) tells the contract's
    users: a notification of kind "document" ("act" for a reconciliation act). A preliminary
    form the portal renders itself is not news, and an act answering a dealer's request is told
    to its requester by the request."""
    _inherit = "b2b.document"

    @api.model
    def create(self, vals):
        document = super(B2bDocument, self).create(vals)
        if document.contract_id and not document.preliminary and not document.request_id:
            document._b2b_notify_arrived()
        return document

    def _b2b_notify_arrived(self):
        self.ensure_one()
        document = self.sudo()
        params = {"document": document.name, "contract": document.contract_id.name}
        self.env["b2b.notification"]._b2b_notify(
            self.env["b2b.notification"]._b2b_contract_users(document.contract_id),
            "act" if document.kind == "act" else "document",
            (feed.DOCUMENT_ARRIVED, params), (feed.DOCUMENT_ARRIVED_BODY, params),
            url="/b2b/document/%d" % document.id, record=document)
