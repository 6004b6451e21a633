from odoo import api, models


class AccountTax(models.Model):
    _inherit = "account.tax"

    @api.model
    def _b2b_vat_tax(self, company, rate, included):
        """The sale tax of VAT at ``rate`` % whose prices include it or not (``included``: the
        price type's ``vat_included``) in ``company``: an existing simple percent tax that fits,
        else one created once («НДС 20% (в цене)», «НДС 20% (сверху)»), with the accounts of the
        company's sale taxes. A rate of 0: no tax."""
        if not rate:
            return self.browse()
        Tax = self.sudo().with_context(active_test=True)
        domain = [("type_tax_use", "=", "sale"), ("amount_type", "=", "percent"),
                  ("amount", "=", rate), ("price_include", "=", bool(included)),
                  ("company_id", "=", company.id), ("children_tax_ids", "=", False)]
        tax = Tax.search(domain, order="sequence, id", limit=1)
        if tax:
            return tax
        text = ("%.2f" % rate).rstrip("0").rstrip(".")
        # the accounts of the company's sale taxes (its chart's VAT)
        default = Tax.search([("type_tax_use", "=", "sale"), ("company_id", "=", company.id),
                              ("account_id", "!=", False)], order="sequence, id", limit=1)
        name = "НДС %s%% (%s)" % (text, "в цене" if included else "сверху")
        taken = Tax.with_context(active_test=False).search([
            ("name", "=like", name + "%"), ("company_id", "=", company.id),
            ("type_tax_use", "=", "sale")]).mapped("name")
        if name in taken:   # a tax of another kind holds the name
            name = "%s %d" % (name, len(taken) + 1)
        return Tax.create({
            "name": name,
            "type_tax_use": "sale",
            "amount_type": "percent",
            "amount": rate,
            "price_include": bool(included),
            "include_base_amount": False,
            "description": "НДС %s%%" % text,
            "company_id": company.id,
            "account_id": default.account_id.id,
            "refund_account_id": default.refund_account_id.id,
        })

    @api.model
    def _b2b_vat_taxes(self, company, rates, included):
        """{rate: the taxes of ``_b2b_vat_tax``} for each of ``rates``."""
        return {rate: self._b2b_vat_tax(company, rate, included) for rate in set(rates)}
