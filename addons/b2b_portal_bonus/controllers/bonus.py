"""The bonus side of the dealer portal: the dealer's points in the header and on the dashboard, the
history of its points, the "bonus goods only" filter of the catalog, and the checkout that places
the goods for money and the bonus goods as two linked orders (the dealer may place the goods for
money alone when the points are short).

Everything is read as the dealer's user: the record rules of b2b_bonus give a dealer's users their
own dealer's balance and history only."""
import werkzeug.exceptions

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.b2b_portal.controllers.cart import B2bCartPages
from odoo.addons.b2b_portal.controllers.catalog import B2bCatalog
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.addons.b2b_portal.lib import catalog as catalog_rules
from odoo.addons.b2b_base.lib import numbers

from ..models.b2b_catalog import FILTER_CONTEXT

HISTORY_PAGE_SIZE = 50
PLANS_NOTICE_KEY = "b2b_plans_notice"


class B2bBonusPortal(B2bCatalog, B2bCartPages):

    # ------------------------------------------------------------------ the frame
    def _prepare_b2b_layout_values(self, **values):
        result = super(B2bBonusPortal, self)._prepare_b2b_layout_values(**values)
        if result.get("b2b_user") and "b2b_bonus" not in values:
            result["b2b_bonus"] = request.env["b2b.bonus.balance"].b2b_dealer_summary()
        if result.get("b2b_user") and result["page_name"] == "b2b_home":
            # the dashboard's plans panel: this month's plans and the running commitments
            result["b2b_plans"] = request.env["b2b.bonus.plan"].b2b_fulfilment()
        return result

    def _b2b_formatters(self):
        """b2b_portal's formatters and ``b2b_points``: a number of points as text ('2 500 points', '2 500 баллов'),
        for the pages and the cart lines the JSON routes render."""
        result = super(B2bBonusPortal, self)._b2b_formatters()
        result["b2b_points"] = request.env["product.product"]._b2b_points_text
        result["b2b_days_left"] = self._b2b_days_left_text
        return result

    def _b2b_days_left_text(self, days):
        """The days left of a plan's period as a page shows them: '5 days left', 'до конца: 5 дней'."""
        lang = request.env.lang or "en_US"
        sep, point = request.env["res.lang"]._b2b_number_format(lang)
        return _("%s left") % numbers.format_count(days or 0, "days", lang, sep, point)

    # ------------------------------------------------------------------ catalog
    @http.route()
    def catalog(self, page=1, **params):
        bonus_only = catalog_rules.parse_filters({"fav": params.get("bonus")}).fav
        if bonus_only:
            request.context = dict(request.context, **{FILTER_CONTEXT: True})
        response = super(B2bBonusPortal, self).catalog(page=page, **params)
        qcontext = getattr(response, "qcontext", None)
        if qcontext is not None:
            qcontext["bonus_only"] = bonus_only
            if bonus_only and qcontext.get("pager"):
                filters = qcontext["filters"]
                qcontext["pager"] = portal_pager(
                    url="/b2b/catalog", total=qcontext["total"], page=qcontext["page_number"],
                    step=catalog_rules.PAGE_SIZE,
                    url_args=dict(catalog_rules.filter_args(filters), bonus=1))
        return response

    # ------------------------------------------------------------------ checkout
    def _b2b_place_cart(self, cart_id, form):
        """The cart as an order for money and a bonus order; with ``money_only`` in the form the
        goods for money alone (the bonus goods stay in the cart)."""
        placed = request.env["b2b.cart"].b2b_checkout_split(
            cart_id, money_only=bool(form.get("money_only")))
        return placed["order_id"] or placed["bonus_order_id"]

    def _b2b_refused_checkout_values(self, cart_id, values):
        """A refused cart holding goods of both kinds offers to order the goods for money alone."""
        values = super(B2bBonusPortal, self)._b2b_refused_checkout_values(cart_id, values)
        summary = request.env["b2b.cart"].b2b_cart_summary(cart_id)
        return dict(values, money_only_offer=bool(summary["bonus_lines"] and summary["money_lines"]))

    @http.route()
    def cart_placed(self, order_id, **kw):
        response = super(B2bBonusPortal, self).cart_placed(order_id, **kw)
        order = response.qcontext["order"]
        linked = order.b2b_linked_order_id
        bonus_order = order if order.b2b_is_bonus_order else linked.filtered("b2b_is_bonus_order")
        response.qcontext.update(bonus_order=bonus_order,
                                 money_order=order if not order.b2b_is_bonus_order else linked)
        return response

    # ------------------------------------------------------------------ points history
    @http.route(["/b2b/bonus", "/b2b/bonus/page/<int:page>"], type="http", auth="user",
                website=False)
    def bonus_history(self, page=1, **kw):
        """The dealer's points: the balance and the history of its points, newest first."""
        self._b2b_ensure_dealer()
        Move = request.env["b2b.bonus.move"]
        pager = portal_pager(url="/b2b/bonus", total=Move.search_count([]), page=page,
                             step=HISTORY_PAGE_SIZE)
        moves = Move.search([], order="date desc, id desc", limit=HISTORY_PAGE_SIZE,
                            offset=pager["offset"])
        orders = request.env["sale.order"].search(
            [("b2b_is_bonus_order", "=", True)], order="date_order desc, id desc", limit=20)
        return request.render("b2b_portal_bonus.bonus_page", self._prepare_b2b_layout_values(
            page_name="b2b_bonus", moves=moves, pager=pager, bonus_orders=orders))

    # ------------------------------------------------------------------ plans
    def _render_plans(self, error=None):
        return request.render("b2b_portal_bonus.plans_page", self._prepare_b2b_layout_values(
            page_name="b2b_plans", plans=request.env["b2b.bonus.plan"].b2b_fulfilment(),
            error=error, notice=request.session.pop(PLANS_NOTICE_KEY, None)))

    @http.route("/b2b/plans", type="http", auth="user", website=False)
    def bonus_plans(self, **kw):
        """The dealer's plans of this month and its running commitments: how far each is, the
        days left, what is missing; a commitment not accepted yet can be accepted here."""
        self._b2b_ensure_dealer()
        return self._render_plans()

    def _b2b_own_plan(self, plan_id):
        """The fulfilment of the user's dealer's plan ``plan_id`` (a form's value: b2b_fulfilment's
        row), or 404."""
        plan_id = catalog_rules.parse_product_id(plan_id)
        if not plan_id:
            raise werkzeug.exceptions.NotFound()
        try:
            found = request.env["b2b.bonus.plan"].b2b_fulfilment([plan_id])
        except (AccessError, MissingError):
            raise werkzeug.exceptions.NotFound()
        if not found:
            raise werkzeug.exceptions.NotFound()
        return found[0]

    @http.route("/b2b/plans/accept", type="http", auth="user", methods=["POST"], website=False)
    def bonus_plan_accept(self, plan_id=None, **kw):
        """Accept the seasonal commitment ``plan_id`` of the user's dealer."""
        self._b2b_ensure_dealer()
        plan = self._b2b_own_plan(plan_id)
        _result, error = self._b2b_attempt(request.env["b2b.bonus.plan"].b2b_accept, plan["id"],
                                           refusals=(UserError, AccessError))
        if error:
            return self._render_plans(error=error)
        return self._b2b_redirect("/b2b/plans")

    @http.route("/b2b/plans/fill", type="http", auth="user", methods=["POST"], website=False)
    def bonus_plan_fill(self, plan_id=None, line_id=None, **kw):
        """Put the missing quantity of the plan's line ``line_id`` (of every line when none is
        given) into the cart of the current contract, on top of what the cart holds."""
        self._b2b_ensure_dealer()
        plan = self._b2b_own_plan(plan_id)
        contract = self._b2b_contract()
        if not contract:
            return self._render_plans(error=_("You have no contract to order under."))
        wanted = [line for line in plan["lines"] if line["product_id"] and line["missing_qty"] > 0
                  and (not line_id or str(line["id"]) == str(line_id))]
        if not wanted:
            return self._render_plans(error=_("Nothing is missing to fulfil this plan."))
        Cart = request.env["b2b.cart"]
        cart_id = Cart.b2b_get_cart(contract.id)
        current = Cart.browse(cart_id).sudo()._b2b_quantities()
        lines = [(line["product_id"], round(current.get(line["product_id"], 0.0)
                                            + line["missing_qty"], 3)) for line in wanted]
        _summary, error = self._b2b_attempt(Cart.b2b_set_lines, cart_id, lines)
        if error:
            return self._render_plans(error=error)
        request.session[PLANS_NOTICE_KEY] = len(lines)
        return self._b2b_redirect("/b2b/plans")
