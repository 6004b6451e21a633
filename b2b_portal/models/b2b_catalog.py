"""The catalog of a contract as the dealer's pages show it: what the portal's catalog, product
page and quick-add suggestions read, and the rows they show.

Only goods the contract is offered are ever listed or shown, priced under its price type or with
their price on request (b2b_base's ``pricing.on_request``: shown as such, refused by the cart):
the product search runs as the model's
user (call it as the dealer's user: ``request.env["b2b.catalog"]``, the record rules of b2b_base
apply) with the contract's restrictions added as one SQL condition (``lib.catalog.scope_sql``, the
rule of b2b_base's pricing). A page costs a fixed number of queries whatever the size of the
catalog: the contract's whole listing in catalog order (ids and categories; from Odoo's cache,
shared by the dealers of the same scope, except with the favourites filter), the search's matches
(one query on trigram indexes), then the page's texts and one pricing query
(``contract._b2b_offers``). Paging, category counts, the category and the search are worked out
from the listing in memory (``lib.catalog.select_listing``)."""
from odoo import api, models

from odoo.addons.b2b_base.lib import numbers, pricing, vat
from odoo.addons.b2b_base.tools.rule_messages import translate

from ..lib import catalog as rules

# the variant's attribute values (its characteristics in 1C) follow the product's name
PRODUCT_TEXTS_SQL = """
    SELECT p.id, p.default_code,
           COALESCE(NULLIF(tn.value, ''), t.name),
           COALESCE(NULLIF(tu.value, ''), u.name),
           COALESCE(NULLIF(ts.value, ''), t.b2b_shipment_unit),
           av.names
      FROM product_product p
      JOIN product_template t ON t.id = p.product_tmpl_id
      JOIN product_uom u ON u.id = t.uom_id
      LEFT JOIN ir_translation tn ON tn.type = 'model' AND tn.lang = %(lang)s
           AND tn.name = 'product.template,name' AND tn.res_id = t.id
      LEFT JOIN ir_translation tu ON tu.type = 'model' AND tu.lang = %(lang)s
           AND tu.name = 'product.uom,name' AND tu.res_id = u.id
      LEFT JOIN ir_translation ts ON ts.type = 'model' AND ts.lang = %(lang)s
           AND ts.name = 'product.template,b2b_shipment_unit' AND ts.res_id = t.id
      LEFT JOIN LATERAL (
           SELECT string_agg(COALESCE(NULLIF(tv.value, ''), v.name), ', '
                             ORDER BY a.sequence, a.name, v.sequence, v.id) AS names
             FROM product_attribute_value_product_product_rel r
             JOIN product_attribute_value v ON v.id = r.product_attribute_value_id
             JOIN product_attribute a ON a.id = v.attribute_id
             LEFT JOIN ir_translation tv ON tv.type = 'model' AND tv.lang = %(lang)s
                  AND tv.name = 'product.attribute.value,name' AND tv.res_id = v.id
            WHERE r.product_product_id = p.id) av ON true
     WHERE p.id = ANY(%(ids)s)"""

# categories (ids) with their names in a language, in the order of their full paths
CATEGORY_NAMES_SQL = """
    SELECT c.id, COALESCE(NULLIF(tr.value, ''), c.name)
      FROM product_category c
      LEFT JOIN ir_translation tr ON tr.type = 'model' AND tr.lang = %(lang)s
           AND tr.name = 'product.category,name' AND tr.res_id = c.id
     WHERE c.id = ANY(%(ids)s)
     ORDER BY c.complete_name, c.id"""


class B2bCatalog(models.AbstractModel):
    _name = "b2b.catalog"
    _description = "Dealer Portal Catalog"

    # ------------------------------------------------------------------ the contract's goods
    @api.model
    def _b2b_scoped_query(self, contract, domain):
        """Odoo's own search query of product.product for ``domain`` as this model's user
        (access rights and record rules), restricted to the goods ``contract`` may buy."""
        context = pricing.contract_context(self.env.cr, contract.id)
        condition, params = rules.scope_sql(
            '"product_product"', context.price_type_id, context.region_id, context.dealer_ids)
        Product = self.env["product.product"]
        Product.check_access_rights("read")
        query = Product._where_calc(domain)
        Product._apply_ir_rules(query, "read")
        query.where_clause.append(condition)
        query.where_clause_params.extend(params)
        return query

    @api.model
    def _b2b_listing(self, contract, domain, cached=False):
        """(product ids, their category ids) of every product matching ``domain`` that the user
        may see and ``contract`` may buy, in catalog order. ``cached``: kept in the ormcache
        (product.product._b2b_catalog_listing), shared by the dealers of the same scope."""
        from_clause, where_clause, params = self._b2b_scoped_query(contract, domain).get_sql()
        sql = """SELECT p.id, t.categ_id
                   FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
                  WHERE p.id IN (SELECT "product_product".id FROM %s WHERE %s)
                  ORDER BY p.default_code, p.id""" % (from_clause, where_clause)
        if cached:
            return self.env["product.product"]._b2b_catalog_listing(sql, repr(params), params)
        self.env.cr.execute(sql, params)
        rows = self.env.cr.fetchall()
        return [row[0] for row in rows], [row[1] for row in rows]

    @api.model
    def _b2b_sells(self, contract, product_id):
        """Whether the user may see product ``product_id`` and ``contract`` may buy it."""
        query = self._b2b_scoped_query(contract, [("id", "=", product_id)])
        from_clause, where_clause, params = query.get_sql()
        self.env.cr.execute('SELECT 1 FROM %s WHERE %s LIMIT 1' % (from_clause, where_clause),
                            params)
        return bool(self.env.cr.fetchone())

    @api.model
    def _b2b_matching_ids(self, term, sql=rules.MATCH_SQL):
        """The products the search text ``term`` finds (SKU prefix or name; lib.catalog's
        MATCH_SQL, or one of its parts, one indexed query), before the user's rights and the
        contract's scope: a set."""
        self.env.cr.execute(sql, rules.match_params(term, self.env.lang or "en_US"))
        return {row[0] for row in self.env.cr.fetchall()}

    # ------------------------------------------------------------------ pages
    @api.model
    def _b2b_catalog_page(self, contract, filters, page):
        """The catalog's page ``page`` under ``contract`` with ``filters`` (lib.catalog.Filters):
        {rows, categories (the sidebar), total, page_number}."""
        favourite_ids = self.env["b2b.favourite"].b2b_product_ids() if filters.fav else None
        # the contract's whole listing (availability and favourites applied) is kept for the
        # dealers of the same scope until goods or prices change, except with the favourites
        # filter; the search, the category and the page are picked out of it
        listed, listed_categories = self._b2b_listing(
            contract, rules.catalog_domain(filters, favourite_ids, with_category=False),
            cached=not filters.fav)
        matched = self._b2b_matching_ids(filters.q) if filters.q else None
        counts, ids = rules.select_listing(listed, listed_categories, matched,
                                           self._b2b_category_tree(filters.category_id))
        total = len(ids)
        number, offset, _count = rules.page_of(page, total)
        ids = list(ids[offset:offset + rules.PAGE_SIZE])
        return {
            "rows": self._b2b_rows(contract, ids, self._b2b_favourite_ids(ids)),
            "categories": self._b2b_categories(counts, filters),
            "total": total,
            "page_number": number,
        }

    @api.model
    def _b2b_suggestions(self, contract, term, limit):
        """The quick add's suggestions for the search text ``term`` (cleaned): at most ``limit``
        rows of goods ``contract`` may buy, SKU-prefix matches first, then name matches."""
        # out of the contract's cached listing, in catalog order: one indexed query for the SKUs,
        # one more for the names when the SKUs do not fill the list
        listed, _categories = self._b2b_listing(contract, rules.catalog_domain(rules.NO_FILTERS),
                                                cached=True)
        by_sku = self._b2b_matching_ids(term, rules.SKU_MATCH_SQL)
        chosen = rules.suggestions(listed, by_sku, (), limit)
        if len(chosen) < limit:
            chosen = rules.suggestions(listed, by_sku,
                                       self._b2b_matching_ids(term, rules.NAME_MATCH_SQL), limit)
        return self._b2b_rows(contract, chosen)

    @api.model
    def _b2b_product_page(self, contract, product_id):
        """What the product page shows of ``product_id`` under ``contract``: {row, description,
        category, has_image, documents, properties}, or None when the user may not see it or
        the contract cannot buy it."""
        if not self._b2b_sells(contract, product_id):
            return None
        rows = self._b2b_rows(contract, [product_id], self._b2b_favourite_ids([product_id]))
        if not rows:
            return None
        product = self.env["product.product"].sudo().browse(product_id)
        return {
            "row": rows[0],
            "description": product.description_sale or product.description or "",
            "category": product.categ_id.name,
            "has_image": bool(product.image_medium),
            "documents": self._b2b_documents(product),
            "properties": self._b2b_properties(product),
        }

    # ------------------------------------------------------------------ rows
    @api.model
    def _b2b_rows(self, contract, product_ids, favourite_ids=()):
        """The products ``product_ids`` as the catalog shows them under ``contract``, in that
        order: one read and one pricing query. Products the contract is not offered are left
        out; a product without a price of the contract's price type (or without an RRP) is
        shown with "price on request" in its place (``on_request``: it cannot be added)."""
        offers = contract._b2b_offers(list(product_ids))
        products = self._b2b_product_texts(product_ids)
        currency = contract.currency_id
        sep, point = self.env["res.lang"]._b2b_number_format(self.env.lang or "en_US")
        on_request = translate(self.env, pricing.PRICE_ON_REQUEST)

        def price_text(price):
            if pricing.on_request(price):
                return on_request
            return numbers.format_money(price, currency.symbol, currency.position, sep, point)

        favourites = set(favourite_ids)
        vat_texts = {}

        def vat_text(rate, included):
            key = (rate, included)
            if key not in vat_texts:
                template, params = vat.label(rate, included)
                vat_texts[key] = translate(self.env, template) % params
            return vat_texts[key]

        rows = []
        for pid in product_ids:
            offer = offers.get(pid)
            product = products.get(pid)
            if not product or not pricing.offered(offer):
                continue
            rows.append({
                "id": pid,
                "sku": product["default_code"] or "",
                "name": product["name"],
                "unit": product["unit"] or "",
                "shipment_unit": product["shipment_unit"] or "",
                "price": offer.price,
                "rrp": offer.rrp,
                "price_text": price_text(offer.price),
                "rrp_text": price_text(offer.rrp),
                # the price type's price before the dealer's personal discount, and the discount
                "base_text": price_text(offer.base_price)
                             if offer.discount and not pricing.on_request(offer.price) else "",
                "discount_text": "\u2212%s%%" % vat.rate_text(offer.discount) if offer.discount else "",
                "vat_text": vat_text(offer.vat_rate, offer.vat_included),
                "on_request": pricing.on_request(offer.price),
                "in_stock": offer.availability == "in_stock",
                "lead_days": offer.lead_days,
                "min_qty": offer.min_qty,
                "multiple": offer.multiple,
                "min_text": numbers.format_plain(offer.min_qty) if offer.min_qty and offer.min_qty > 1 else "",
                "multiple_text": numbers.format_plain(offer.multiple)
                                 if offer.multiple and offer.multiple != 1 else "",
                "default_qty": numbers.format_plain(rules.default_qty(offer.min_qty, offer.multiple)),
                "step": numbers.format_plain(offer.multiple) if offer.multiple and offer.multiple > 0 else "any",
                "favourite": pid in favourites,
            })
        return rows

    @api.model
    def _b2b_product_texts(self, product_ids):
        """{product id: {default_code, name, unit, shipment_unit}} in the user's language, in one
        query (the texts the ORM's read would give: the translation when there is one, else the
        source), for products the caller has already checked the user may see. A variant's name
        is followed by its attribute values: "Кроссовки (42, синий)"."""
        if not product_ids:
            return {}
        cr = self.env.cr
        cr.execute(PRODUCT_TEXTS_SQL, {"lang": self.env.lang or "en_US", "ids": list(product_ids)})
        return {row[0]: {"default_code": row[1],
                         "name": "%s (%s)" % (row[2], row[5]) if row[5] else row[2],
                         "unit": row[3], "shipment_unit": row[4]} for row in cr.fetchall()}

    @api.model
    def _b2b_favourite_ids(self, product_ids):
        """Which of ``product_ids`` the user starred (one query, as the user)."""
        if not product_ids:
            return []
        favourites = self.env["b2b.favourite"].search_read(
            [("user_id", "=", self.env.uid), ("product_id", "in", list(product_ids))],
            ["product_id"])
        return [row["product_id"][0] for row in favourites]

    # ------------------------------------------------------------------ categories
    @api.model
    def _b2b_category_tree(self, category_id):
        """The set of ids of category ``category_id`` and its subcategories (None: no choice)."""
        if not category_id:
            return None
        Category = self.env["product.category"].sudo()
        return set(Category._search([("id", "child_of", category_id)]))

    @api.model
    def _b2b_categories(self, counts, filters):
        """The sidebar's categories: those with goods in ``counts`` and the chosen one, by their
        full path, each with its name in the user's language (one query)."""
        ids = set(counts)
        if filters.category_id:
            ids.add(filters.category_id)
        if not ids:
            return []
        cr = self.env.cr
        cr.execute(CATEGORY_NAMES_SQL, {"ids": list(ids), "lang": self.env.lang or "en_US"})
        return rules.sidebar_categories(cr.fetchall(), counts, filters)

    # ------------------------------------------------------------------ the product page
    @api.model
    def _b2b_properties(self, product):
        """[(property, value)] of the product shown to dealers, in the properties' order."""
        values = self.env["b2b.product.property.value"].sudo().search([
            ("product_tmpl_id", "=", product.product_tmpl_id.id),
            ("property_id.show_in_portal", "=", True), ("property_id.active", "=", True)])
        return [(value.property_id.name, value.value) for value in values]

    @api.model
    def _b2b_documents(self, product):
        """Public attachments of the product and its template (certificates, manuals, ...)."""
        Attachment = self.env["ir.attachment"].sudo()
        return Attachment.search([
            ("public", "=", True), ("type", "=", "binary"), ("res_field", "=", False),
            "|", "&", ("res_model", "=", "product.template"), ("res_id", "=", product.product_tmpl_id.id),
            "&", ("res_model", "=", "product.product"), ("res_id", "=", product.id),
        ], order="name, id").read(["name", "datas_fname", "mimetype", "file_size"])
