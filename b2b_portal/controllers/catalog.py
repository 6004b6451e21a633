"""The catalog of the dealer portal: the product list with the current contract's prices, the
product page, add-to-cart, favourites and quick-add suggestions.

What a page lists and shows is read by the ``b2b.catalog`` model as the dealer's user (only goods
the current contract may buy, a fixed number of queries a page: see models/b2b_catalog.py); the
controller reads the request and renders."""
import base64

import werkzeug.exceptions

from odoo import SUPERUSER_ID, _, http
from odoo.exceptions import UserError
from odoo.http import request

from odoo.addons.b2b_base.lib import pricing
from odoo.addons.b2b_base.tools.rule_messages import render, translate
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..lib import catalog as rules
from .portal_base import B2bPortal

IMAGE_FIELDS = {"small": "image_small", "medium": "image_medium", "big": "image"}


class B2bCatalog(B2bPortal):

    def _b2b_order_contract(self):
        """The current contract, or a refusal: there is none to order under."""
        contract = self._b2b_contract()
        if not contract:
            raise UserError(_("You have no contract to order under: ask your manager."))
        return contract

    def _b2b_sold_here(self, product_id):
        """404 unless the current contract may buy product ``product_id`` and the user see it."""
        contract = self._b2b_contract()
        if not contract or not request.env["b2b.catalog"]._b2b_sells(contract, product_id):
            raise werkzeug.exceptions.NotFound()
        return contract

    # ------------------------------------------------------------------ pages
    @http.route(["/b2b/catalog", "/b2b/catalog/page/<int:page>"], type="http", auth="user")
    def catalog(self, page=1, **params):
        self._b2b_ensure_dealer()
        contract = self._b2b_contract()
        filters = rules.parse_filters(params)
        values = self._prepare_b2b_layout_values(
            page_name="b2b_catalog", filters=filters, rows=[], categories=[], total=0, pager=None,
            catalog_url=rules.catalog_url)
        if not contract:
            return request.render("b2b_portal.catalog", values)
        found = request.env["b2b.catalog"]._b2b_catalog_page(contract, filters, page)
        found["pager"] = portal_pager(url="/b2b/catalog", total=found["total"],
                                      page=found["page_number"], step=rules.PAGE_SIZE,
                                      url_args=rules.filter_args(filters))
        values.update(found)
        return request.render("b2b_portal.catalog", values)

    @http.route("/b2b/product/<int:product_id>", type="http", auth="user")
    def product(self, product_id, **kw):
        self._b2b_ensure_dealer()
        contract = self._b2b_contract()
        shown = contract and request.env["b2b.catalog"]._b2b_product_page(contract, product_id)
        if not shown:
            raise werkzeug.exceptions.NotFound()
        return request.render("b2b_portal.product_page", self._prepare_b2b_layout_values(
            page_name="b2b_catalog", **shown))

    @http.route("/b2b/product/<int:product_id>/image", type="http", auth="user")
    def product_image(self, product_id, size="medium", **kw):
        """The product's picture for a dealer who may buy it (404 otherwise)."""
        self._b2b_ensure_dealer()
        self._b2b_sold_here(product_id)
        field = IMAGE_FIELDS.get(size, "image_medium")
        status, headers, content = request.env["ir.http"].binary_content(
            model="product.product", id=product_id, field=field, default_mimetype="image/png",
            env=request.env(user=SUPERUSER_ID))
        return self._b2b_image_response(status, headers, content)

    @http.route("/b2b/product/<int:product_id>/file/<int:attachment_id>", type="http", auth="user")
    def product_file(self, product_id, attachment_id, **kw):
        """Download one of the product's public documents."""
        self._b2b_ensure_dealer()
        self._b2b_sold_here(product_id)
        product = request.env["product.product"].sudo().browse(product_id)
        documents = request.env["b2b.catalog"]._b2b_documents(product)
        if attachment_id not in [doc["id"] for doc in documents]:
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
        self._b2b_ensure_dealer()
        contract = self._b2b_order_contract()
        pid = rules.parse_product_id(product_id)
        if not pid:
            raise UserError(render(request.env, [rules.Problem(rules.NO_PRODUCT)]))
        amount, problem = rules.parse_qty(qty)
        if problem:
            raise UserError(render(request.env, [problem]))
        Cart = request.env["b2b.cart"]
        cart_id = Cart.b2b_get_cart(contract.id)
        current = request.env["b2b.cart.line"]._b2b_line_qty(cart_id, pid)
        summary = Cart.b2b_set_lines(cart_id, [(pid, rules.add_qty(current, amount))])
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
        self._b2b_ensure_dealer()
        return {"favourite": request.env["b2b.favourite"].b2b_toggle(product_id)}

    @http.route("/b2b/suggest", type="json", auth="user")
    def suggest(self, term=None, limit=None, **kw):
        """Products for the quick add: SKU-prefix matches first, then name matches, only goods
        the current contract is offered. [{id, sku, name, unit, price, price_text, on_request}]:
        a product whose price is on request has ``price`` null, ``price_text`` "price on request"
        and ``on_request`` true (the cart refuses it)."""
        self._b2b_ensure_dealer()
        contract = self._b2b_contract()
        term = rules.clean_term(term)
        if not contract or not term:
            return []
        rows = request.env["b2b.catalog"]._b2b_suggestions(contract, term,
                                                           rules.suggest_limit(limit))
        return [{"id": row["id"], "sku": row["sku"], "name": row["name"], "unit": row["unit"],
                 "price": row["price"], "price_text": row["price_text"],
                 "on_request": row["on_request"]} for row in rows]
