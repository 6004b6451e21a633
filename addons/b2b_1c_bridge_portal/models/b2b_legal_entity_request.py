import uuid

from odoo import api, fields, models

from odoo.addons.b2b_1c_bridge.lib import cml_packages as cml


class B2bLegalEntityRequest(models.Model):
    """A dealer's new legal entity goes to 1C once its manager approves it: it gets the Ид the
    portal sends to 1C (so that 1C's counterparties package finds it again), its KPP is kept where
    the 1C bridge keeps a counterparty's, and a request of kind ``counterparty`` is made (sent to
    the web service, or collected by 1C through the exchange)."""

    _inherit = "b2b.legal.entity.request"

    onec_counterparty_id = fields.Char(
        "1C Id Sent", readonly=True, copy=False, index=True,
        help="The Ид of the new legal entity in the request to 1C.")

    @api.model
    def _b2b_same_entity_domain(self, inn, kpp):
        # an organisation's legal entity is its INN with its KPP; a partner 1C sent without a
        # KPP may be it too
        domain = super(B2bLegalEntityRequest, self)._b2b_same_entity_domain(inn, kpp)
        if kpp:
            domain += ["|", ("b2b_kpp", "=", kpp), ("b2b_kpp", "=", False)]
        return domain

    @api.model
    def _b2b_partner_kpp(self, partner):
        return partner.b2b_kpp

    def _b2b_entity_vals(self):
        vals = super(B2bLegalEntityRequest, self)._b2b_entity_vals()
        self.onec_counterparty_id = str(uuid.uuid4())
        vals.update(b2b_kpp=self.kpp or False, b2b_onec_id=self.onec_counterparty_id)
        return vals

    def _b2b_approved(self):
        result = super(B2bLegalEntityRequest, self)._b2b_approved()
        self.env["b2b.onec.request"].b2b_enqueue("counterparty", self._b2b_onec_payload(), self)
        return result

    def _b2b_onec_payload(self):
        """What 1C receives of the approved legal entity (b2b_1c_bridge lib/soap.py)."""
        self.ensure_one()
        payload = {name: self[name] or "" for name in (
            "name", "inn", "kpp", "ogrn", "legal_address", "postal_address", "bik", "bank_name",
            "account", "corr_account", "contact_name", "contact_phone", "contact_email")}
        payload.update(counterparty_id=self.partner_id.b2b_onec_id,
                       dealer_id=self.dealer_id.b2b_onec_id or "")
        return payload

    @api.model
    def _b2b_adopt_onec_ids(self, path, name):
        """Before 1C's counterparties package ``path`` is read: a counterparty 1C sends under an
        Ид of its own that is one of the legal entities approved here (same INN and KPP, still
        under the Ид the portal sent) takes 1C's Ид, so that the package updates it instead of
        making a second one."""
        Partner = self.env["res.partner"].with_context(active_test=False)
        for values in cml.read_counterparties(path, name):
            if not values["inn"] or Partner.search_count([("b2b_onec_id", "=", values["id"])]):
                continue
            approved = self.sudo().search([
                ("state", "=", "approved"), ("inn", "=", values["inn"]),
                ("kpp", "=", values["kpp"] or False), ("partner_id", "!=", False),
                ("onec_counterparty_id", "!=", False)])
            entity = approved.mapped("partner_id").filtered(
                lambda p: p.b2b_onec_id in approved.mapped("onec_counterparty_id"))[:1]
            if entity:
                entity.write({"b2b_onec_id": values["id"]})
