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

# the SKU look-up's index (_b2b_find_by_sku): the very expression its query compares, so that a
# SKU typed in the quick add is found from the index instead of a scan of every product (on
# 25,000 goods 0.1 ms instead of 9 ms; a list of 5,000 SKUs 16 ms either way)
SKU_KEY_INDEX = ("b2b_product_product_sku_key", "product_product", ["lower(btrim(default_code))"])

# The look-up: the typed SKUs (already stripped by Python) and the stored codes both folded by the
# same PostgreSQL function; among the products whose codes differ only in letter case, the one
# stored exactly as typed first, then the earliest created.
_FIND_BY_SKU = """
    SELECT DISTINCT ON (typed.sku) typed.sku, pp.id
      FROM (SELECT DISTINCT sku FROM unnest(%s::text[]) AS sku) typed
      JOIN product_product pp ON lower(btrim(pp.default_code)) = lower(typed.sku)
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE pp.active AND pt.active AND pt.sale_ok
     ORDER BY typed.sku, btrim(pp.default_code) = typed.sku DESC, pp.id
"""


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

    @api.model
    def _b2b_find_by_sku(self, skus):
        """{sku: product id} of the active, saleable goods whose SKU is one of ``skus`` (texts as
        the dealer typed them; the keys are those texts, an empty or unknown one is left out), in
        one query whatever their number.

        The one rule of every way a dealer orders by SKU (quick add, pasted list, xlsx upload,
        order edit): surrounding whitespace and letter case do not matter, Cyrillic letters
        included. The typed text is stripped by Python; the letter case of both the typed text
        and the stored code is folded by PostgreSQL's ``lower()`` (the stored code also trimmed
        of spaces) in the same query, so that both sides follow one rule: Python's own
        lower/casefold differ from PostgreSQL's on some letters ("İ", "ẞ"). An expression index
        on ``lower(btrim(default_code))`` answers it (see ``init``).

        When several products have SKUs that differ only in letter case, the one whose SKU is
        exactly the typed text is chosen, and when none is, the one with the lowest id (created
        first).

        Which of these goods the dealer may order (contract, exclusive goods, region, price,
        record rules) is left to the caller."""
        typed = {}
        for sku in skus:
            text = sku.strip() if isinstance(sku, str) else ""
            if text:
                typed.setdefault(text, []).append(sku)
        if not typed:
            return {}
        self.env.cr.execute(_FIND_BY_SKU, (list(typed),))
        return {sku: product_id for text, product_id in self.env.cr.fetchall()
                for sku in typed[text]}

    def init(self):
        """The index of the SKU look-up, and the trigram indexes of the catalog search
        (PostgreSQL's pg_trgm extension, shipped with PostgreSQL; a database owner may enable
        it). Without pg_trgm the search still works, scanning the names: the log says so."""
        cr = self.env.cr
        tools.create_index(cr, *SKU_KEY_INDEX)
        cr.execute("SELECT lower('СЁ') = 'сё'")
        if not cr.fetchone()[0]:
            _logger.warning("SKUs with Cyrillic letters are matched in their letter case only: "
                            "this database's LC_CTYPE does not fold them (create it with a UTF-8 "
                            "locale such as C.UTF-8).")
        try:
            # a refusal is expected where the extension is missing or not the owner's to enable:
            # said below as a warning, not logged by the cursor as a failed query
            with cr.savepoint(), tools.mute_logger("odoo.sql_db"):
                cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except psycopg2.Error as error:
            _logger.warning("The catalog search runs without its trigram indexes: PostgreSQL "
                            "could not enable the pg_trgm extension (%s).", error)
            return
        for name, table, column, where in TRIGRAM_INDEXES:
            cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", (name,))
            if not cr.fetchone():
                # names and conditions are the constants of TRIGRAM_INDEXES above
                cr.execute('CREATE INDEX "%s" ON "%s" USING gin ("%s" gin_trgm_ops) %s'  # pylint: disable=sql-injection
                           % (name, table, column, where))
