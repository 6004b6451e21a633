from odoo import fields, models

from odoo.addons.b2b_base.tools import business_date


class B2bComplaint(models.Model):
    """A complaint a dealer files goes to 1C as a request (kind ``complaint``: b2b_1c_bridge's
    lib/soap.py): through the 1C web service when it is configured, else 1C collects it through
    the exchange (``type=b2b&mode=query``, a ``Рекламация``)."""
    _inherit = "b2b.complaint"

    onec_request_ids = fields.One2many(
        "b2b.onec.request", "res_id", "Requests to 1C", readonly=True,
        domain=[("res_model", "=", "b2b.complaint")])

    def _b2b_filed(self):
        result = super(B2bComplaint, self)._b2b_filed()
        Request = self.env["b2b.onec.request"].sudo()
        for complaint in self.sudo():
            Request.b2b_enqueue("complaint", complaint._b2b_onec_payload(), complaint)
        return result

    def _b2b_onec_payload(self):
        """The request to 1C (kind ``complaint``, see the bridge's lib/soap.py)."""
        self.ensure_one()
        contract = self.contract_id
        order = self.order_id
        return {
            "number": self.name,
            "date": fields.Date.to_string(business_date.today(
                self.env, fields.Datetime.from_string(self.create_date))),
            "counterparty_id": contract.partner_id.b2b_onec_id or
            self.dealer_id.b2b_onec_id or "",
            "contract_id": contract.b2b_onec_id or "",
            "contract_number": contract.name or "",
            "order_id": (order.b2b_onec_guid or "") if order else "",
            "order_number": (order.b2b_onec_number or order.name or "") if order else "",
            "product_id": self.product_id.product_tmpl_id.b2b_onec_id or "",
            "sku": self.product_id.default_code or "",
            "qty": self.qty,
            "defect": self.description,
            "resolution": self.resolution,
            "photos": len(self.photo_ids),
        }
