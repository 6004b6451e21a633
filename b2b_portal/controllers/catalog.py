"""The catalog of the dealer portal: the product list with the current contract's prices, the
product page, add-to-cart, favourites and quick-add suggestions.

Only goods the current contract may buy are ever listed or shown: the product search runs as the
dealer's user (record rules of b2b_base) with the contract's restrictions added as one SQL
condition (``lib.catalog.scope_sql``, the rule of b2b_base's pricing). A page costs a fixed number
of queries whatever the size of the catalog: the contract's whole listing in catalog order (ids
and categories; from Odoo's cache, shared by the dealers of the same scope, except with the
favourites filter), the search's matches (one query on trigram indexes), then the page's texts
and one pricing query (``contract._b2b_offers``). Paging, category counts, the category and the
search are worked out from the listing in memory (``lib.catalog.select_listing``)."""
import base64

import werkzeug.exceptions
import werkzeug.wrappers

from odoo import SUPERUSER_ID, _, http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.b2b_base.lib import pricing
from odoo.addons.b2b_base.rule_messages import render, translate
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.web.controllers.main import Binary

from ..lib import catalog as rules
from .portal_base import current_contract, ensure_dealer, layout_values

IMAGE_FIELDS = {"small": "image_small", "medium": "image_medium", "big": "image"}


class ContractScope(object):
    """The products the current user may buy under ``contract``, searched as that user."""

    def __init__(self, env, contract):
        self.env = env
        self.contract = contract
        context = pricing.contract_context(env.cr, contract.id)
        self.condition, self.params = rules.scope_sql(
            '"product_product"', context.price_type_id, context.region_id, context.dealer_ids)

    def _query(self, domain):
        """Odoo's own search query for ``domain`` (access rights and record rules of the user),
        restricted to the contract's goods."""
        Product = self.env["product.product"]
        Product.check_access_rights("read")
        query = Product._where_calc(domain)
        Product._apply_ir_rules(query, "read")
        query.where_clause.append(self.condition)
        query.where_clause_params.extend(self.params)
        return Product, query

    def matching_ids(self, term, sql=rules.MATCH_SQL):
        """The products the search text ``term`` finds (SKU prefix or name; lib.catalog's
        MATCH_SQL, or one of its parts, one indexed query), before the user's rights and the
        contract's scope: a set."""
        cr = self.env.cr
        cr.execute(sql, rules.match_params(term, self.env.lang or "en_US"))
        return {row[0] for row in cr.fetchall()}

    def listing(self, domain, cached=False):
        """(product ids, their category ids) of every product matching ``domain`` that the user
        may see and the contract may buy, in catalog order. ``cached``: kept in the ormcache
        (product.product._b2b_catalog_listing), shared by the dealers of the same scope."""
        Product, query = self._query(domain)
        from_clause, where_clause, params = query.get_sql()
        sql = """SELECT p.id, t.categ_id
                   FROM product_product p JOIN product_template t ON t.id = p.product_tmpl_id
                  WHERE p.id IN (SELECT "product_product".id FROM %s WHERE %s)
                  ORDER BY p.default_code, p.id""" % (from_clause, where_clause)
        if cached:
            return Product._b2b_catalog_listing(sql, repr(params), params)
        self.env.cr.execute(sql, params)
        rows = self.env.cr.fetchall()
        return [row[0] for row in rows], [row[1] for row in rows]

    def contains(self, product_id):
        """Whether the user may see product ``product_id`` and the contract may buy it."""
        _Product, query = self._query([("id", "=", product_id)])
        from_clause, where_clause, params = query.get_sql()
        self.env.cr.execute('SELECT 1 FROM %s WHERE %s LIMIT 1' % (from_clause, where_clause),
                            params)
        return bool(self.env.cr.fetchone())


def _number_format():
    """(thousands separator, decimal point) of the user's language."""
    return request.env["res.lang"]._b2b_number_format(request.env.lang or "en_US")


PRODUCT_TEXTS_SQL = """
    SELECT p.id, p.default_code,
           COALESCE(NULLIF(tn.value, ''), t.name),
           COALESCE(NULLIF(tu.value, ''), u.name),
           COALESCE(NULLIF(ts.value, ''), t.b2b_shipment_unit)
      FROM product_product p
      JOIN product_template t ON t.id = p.product_tmpl_id
      JOIN product_uom u ON u.id = t.uom_id
      LEFT JOIN ir_translation tn ON tn.type = 'model' AND tn.lang = %(lang)s
           AND tn.name = 'product.template,name' AND tn.res_id = t.id
      LEFT JOIN ir_translation tu ON tu.type = 'model' AND tu.lang = %(lang)s
           AND tu.name = 'product.uom,name' AND tu.res_id = u.id
      LEFT JOIN ir_translation ts ON ts.type = 'model' AND ts.lang = %(lang)s
           AND ts.name = 'product.template,b2b_shipment_unit' AND ts.res_id = t.id
     WHERE p.id = ANY(%(ids)s)"""


# categories (ids) with their names in a language, in the order of their full paths
CATEGORY_NAMES_SQL = """
    SELECT c.id, COALESCE(NULLIF(tr.value, ''), c.name)
      FROM product_category c
      LEFT JOIN ir_translation tr ON tr.type = 'model' AND tr.lang = %(lang)s
           AND tr.name = 'product.category,name' AND tr.res_id = c.id
     WHERE c.id = ANY(%(ids)s)
     ORDER BY c.complete_name, c.id"""


def _product_texts(product_ids):
    """{product id: {default_code, name, unit, shipment_unit}} in the user's language, in one
    query (the texts the ORM's read would give: the translation when there is one, else the
    source), for products the caller has already checked the user may see."""
    if not product_ids:
        return {}
    cr = request.env.cr
    cr.execute(PRODUCT_TEXTS_SQL, {"lang": request.env.lang or "en_US", "ids": list(product_ids)})
    return {row[0]: {"default_code": row[1], "name": row[2], "unit": row[3],
                     "shipment_unit": row[4]} for row in cr.fetchall()}


def product_rows(contract, product_ids, favourite_ids=()):
    """The products ``product_ids`` as the catalog shows them under ``contract``, in that order:
    one read and one pricing query. Products the contract cannot buy are left out."""
    offers = contract._b2b_offers(list(product_ids))
    products = _product_texts(product_ids)
    currency = contract.currency_id
    sep, point = _number_format()
    favourites = set(favourite_ids)
    rows = []
    for pid in product_ids:
        offer = offers.get(pid)
        product = products.get(pid)
        if not product or not offer or not offer.visible or offer.forbidden or offer.price is None:
            continue
        rows.append({
            "id": pid,
            "sku": product["default_code"] or "",
            "name": product["name"],
            "unit": product["unit"] or "",
            "shipment_unit": product["shipment_unit"] or "",
            "price": offer.price,
            "rrp": offer.rrp,
            "price_text": rules.format_money(offer.price, currency.symbol, currency.position, sep, point),
            "rrp_text": rules.format_money(offer.rrp, currency.symbol, currency.position, sep, point),
            "in_stock": offer.availability == "in_stock",
            "lead_days": offer.lead_days,
            "min_qty": offer.min_qty,
            "multiple": offer.multiple,
            "min_text": rules.format_qty(offer.min_qty) if offer.min_qty and offer.min_qty > 1 else "",
            "multiple_text": rules.format_qty(offer.multiple)
                             if offer.multiple and offer.multiple != 1 else "",
            "default_qty": rules.format_qty(rules.default_qty(offer.min_qty, offer.multiple)),
            "step": rules.format_qty(offer.multiple) if offer.multiple and offer.multiple > 0 else "any",
            "favourite": pid in favourites,
        })
    return rows


def _favourite_ids(product_ids):
    """Which of ``product_ids`` the user starred (one query, as the user)."""
    if not product_ids:
        return []
    favourites = request.env["b2b.favourite"].search_read(
        [("user_id", "=", request.env.uid), ("product_id", "in", list(product_ids))], ["product_id"])
    return [row["product_id"][0] for row in favourites]


def _contract_or_refuse():
    contract = current_contract()
    if not contract:
        raise UserError(_("You have no contract to order under: ask your manager."))
    return contract


class B2bCatalog(http.Controller):

    # ------------------------------------------------------------------ pages
    @http.route(["/b2b/catalog", "/b2b/catalog/page/<int:page>"], type="http", auth="user")
    def catalog(self, page=1, **params):
        ensure_dealer()
        contract = current_contract()
        filters = rules.parse_filters(params)
        values = layout_values(page_name="b2b_catalog", filters=filters, rows=[], categories=[],
                               total=0, pager=None, catalog_url=rules.catalog_url)
        if not contract:
            return request.render("b2b_portal.catalog", values)
        scope = ContractScope(request.env, contract)
        favourite_ids = request.env["b2b.favourite"].b2b_product_ids() if filters.fav else None
        # the contract's whole listing (availability and favourites applied) is kept for the
        # dealers of the same scope until goods or prices change, except with the favourites
        # filter; the search, the category and the page are picked out of it
        listed, listed_categories = scope.listing(
            rules.catalog_domain(filters, favourite_ids, with_category=False),
            cached=not filters.fav)
        matched = scope.matching_ids(filters.q) if filters.q else None
        counts, ids = rules.select_listing(listed, listed_categories, matched,
                                           self._category_tree(filters.category_id))
        total = len(ids)
        number, offset, _count = rules.page_of(page, total)
        pager = portal_pager(url="/b2b/catalog", total=total, page=number, step=rules.PAGE_SIZE,
                             url_args=rules.filter_args(filters))
        ids = list(ids[offset:offset + rules.PAGE_SIZE])
        values.update({
            "rows": product_rows(contract, ids, _favourite_ids(ids)),
            "categories": self._categories(counts, filters),
            "total": total,
            "pager": pager,
            "page_number": number,
        })
        return request.render("b2b_portal.catalog", values)

    def _category_tree(self, category_id):
        """The set of ids of category ``category_id`` and its subcategories (None: no choice)."""
        if not category_id:
            return None
        Category = request.env["product.category"].sudo()
        return set(Category._search([("id", "child_of", category_id)]))

    def _categories(self, counts, filters):
        """The sidebar's categories: those with goods in ``counts`` and the chosen one, by their
        full path, each with its name in the user's language (one query)."""
        ids = set(counts)
        if filters.category_id:
            ids.add(filters.category_id)
        if not ids:
            return []
        cr = request.env.cr
        cr.execute(CATEGORY_NAMES_SQL, {"ids": list(ids), "lang": request.env.lang or "en_US"})
        return [{
            "id": category_id,
            "name": name,
            "count": counts.get(category_id, 0),
            "active": category_id == filters.category_id,
            "url": rules.catalog_url(filters, category=category_id),
        } for category_id, name in cr.fetchall()]

    @http.route("/b2b/product/<int:product_id>", type="http", auth="user")
    def product(self, product_id, **kw):
        ensure_dealer()
        contract = current_contract()
        if not contract or not ContractScope(request.env, contract).contains(product_id):
            raise werkzeug.exceptions.NotFound()
        rows = product_rows(contract, [product_id], _favourite_ids([product_id]))
        if not rows:
            raise werkzeug.exceptions.NotFound()
        product = request.env["product.product"].sudo().browse(product_id)
        values = layout_values(
            page_name="b2b_catalog",
            row=rows[0],
            description=product.description_sale or product.description or "",
            category=product.categ_id.name,
            has_image=bool(product.image_medium),
            documents=self._documents(product),
            properties=self._properties(product),
        )
        return request.render("b2b_portal.product_page", values)

    def _properties(self, product):
        """[(property, value)] of the product shown to dealers, in the properties' order."""
        values = request.env["b2b.product.property.value"].sudo().search([
            ("product_tmpl_id", "=", product.product_tmpl_id.id),
            ("property_id.show_in_portal", "=", True), ("property_id.active", "=", True)])
        return [(value.property_id.name, value.value) for value in values]

    def _documents(self, product):
        """Public attachments of the product and its template (certificates, manuals, ...)."""
        Attachment = request.env["ir.attachment"].sudo()
        return Attachment.search([
            ("public", "=", True), ("type", "=", "binary"), ("res_field", "=", False),
            "|", "&", ("res_model", "=", "product.template"), ("res_id", "=", product.product_tmpl_id.id),
            "&", ("res_model", "=", "product.product"), ("res_id", "=", product.id),
        ], order="name, id").read(["name", "datas_fname", "mimetype", "file_size"])

    @http.route("/b2b/product/<int:product_id>/image", type="http", auth="user")
    def product_image(self, product_id, size="medium", **kw):
        """The product's picture for a dealer who may buy it (404 otherwise)."""
        ensure_dealer()
        contract = current_contract()
        if not contract or not ContractScope(request.env, contract).contains(product_id):
            raise werkzeug.exceptions.NotFound()
        field = IMAGE_FIELDS.get(size, "image_medium")
        status, headers, content = request.env["ir.http"].binary_content(
            model="product.product", id=product_id, field=field, default_mimetype="image/png",
            env=request.env(user=SUPERUSER_ID))
        return _image_response(status, headers, content)

    @http.route("/b2b/product/<int:product_id>/file/<int:attachment_id>", type="http", auth="user")
    def product_file(self, product_id, attachment_id, **kw):
        """Download one of the product's public documents."""
        ensure_dealer()
        contract = current_contract()
        if not contract or not ContractScope(request.env, contract).contains(product_id):
            raise werkzeug.exceptions.NotFound()
        product = request.env["product.product"].sudo().browse(product_id)
        if attachment_id not in [doc["id"] for doc in self._documents(product)]:
            raise werkzeug.exceptions.NotFound()
        status, headers, content = request.env["ir.http"].binary_content(
            model="ir.attachment", id=attachment_id, field="datas", filename_field="datas_fname",
            download=True, env=request.env(user=SUPERUSER_ID))
        if status != 200 or not content:
            raise werkzeug.exceptions.NotFound()
        content = base64.b64decode(content)
        headers.append(("Content-Length", len(content)))
        return request.make_response(content, headers)

    # ------------------------------------------------------------------ JSON
    @http.route("/b2b/cart/add", type="json", auth="user")
    def cart_add(self, product_id=None, qty=1, **kw):
        """Add ``qty`` of a product to the current contract's cart (to the line's quantity).
        Returns {"count": lines in the cart, "qty": the line's new quantity, "message": why the
        line cannot be ordered as it is (minimum, multiple) or null}."""
        ensure_dealer()
        contract = _contract_or_refuse()
        pid = rules.parse_product_id(product_id)
        if not pid:
            raise UserError(render(request.env, [rules.Problem(rules.NO_PRODUCT)]))
        amount, problem = rules.parse_qty(qty)
        if problem:
            raise UserError(render(request.env, [problem]))
        Cart = request.env["b2b.cart"]
        cart_id = Cart.b2b_get_cart(contract.id)
        line = request.env["b2b.cart.line"].search(
            [("cart_id", "=", cart_id), ("product_id", "=", pid)], limit=1)
        summary = Cart.b2b_set_lines(cart_id, [(pid, rules.add_qty(line.qty, amount))])
        added = [row for row in summary["lines"] if row["product_id"] == pid]
        message = None
        if added:
            reason = pricing.check_quantity(added[0]["qty"], added[0]["min_qty"], added[0]["multiple"])
            if reason:
                message = translate(request.env, pricing.REASONS[reason[0]]) % reason[1]
        return {
            "count": len(summary["lines"]),
            "qty": added[0]["qty"] if added else 0,
            "message": message,
        }

    @http.route("/b2b/favourite/toggle", type="json", auth="user")
    def favourite_toggle(self, product_id=None, **kw):
        ensure_dealer()
        return {"favourite": request.env["b2b.favourite"].b2b_toggle(product_id)}

    @http.route("/b2b/suggest", type="json", auth="user")
    def suggest(self, term=None, limit=None, **kw):
        """Products for the quick add: SKU-prefix matches first, then name matches, only goods
        the current contract may buy. [{id, sku, name, unit, price, price_text}]"""
        ensure_dealer()
        contract = current_contract()
        term = rules.clean_term(term)
        if not contract or not term:
            return []
        limit = rules.suggest_limit(limit)
        scope = ContractScope(request.env, contract)
        # out of the contract's cached listing, in catalog order: one indexed query for the SKUs,
        # one more for the names when the SKUs do not fill the list
        listed, _categories = scope.listing(rules.catalog_domain(rules.NO_FILTERS), cached=True)
        by_sku = scope.matching_ids(term, rules.SKU_MATCH_SQL)
        chosen = rules.suggestions(listed, by_sku, (), limit)
        if len(chosen) < limit:
            chosen = rules.suggestions(listed, by_sku,
                                       scope.matching_ids(term, rules.NAME_MATCH_SQL), limit)
        rows = product_rows(contract, chosen)
        return [{"id": row["id"], "sku": row["sku"], "name": row["name"], "unit": row["unit"],
                 "price": row["price"], "price_text": row["price_text"]} for row in rows]


def _image_response(status, headers, content):
    if status == 304:
        return werkzeug.wrappers.Response(status=304, headers=headers)
    if content:
        image = base64.b64decode(content)
    else:
        image = Binary().placeholder()
        headers = [(name, value) for name, value in headers if name != "Content-Type"]
        headers.append(("Content-Type", "image/png"))
    headers.append(("Content-Length", len(image)))
    response = request.make_response(image, headers)
    response.status_code = 200
    return response
