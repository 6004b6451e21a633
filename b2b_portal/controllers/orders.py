"""The dealer's orders: list, detail, editing under the status rule, cancelling, copying into the cart.

Everything goes through ``sale.order``'s ``b2b_*`` methods as the logged-in user, so b2b_base's
record rules decide which orders a user reaches (another dealer's order answers 404) and the
model decides who may change one, and when."""
import werkzeug.exceptions

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.http import request
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..lib import orders as rules
from .portal_base import SESSION_KEY, B2bPortal

PAGE_SIZE = 20
# blank rows of the edit form for adding products by SKU
NEW_ROWS = 3
# what an order's update, cancel or copy may refuse with (a line of another user's order, too)
REFUSALS = (UserError, AccessError)


class B2bOrders(B2bPortal):

    # ------------------------------------------------------------------ list
    @http.route(["/b2b/orders", "/b2b/orders/page/<int:page>"], type="http", auth="user",
                website=False)
    def orders(self, page=1, search="", state="", contract_id="", **kw):
        user = self._b2b_ensure_dealer()
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
            return self._b2b_redirect(pager["page_end"]["url"])
        contracts = self._b2b_contracts(user)
        return request.render("b2b_portal.orders_page", self._prepare_b2b_layout_values(
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
    def _b2b_order_detail(self, order_id):
        try:
            return request.env["sale.order"].b2b_order_detail(order_id)
        except AccessError:
            raise werkzeug.exceptions.NotFound()

    def _render_order_detail(self, detail, **values):
        for key, value in self._b2b_order_page_values(detail).items():
            values.setdefault(key, value)
        return request.render("b2b_portal.order_page", self._prepare_b2b_layout_values(
            page_name="b2b_orders", order=detail, **values))

    @http.route("/b2b/orders/<int:order_id>", type="http", auth="user", website=False)
    def order(self, order_id, updated=None, cancelled=None, **kw):
        self._b2b_ensure_dealer()
        detail = self._b2b_order_detail(order_id)
        notice = None
        if updated:
            notice = "updated"
        elif cancelled:
            notice = "cancelled"
        return self._render_order_detail(detail, notice=notice)

    # ------------------------------------------------------------------ edit
    @http.route("/b2b/orders/<int:order_id>/edit", type="http", auth="user", methods=["GET"],
                website=False)
    def order_edit_form(self, order_id, **kw):
        self._b2b_ensure_dealer()
        detail = self._b2b_order_detail(order_id)
        if not detail["can_edit"]:
            return self._render_order_detail(detail, error=detail["edit_refusal"])
        rows, new_rows = rules.edit_rows(detail["lines"], NEW_ROWS)
        return self._render_order_edit(detail, rows, new_rows)

    def _render_order_edit(self, detail, rows, new_rows, error=None):
        return request.render("b2b_portal.order_edit_page", self._prepare_b2b_layout_values(
            page_name="b2b_orders", order=detail, rows=rows, new_rows=new_rows, error=error))

    @http.route("/b2b/orders/<int:order_id>/edit", type="http", auth="user", methods=["POST"],
                website=False)
    def order_edit_save(self, order_id, **kw):
        """Save the edit form: every kept line's quantity (a ticked "remove" sends 0) and the rows
        added by SKU, in one ``b2b_update_lines`` call. On a refusal the form comes back with the
        message and what the dealer typed; nothing is saved."""
        self._b2b_ensure_dealer()
        detail = self._b2b_order_detail(order_id)
        form = request.httprequest.form
        lines, rows, new_rows = rules.read_edit_form(
            detail["lines"], form.getlist("product_id"), form.getlist("qty"),
            set(form.getlist("remove")), form.getlist("new_sku"), form.getlist("new_qty"))
        _result, error = self._b2b_attempt(request.env["sale.order"].b2b_update_lines, order_id,
                                           lines, refusals=REFUSALS)
        if error:
            detail = self._b2b_order_detail(order_id)
            if not detail["can_edit"]:
                return self._render_order_detail(detail, error=error)
            return self._render_order_edit(detail, rows, new_rows, error=error)
        return self._b2b_redirect("/b2b/orders/%d?updated=1" % order_id)

    # ------------------------------------------------------------------ cancel and copy
    @http.route("/b2b/orders/<int:order_id>/cancel", type="http", auth="user", methods=["POST"],
                website=False)
    def order_cancel(self, order_id, **kw):
        self._b2b_ensure_dealer()
        self._b2b_order_detail(order_id)
        _result, error = self._b2b_attempt(request.env["sale.order"].b2b_cancel_order, order_id,
                                           refusals=REFUSALS)
        if error:
            return self._render_order_detail(self._b2b_order_detail(order_id), error=error)
        return self._b2b_redirect("/b2b/orders/%d?cancelled=1" % order_id)

    @http.route("/b2b/orders/<int:order_id>/copy", type="http", auth="user", methods=["POST"],
                website=False)
    def copy_to_cart(self, order_id, **kw):
        """Add the order's lines to the user's cart under the order's contract, which becomes the
        current contract; then the cart. Lines that can no longer be bought are listed on the
        order's page, with a link to the cart."""
        self._b2b_ensure_dealer()
        detail = self._b2b_order_detail(order_id)
        result, error = self._b2b_attempt(request.env["sale.order"].b2b_copy_to_cart, order_id,
                                          refusals=REFUSALS)
        if error:
            return self._render_order_detail(detail, error=error)
        request.session[SESSION_KEY] = result["contract_id"]
        if result["skipped"]:
            return self._render_order_detail(detail, copy_result=result)
        return self._b2b_redirect("/b2b/cart")
