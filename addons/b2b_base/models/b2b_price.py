from contextlib import contextmanager

import psycopg2.extensions

from odoo import api, fields, models, tools

from ..lib import pricing


class B2bPrice(models.Model):
    """The price of one product under one price type, as 1C sends it."""
    _name = "b2b.price"
    _inherit = ["b2b.cache.mixin"]
    _description = "Product Price by Price Type"
    _order = "price_type_id, product_id"

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True)
    price_type_id = fields.Many2one("b2b.price.type", required=True, ondelete="cascade", index=True)
    price = fields.Float(required=True, digits=(16, 2))
    currency_id = fields.Many2one(related="price_type_id.currency_id", readonly=True)

    _sql_constraints = [
        ("product_type_unique", "unique(price_type_id, product_id)",
         "A product has one price per price type."),
        ("price_not_negative", "CHECK(price >= 0)", "A price cannot be negative."),
    ]

    # ------------------------------------------------------------------ whole-catalog tables
    # Kept in Odoo's ormcache; any change to prices or products clears it (b2b.cache.mixin, in
    # every worker through Odoo's cache signalling), so a stale table is never served after a commit.
    @api.model
    @tools.ormcache()
    def _b2b_catalog_table(self):
        with self._b2b_bulk_cursor() as cr:
            return pricing.load_catalog(cr)

    @api.model
    @tools.ormcache("price_type_id")
    def _b2b_price_table(self, price_type_id):
        if not price_type_id:
            return {}
        with self._b2b_bulk_cursor() as cr:
            return pricing.load_price_map(cr, price_type_id)

    @contextmanager
    def _b2b_bulk_cursor(self):
        """A plain psycopg2 cursor in the current transaction whose float columns are converted
        by psycopg2's C code, not by Odoo's Python-level converter (tens of thousands of rows)."""
        cursor = self.env.cr._cnx.cursor()
        psycopg2.extensions.register_type(psycopg2.extensions.FLOAT, cursor)
        try:
            yield cursor
        finally:
            cursor.close()
