"""The cart pages of the dealer portal: the cart of the current contract, quick add by SKU and a
pasted SKU list, checkout and its confirmation, the order by xlsx (template, upload, preview,
confirm, the file back with its errors marked) and saved carts.

Everything goes through the ``b2b_*`` methods of the models as the dealer's user, so the record
rules decide what is theirs: a record of another user or dealer answers 404, whatever id a form
carries. A refused action (UserError) shows the page again with the reason and changes nothing:
each of those methods checks everything before it writes anything."""
import werkzeug.exceptions

from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..lib import xlsx_order
from .portal_base import B2bPortal

NOTICE_KEY = "b2b_cart_notice"


class B2bCartPages(B2bPortal):

    # ------------------------------------------------------------------ helpers
    def _cart_id(self, contract=None, cart_id=None):
        """The id of the cart a request is about: ``cart_id`` when given (a form carries the id
        of the cart it showed; it must be the user's own, AccessError otherwise), else the user's
        cart under the current contract. None when the user has no contract."""
        Cart = request.env["b2b.cart"]
        if cart_id:
            return Cart._b2b_own(cart_id).id
        contract = contract or self._b2b_contract()
        if not contract:
            return None
        return Cart.b2b_get_cart(contract.id)

    def _posted_cart_id(self, cart_id):
        """The cart a posted form is about (``_cart_id``); another user's cart answers 404."""
        try:
            return self._cart_id(cart_id=cart_id)
        except AccessError:
            raise werkzeug.exceptions.NotFound()

    def _lines_html(self, summary):
        values = dict(self._b2b_formatters(), summary=summary)
        return request.env["ir.ui.view"].render_template("b2b_portal.cart_lines", values)

    def _json_answer(self, summary, **extra):
        html = self._lines_html(summary)
        answer = {
            "html": html.decode("utf-8") if isinstance(html, bytes) else str(html),
            "line_count": len(summary["lines"]),
            "problem_count": summary["problem_count"],
            "can_checkout": summary["can_checkout"],
            "totals": summary["totals"],
        }
        answer.update(extra)
        return answer

    def _render_cart(self, error=None, values=None):
        """The cart page of the current contract; ``error`` in a red alert when given."""
        contract = self._b2b_contract()
        summary = None
        notice = request.session.pop(NOTICE_KEY, None)
        if contract:
            Cart = request.env["b2b.cart"]
            try:
                summary = Cart.b2b_cart_summary(self._cart_id(contract))
            except UserError as refusal:    # no cart can be opened under a closed contract
                error = error or self._b2b_error_text(refusal)
        return request.render("b2b_portal.cart_page", self._prepare_b2b_layout_values(
            summary=summary, error=error, notice=notice, form=values or {}, page_name="b2b_cart"))

    # ------------------------------------------------------------------ the cart
    @http.route("/b2b/cart", type="http", auth="user", website=False)
    def cart(self, **kw):
        self._b2b_ensure_dealer()
        return self._render_cart()

    @http.route("/b2b/cart/update", type="json", auth="user", website=False)
    def cart_update(self, lines=None, cart_id=None, comment=None, desired_date=None, **kw):
        """Set all changed quantities at once: ``lines`` [[product_id, qty], ...] (0 removes)."""
        self._b2b_ensure_dealer()
        Cart = request.env["b2b.cart"]
        cart_id = self._cart_id(cart_id=cart_id)
        if not cart_id:
            raise UserError(_("You have no contract to order under."))
        if lines:
            summary = Cart.b2b_set_lines(cart_id, lines)
        else:
            summary = Cart.b2b_cart_summary(cart_id)
        if comment is not None or desired_date is not None:
            Cart.b2b_set_details(cart_id, comment=comment, desired_date=desired_date)
        return self._json_answer(summary)

    @http.route("/b2b/cart/quick_add", type="json", auth="user", website=False)
    def cart_quick_add(self, sku=None, product_id=None, qty=1, cart_id=None, **kw):
        self._b2b_ensure_dealer()
        cart_id = self._cart_id(cart_id=cart_id)
        if not cart_id:
            raise UserError(_("You have no contract to order under."))
        summary = request.env["b2b.cart"].b2b_quick_add(cart_id, sku=sku, product_id=product_id,
                                                        qty=qty)
        return self._json_answer(summary, added=summary["added"])

    @http.route("/b2b/cart/paste", type="json", auth="user", website=False)
    def cart_paste(self, text=None, cart_id=None, **kw):
        self._b2b_ensure_dealer()
        cart_id = self._cart_id(cart_id=cart_id)
        if not cart_id:
            raise UserError(_("You have no contract to order under."))
        summary = request.env["b2b.cart"].b2b_add_sku_list(cart_id, text or "")
        return self._json_answer(summary, added=summary["added"])

    # ------------------------------------------------------------------ checkout
    @http.route("/b2b/cart/checkout", type="http", auth="user", methods=["POST"], website=False)
    def cart_checkout(self, cart_id=None, comment=None, desired_date=None, **kw):
        self._b2b_ensure_dealer()
        Cart = request.env["b2b.cart"]
        cart_id = self._posted_cart_id(cart_id)
        if not cart_id:
            return self._render_cart(error=_("You have no contract to order under."))
        form = {"comment": comment or "", "desired_date": desired_date or ""}
        try:
            Cart.b2b_set_details(cart_id, comment=comment, desired_date=desired_date)
            order_id = self._b2b_place_cart(cart_id, kw)
        except UserError as refusal:
            return self._render_cart(error=self._b2b_error_text(refusal),
                                     values=self._b2b_refused_checkout_values(cart_id, form))
        return self._b2b_redirect("/b2b/cart/placed/%d" % order_id)

    def _b2b_place_cart(self, cart_id, form):
        """Order cart ``cart_id`` (the checkout form's other fields in ``form``); the id of the
        order the confirmation page shows. Addons that place a cart otherwise override it."""
        return request.env["b2b.cart"].b2b_checkout(cart_id)

    def _b2b_refused_checkout_values(self, cart_id, values):
        """What the cart page shows with a refused checkout, beside the form's ``values``."""
        return values

    @http.route("/b2b/cart/placed/<int:order_id>", type="http", auth="user", website=False)
    def cart_placed(self, order_id, **kw):
        self._b2b_ensure_dealer()
        order = request.env["sale.order"].browse(order_id).exists()
        try:
            order.check_access_rights("read")
            order.check_access_rule("read")
        except AccessError:
            order = order.browse()
        if not order:
            raise werkzeug.exceptions.NotFound()
        order = order.sudo()
        return request.render("b2b_portal.cart_placed", self._prepare_b2b_layout_values(
            order=order, line_count=len(order.order_line), page_name="b2b_cart"))

    # ------------------------------------------------------------------ order by xlsx
    @http.route("/b2b/cart/template.xlsx", type="http", auth="user", website=False)
    def cart_template(self, **kw):
        self._b2b_ensure_dealer()
        return self._b2b_file_response(xlsx_order.template_file(), "order-template.xlsx")

    @http.route("/b2b/cart/upload", type="http", auth="user", methods=["GET"], website=False)
    def cart_upload_form(self, **kw):
        self._b2b_ensure_dealer()
        return self._render_upload()

    def _render_upload(self, error=None):
        return request.render("b2b_portal.cart_upload_page", self._prepare_b2b_layout_values(
            error=error, max_mb=xlsx_order.MAX_SIZE // (1024 * 1024),
            max_rows=xlsx_order.MAX_ROWS, page_name="b2b_cart"))

    @http.route("/b2b/cart/upload", type="http", auth="user", methods=["POST"], website=False)
    def cart_upload(self, order_file=None, **kw):
        self._b2b_ensure_dealer()
        contract = self._b2b_contract()
        if not contract:
            return self._render_upload(error=_("You have no contract to order under."))
        if not hasattr(order_file, "read") or not order_file.filename:
            return self._render_upload(error=_("Choose the xlsx file of your order to upload."))
        # a byte more than the limit is enough to tell that a file is too large
        data = order_file.read(xlsx_order.MAX_SIZE + 1)
        if len(data) > xlsx_order.MAX_SIZE:
            return self._render_upload(error=_(
                'The file "%(file)s" is larger than %(max)d MB; an order file can be at most '
                '%(max)d MB.') % {"file": order_file.filename,
                                  "max": xlsx_order.MAX_SIZE // (1024 * 1024)})
        try:
            upload_id = request.env["b2b.cart.upload"].b2b_upload(
                contract.id, order_file.filename, data)
        except UserError as refusal:
            return self._render_upload(error=self._b2b_error_text(refusal))
        return self._b2b_redirect("/b2b/cart/upload/%d" % upload_id)

    @http.route("/b2b/cart/upload/<int:upload_id>", type="http", auth="user", website=False)
    def cart_upload_preview(self, upload_id, **kw):
        self._b2b_ensure_dealer()
        return self._render_preview(upload_id)

    def _render_preview(self, upload_id, error=None):
        self._b2b_own("b2b.cart.upload", upload_id)
        preview = request.env["b2b.cart.upload"].b2b_upload_preview(upload_id)
        return request.render("b2b_portal.cart_upload_preview", self._prepare_b2b_layout_values(
            preview=preview, error=error, page_name="b2b_cart"))

    @http.route("/b2b/cart/upload/<int:upload_id>/sheet", type="http", auth="user",
                methods=["POST"], website=False)
    def cart_upload_sheet(self, upload_id, sheet=None, **kw):
        """Show the preview of another sheet of the uploaded workbook (read from the kept file)."""
        self._b2b_ensure_dealer()
        self._b2b_own("b2b.cart.upload", upload_id, "write")
        try:
            request.env["b2b.cart.upload"].b2b_upload_sheet(upload_id, sheet)
        except UserError as refusal:
            return self._render_preview(upload_id, error=self._b2b_error_text(refusal))
        return self._b2b_redirect("/b2b/cart/upload/%d" % upload_id)

    @http.route("/b2b/cart/upload/<int:upload_id>/confirm", type="http", auth="user",
                methods=["POST"], website=False)
    def cart_upload_confirm(self, upload_id, **kw):
        self._b2b_ensure_dealer()
        self._b2b_own("b2b.cart.upload", upload_id, "write")
        try:
            request.env["b2b.cart.upload"].b2b_upload_confirm(upload_id)
        except UserError as refusal:
            return self._render_preview(upload_id, error=self._b2b_error_text(refusal))
        return self._b2b_redirect("/b2b/cart")

    @http.route("/b2b/cart/upload/<int:upload_id>/marked.xlsx", type="http", auth="user",
                website=False)
    def cart_upload_marked(self, upload_id, **kw):
        self._b2b_ensure_dealer()
        self._b2b_own("b2b.cart.upload", upload_id)
        try:
            name, data = request.env["b2b.cart.upload"].b2b_upload_marked(upload_id)
        except UserError as refusal:
            return self._render_preview(upload_id, error=self._b2b_error_text(refusal))
        return self._b2b_file_response(data, name)

    # ------------------------------------------------------------------ saved carts
    @http.route("/b2b/saved", type="http", auth="user", website=False)
    def saved_list(self, **kw):
        self._b2b_ensure_dealer()
        return self._render_saved()

    def _render_saved(self, error=None):
        saved = request.env["b2b.saved.cart"].b2b_list()
        return request.render("b2b_portal.saved_page", self._prepare_b2b_layout_values(
            saved_carts=saved, error=error, page_name="b2b_saved"))

    @http.route("/b2b/cart/save", type="http", auth="user", methods=["POST"], website=False)
    def cart_save(self, name=None, cart_id=None, **kw):
        self._b2b_ensure_dealer()
        cart_id = self._posted_cart_id(cart_id)
        if not cart_id:
            return self._render_cart(error=_("You have no contract to order under."))
        try:
            request.env["b2b.saved.cart"].b2b_save_cart(cart_id, name)
        except UserError as refusal:
            return self._render_cart(error=self._b2b_error_text(refusal),
                                     values={"save_name": name or ""})
        return self._b2b_redirect("/b2b/saved")

    @http.route("/b2b/saved/<int:saved_id>/restore", type="http", auth="user", methods=["POST"],
                website=False)
    def saved_restore(self, saved_id, mode="merge", **kw):
        self._b2b_ensure_dealer()
        self._b2b_own("b2b.saved.cart", saved_id)
        contract = self._b2b_contract()
        if not contract:
            return self._render_saved(error=_("You have no contract to order under."))
        try:
            result = request.env["b2b.saved.cart"].b2b_restore(saved_id, mode=mode,
                                                               contract_id=contract.id)
        except UserError as refusal:
            return self._render_saved(error=self._b2b_error_text(refusal))
        request.session[NOTICE_KEY] = {"restored": result["restored"],
                                       "skipped": result["skipped"]}
        return self._b2b_redirect("/b2b/cart")

    @http.route("/b2b/saved/<int:saved_id>/delete", type="http", auth="user", methods=["POST"],
                website=False)
    def saved_delete(self, saved_id, **kw):
        self._b2b_ensure_dealer()
        self._b2b_own("b2b.saved.cart", saved_id, "unlink")
        request.env["b2b.saved.cart"].b2b_delete(saved_id)
        return self._b2b_redirect("/b2b/saved")
