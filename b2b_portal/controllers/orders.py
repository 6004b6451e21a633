"""The dealer's orders: list, detail, editing under the status rule, cancelling, copying into the cart.

Everything goes through ``sale.order``'s ``b2b_*`` methods as the logged-in user, so b2b_base's
record rules decide which orders a user reaches (another dealer's order answers 404) and the
model decides who may change one, and when."""
import werkzeug.exceptions
import werkzeug.utils

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal_base import SESSION_KEY, allowed_contracts, ensure_dealer, layout_values

PAGE_SIZE = 20
# blank rows of the edit form for adding products by SKU
NEW_ROWS = 3


def _error_text(error):
    return error.name if hasattr(error, "name") else str(error)


def fmt_qty(qty):
    """A quantity as a dealer types it: 12, 1.5 (what the dealer typed is shown back as typed)."""
    if isinstance(qty, (int, float)) and not isinstance(qty, bool):
        return ("%.3f" % qty).rstrip("0").rstrip(".")
    return qty or ""


def _attempt(method, *args):
    """Call a model method in a savepoint: (result, None), or (None, message) of a refusal, with
    whatever the call wrote undone."""
    try:
        with request.env.cr.savepoint():
            return method(*args), None
    except (UserError, AccessError) as error:
        request.env.cache.invalidate()
        return None, _error_text(error)


class B2bOrders(http.Controller):

    # ------------------------------------------------------------------ list
    @http.route(["/b2b/orders", "/b2b/orders/page/<int:page>"], type="http", auth="user",
                website=False)
    def orders(self, page=1, search="", state="", contract_id="", **kw):
        user = ensure_dealer()
        Order = request.env["sale.order"]
        search = (search or "").strip()
        try:
            contract = int(contract_id or 0)
        except ValueError:
            contract = 0
        url_args = {key: value for key, value in (("search", search), ("state", state),
                                                   ("contract_id", contract or "")) if value}
        first = Order.b2b_order_list(search=search, state=state, contract_id=contract,
                                     offset=(max(page, 1) - 1) * PAGE_SIZE, limit=PAGE_SIZE)
        total = first["total"]
        pager = portal_pager(url="/b2b/orders", total=total, page=page, step=PAGE_SIZE,
                             url_args=url_args)
        rows = first["orders"]
        if page > 1 and not rows and total:
            # a page past the end (after a filter narrowed the list): show the last one
            return werkzeug.utils.redirect(pager["page_end"]["url"], 303)
        contracts = allowed_contracts(user)
        return request.render("b2b_portal.orders_page", layout_values(
            page_name="b2b_orders",
            orders=rows,
            pager=pager,
            total=total,
            search=search,
            state=state,
            contract_filter=contract,
            contracts=contracts,
            show_contract_filter=len(contracts) > 1,
            status_choices=Order.b2b_status_choices(),
        ))

    # ------------------------------------------------------------------ detail
    def _detail(self, order_id):
        try:
            return request.env["sale.order"].b2b_order_detail(order_id)
        except AccessError:
            raise werkzeug.exceptions.NotFound()

    def _render_detail(self, detail, **values):
        return request.render("b2b_portal.order_page", layout_values(
            page_name="b2b_orders", order=detail, fmt_qty=fmt_qty, **values))

    @http.route("/b2b/orders/<int:order_id>", type="http", auth="user", website=False)
    def order(self, order_id, updated=None, cancelled=None, **kw):
        ensure_dealer()
        detail = self._detail(order_id)
        notice = None
        if updated:
            notice = "updated"
        elif cancelled:
            notice = "cancelled"
        return self._render_detail(detail, notice=notice)

    # ------------------------------------------------------------------ edit
    @http.route("/b2b/orders/<int:order_id>/edit", type="http", auth="user", methods=["GET"],
                website=False)
    def edit_form(self, order_id, **kw):
        ensure_dealer()
        detail = self._detail(order_id)
        if not detail["can_edit"]:
            return self._render_detail(detail, error=detail["edit_refusal"])
        rows = [{"product_id": line["product_id"], "sku": line["sku"], "name": line["name"],
                 "qty": line["qty"], "unit": line["unit"], "price": line["price"], "remove": False}
                for line in detail["lines"]]
        return self._render_edit(detail, rows, [{"sku": "", "qty": ""}] * NEW_ROWS)

    def _render_edit(self, detail, rows, new_rows, error=None):
        return request.render("b2b_portal.order_edit_page", layout_values(
            page_name="b2b_orders", order=detail, rows=rows, new_rows=new_rows, error=error,
            fmt_qty=fmt_qty))

    @http.route("/b2b/orders/<int:order_id>/edit", type="http", auth="user", methods=["POST"],
                website=False)
    def edit_save(self, order_id, **kw):
        """Save the edit form: every kept line's quantity (a ticked "remove" sends 0) and the rows
        added by SKU, in one ``b2b_update_lines`` call. On a refusal the form comes back with the
        message and what the dealer typed; nothing is saved."""
        ensure_dealer()
        detail = self._detail(order_id)
        form = request.httprequest.form
        product_ids = form.getlist("product_id")
        quantities = form.getlist("qty")
        removed = set(form.getlist("remove"))
        skus = form.getlist("new_sku")
        new_quantities = form.getlist("new_qty")
        lines, rows, new_rows = [], [], []
        known = {str(line["product_id"]): line for line in detail["lines"]}
        for index, raw_id in enumerate(product_ids):
            qty = quantities[index] if index < len(quantities) else ""
            try:
                product_id = int(raw_id)
            except ValueError:
                product_id = raw_id
            line = known.get(raw_id, {})
            rows.append({"product_id": raw_id, "sku": line.get("sku", ""), "name": line.get("name", ""),
                         "qty": qty, "unit": line.get("unit", ""), "price": line.get("price"),
                         "remove": raw_id in removed})
            lines.append((product_id, 0 if raw_id in removed else qty))
        for index, sku in enumerate(skus):
            qty = new_quantities[index] if index < len(new_quantities) else ""
            new_rows.append({"sku": sku, "qty": qty})
            if sku.strip() or str(qty).strip():
                lines.append((sku, qty))
        _result, error = _attempt(request.env["sale.order"].b2b_update_lines, order_id, lines)
        if error:
            detail = self._detail(order_id)
            if not detail["can_edit"]:
                return self._render_detail(detail, error=error)
            return self._render_edit(detail, rows, new_rows, error=error)
        return werkzeug.utils.redirect("/b2b/orders/%d?updated=1" % order_id, 303)

    # ------------------------------------------------------------------ cancel and copy
    @http.route("/b2b/orders/<int:order_id>/cancel", type="http", auth="user", methods=["POST"],
                website=False)
    def cancel(self, order_id, **kw):
        ensure_dealer()
        self._detail(order_id)
        _result, error = _attempt(request.env["sale.order"].b2b_cancel_order, order_id)
        if error:
            return self._render_detail(self._detail(order_id), error=error)
        return werkzeug.utils.redirect("/b2b/orders/%d?cancelled=1" % order_id, 303)

    @http.route("/b2b/orders/<int:order_id>/copy", type="http", auth="user", methods=["POST"],
                website=False)
    def copy_to_cart(self, order_id, **kw):
        """Add the order's lines to the user's cart under the order's contract, which becomes the
        current contract; then the cart. Lines that can no longer be bought are listed on the
        order's page, with a link to the cart."""
        ensure_dealer()
        detail = self._detail(order_id)
        result, error = _attempt(request.env["sale.order"].b2b_copy_to_cart, order_id)
        if error:
            return self._render_detail(detail, error=error)
        request.session[SESSION_KEY] = result["contract_id"]
        if result["skipped"]:
            return self._render_detail(detail, copy_result=result)
        return werkzeug.utils.redirect("/b2b/cart", 303)
