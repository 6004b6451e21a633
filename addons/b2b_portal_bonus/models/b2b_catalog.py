"""The catalog of the portal with the goods sold only for bonus points: shown with their price in
points, never a money price nor "price on request", and listed with the other goods whoever made
them (b2b_portal's scope lists the goods 1C sent and those priced under the contract's price type:
bonus goods made in Odoo have no money price, so the scope takes them in too); the "bonus goods
only" filter (the context key ``b2b_bonus_only_filter``, set by the catalog page) lists them
alone."""
from odoo import api, models

from .b2b_contract import BONUS_CONTEXT

# b2b_portal's scope (lib/catalog.py ``_SCOPE``) lists the goods 1C sent; the goods sold only for
# bonus points are listed too, whoever made them
SCOPE_GOODS_OF_1C = "b2b_t.b2b_onec_id IS NOT NULL"
SCOPE_WITH_BONUS = "(b2b_t.b2b_onec_id IS NOT NULL OR b2b_t.b2b_bonus_only)"
FILTER_CONTEXT = "b2b_bonus_only_filter"


class B2bCatalog(models.AbstractModel):
    _inherit = "b2b.catalog"

    @api.model
    def _b2b_scoped_query(self, contract, domain):
        bonus_only = self.env.context.get(FILTER_CONTEXT)
        if bonus_only:
            domain = list(domain) + [("product_tmpl_id.b2b_bonus_only", "=", True)]
        query = super(B2bCatalog, self)._b2b_scoped_query(contract, domain)
        scope = query.where_clause[-1]
        if SCOPE_GOODS_OF_1C not in scope:
            raise AssertionError("b2b_portal's catalog scope changed: bonus goods cannot be listed")
        query.where_clause[-1] = scope.replace(SCOPE_GOODS_OF_1C, SCOPE_WITH_BONUS)
        return query

    @api.model
    def _b2b_rows(self, contract, product_ids, favourite_ids=()):
        rows = super(B2bCatalog, self.with_context(**{BONUS_CONTEXT: True}))._b2b_rows(
            contract, product_ids, favourite_ids)
        points = self.env["product.product"]._b2b_bonus_points([row["id"] for row in rows])
        for row in rows:
            row["bonus"] = row["id"] in points
            if row["bonus"]:
                row.update(points=points[row["id"]], price=None, rrp=None, on_request=False,
                           price_text=self.env["product.product"]._b2b_points_text(
                               points[row["id"]]),
                           rrp_text="—")
        return rows
