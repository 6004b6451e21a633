from odoo import api, fields, models


class B2bContract(models.Model):
    """The commission terms of a commission agent's contract (set by a B2B administrator on the
    contract form; 1C does not send them)."""

    _inherit = "b2b.contract"

    b2b_commission_term_ids = fields.One2many("b2b.commission.term", "contract_id",
                                              "Commission Terms")
    b2b_commission_agent = fields.Boolean(related="dealer_id.b2b_commission_agent", readonly=True,
                                          string="Commission Agent's Contract")

    @api.multi
    def _b2b_commission_terms(self):
        """The contract's terms as plain data for the commission rules (lib/commission.py):
        ``(default percent or None, {product category id: percent})``."""
        self.ensure_one()
        default, groups = None, {}
        for term in self.b2b_commission_term_ids:
            if term.categ_id:
                groups[term.categ_id.id] = term.percent
            else:
                default = term.percent
        return default, groups

    @api.multi
    def _b2b_commission_group_key(self, product, groups=None):
        """The group key of ``product`` under the contract's terms: the id of the nearest product
        category, from the product's own up through its parents, that has a term; None when no
        group term covers it (the default percent applies). ``groups``: the ``{category id:
        percent}`` of ``_b2b_commission_terms`` when the caller has it already (many lines)."""
        self.ensure_one()
        if groups is None:
            groups = self._b2b_commission_terms()[1]
        if not groups:
            return None
        categ = product.sudo().categ_id    # dealers' users do not read product categories
        while categ:
            if categ.id in groups:
                return categ.id
            categ = categ.parent_id
        return None
