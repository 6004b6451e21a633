import array
import logging

import psycopg2

from odoo import api, models, tools

_logger = logging.getLogger(__name__)

# the catalog search's indexes (lib/catalog.py MATCH_SQL): trigram indexes answer ILIKE with a
# leading or trailing wildcard from the matching rows instead of a scan of every product's SKU
# and name; the translations' one covers only the product names
TRIGRAM_INDEXES = [
    ("b2b_product_product_code_trgm", "product_product", "default_code", ""),
    ("b2b_product_template_name_trgm", "product_template", "name", ""),
    ("b2b_ir_translation_product_name_trgm", "ir_translation", "value",
     "WHERE name = 'product.template,name' AND type = 'model'"),
]


class ProductProduct(models.Model):
    _inherit = "product.product"

    @api.model
    @tools.ormcache("sql", "key")
    def _b2b_catalog_listing(self, sql, key, params):
        """The rows (product id, category id) a catalog listing query returns (``sql`` with
        ``params``; ``key`` is their hashable form), in its order, kept in Odoo's ormcache as two
        compact arrays (4 bytes a number: 200 KB for 25,000 goods).

        The query carries the user's record rules and the contract's scope as parameters, so the
        key says exactly whose goods these are. b2b_base clears the ormcache of every worker on
        any change of goods, prices or contracts (b2b.cache.mixin): a listing never outlives the
        catalog it lists. Paging, the category counts, a category and a search are then worked
        out from it (lib/catalog.py select_listing) instead of a query over every product the
        contract may buy for each page. Callers must not change the arrays."""
        self.env.cr.execute(sql, params)
        rows = self.env.cr.fetchall()
        return (array.array("i", (row[0] for row in rows)),
                array.array("i", (row[1] for row in rows)))

    def init(self):
        """The trigram indexes of the catalog search (PostgreSQL's pg_trgm extension, shipped
        with PostgreSQL; a database owner may enable it). Without it the search still works,
        scanning the names: the log says so."""
        cr = self.env.cr
        try:
            with cr.savepoint():
                cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except psycopg2.Error as error:
            _logger.warning("The catalog search runs without its trigram indexes: PostgreSQL "
                            "could not enable the pg_trgm extension (%s).", error)
            return
        for name, table, column, where in TRIGRAM_INDEXES:
            cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", (name,))
            if not cr.fetchone():
                cr.execute('CREATE INDEX "%s" ON "%s" USING gin ("%s" gin_trgm_ops) %s'
                           % (name, table, column, where))
