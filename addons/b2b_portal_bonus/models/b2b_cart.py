"""The dealer's cart with goods sold only for bonus points: they go into the same cart as any
product, priced in points (never money), and checking the cart out places two linked orders, the
goods for money through ``sale.order.b2b_place_order`` and the bonus goods through
``sale.order.b2b_place_bonus_order`` (models/sale_order.py)."""
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_portal.lib import cart as rules
from odoo.addons.b2b_portal.models.b2b_cart import B2bCart as PortalCart

from .b2b_contract import BONUS_CONTEXT


class B2bCart(models.Model):
    _inherit = "b2b.cart"
    _b2b_dealer_rpc = PortalCart._b2b_dealer_rpc + ("b2b_checkout_split",)

    def _b2b_bonus_env(self):
        return self.with_context(**{BONUS_CONTEXT: True})

    @api.model
    def b2b_set_lines(self, cart_id, lines, replace=False):
        return super(B2bCart, self._b2b_bonus_env()).b2b_set_lines(cart_id, lines, replace=replace)

    @api.model
    def b2b_quick_add(self, cart_id, sku=None, product_id=None, qty=1):
        return super(B2bCart, self._b2b_bonus_env()).b2b_quick_add(
            cart_id, sku=sku, product_id=product_id, qty=qty)

    @api.model
    def b2b_add_sku_list(self, cart_id, text):
        return super(B2bCart, self._b2b_bonus_env()).b2b_add_sku_list(cart_id, text)

    @api.model
    def b2b_cart_summary(self, cart_id):
        """b2b_portal's summary; a line of goods sold only for bonus points has ``bonus`` true,
        its price in ``points`` and its cost in ``points_amount`` (no money price, no amount),
        and the summary adds ``bonus_points`` (the bonus goods' cost), ``bonus_lines`` and
        ``money_lines`` (how many lines of each kind)."""
        summary = super(B2bCart, self._b2b_bonus_env()).b2b_cart_summary(cart_id)
        points = self.env["product.product"]._b2b_bonus_points(
            [line["product_id"] for line in summary["lines"]])
        total = 0.0
        for line in summary["lines"]:
            line["bonus"] = line["product_id"] in points
            if line["bonus"]:
                price = points[line["product_id"]]
                line.update(points=price, points_amount=round(line["qty"] * price, 2),
                            price=None, rrp=None, amount=None, price_on_request=False,
                            rrp_on_request=False)
                total += line["points_amount"]
        bonus_lines = len([line for line in summary["lines"] if line["bonus"]])
        summary.update(bonus_points=round(total, 2), bonus_lines=bonus_lines,
                       money_lines=len(summary["lines"]) - bonus_lines)
        return summary

    @api.model
    def b2b_checkout(self, cart_id, note=None, desired_date=None):
        """Order the cart (see ``b2b_checkout_split``): the id of the order for money, or of the
        bonus order when the cart holds only bonus goods."""
        placed = self.b2b_checkout_split(cart_id, note=note, desired_date=desired_date)
        return placed["order_id"] or placed["bonus_order_id"]

    @api.model
    def b2b_checkout_split(self, cart_id, note=None, desired_date=None, money_only=False):
        """Order the cart: its goods for money in one order (``sale.order.b2b_place_order``), its
        goods sold only for bonus points in a bonus order (``b2b_place_bonus_order``), the two
        linked to each other. When the bonus order is refused (the points are short) nothing is
        ordered and the refusal says why; with ``money_only`` the goods for money are ordered
        alone and the bonus goods stay in the cart. Returns {"order_id", "bonus_order_id"}
        (False for an order not placed)."""
        cart = self._b2b_own(cart_id)
        # a second checkout of the same cart waits here and then finds the cart emptied
        self.env.cr.execute("SELECT id FROM b2b_cart WHERE id = %s FOR UPDATE", (cart.id,))
        cart.invalidate_cache()
        self._b2b_check_open(cart.contract_id)
        lines = cart.line_ids.sudo()
        if not lines:
            raise UserError(_("The cart is empty."))
        points = self.env["product.product"]._b2b_bonus_points(lines.mapped("product_id").ids)
        bonus_lines = lines.filtered(lambda line: line.product_id.id in points)
        money_lines = lines - bonus_lines
        if money_only:
            if not money_lines:
                raise UserError(_("The cart holds no goods for money."))
            bonus_lines = bonus_lines.browse()
        date, problems = rules.parse_desired_date(
            cart.desired_date if desired_date is None else desired_date,
            business_date.today(self.env))
        if problems:
            self._b2b_raise(problems)
        note = cart.comment if note is None else note
        Order = self.env["sale.order"]
        bonus_order_id = order_id = False
        if bonus_lines:
            bonus_order_id = Order.b2b_place_bonus_order(
                cart.contract_id.id, [(line.product_id.id, line.qty) for line in bonus_lines],
                note=note)
        if money_lines:
            order_id = Order.b2b_place_order(
                cart.contract_id.id, [(line.product_id.id, line.qty) for line in money_lines],
                note=note)
        orders = Order.sudo().browse([oid for oid in (order_id, bonus_order_id) if oid])
        if date:
            orders.write({"b2b_desired_date": fields.Date.to_string(date)})
        if order_id and bonus_order_id:
            orders.browse(order_id).b2b_linked_order_id = bonus_order_id
            orders.browse(bonus_order_id).b2b_linked_order_id = order_id
        (money_lines | bonus_lines).unlink()
        if not cart.line_ids:
            cart.sudo().write({"comment": False, "desired_date": False})
        return {"order_id": order_id, "bonus_order_id": bonus_order_id}
