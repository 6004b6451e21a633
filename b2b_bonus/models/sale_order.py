from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import bonus
from odoo.addons.b2b_base.tools.rule_messages import render


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_is_bonus_order = fields.Boolean(
        "Bonus Order", readonly=True, states={"draft": [("readonly", False)], "sent": [("readonly", False)]},
        help="Paid with the dealer's bonus points: holds only goods sold for bonus points. "
             "Confirming it deducts the points from the dealer's bonus balance.")
    b2b_bonus_points_total = fields.Float(
        "Bonus Points", digits=(16, bonus.POINTS_DIGITS), compute="_compute_b2b_bonus_points_total",
        help="Quantity times bonus price, summed over the lines.")
    b2b_bonus_points_spent = fields.Float(
        "Bonus Points Deducted", digits=(16, bonus.POINTS_DIGITS), readonly=True, copy=False,
        help="Points taken from the dealer's bonus balance when the order was confirmed; "
             "they go back to the balance if the order is cancelled.")

    @api.depends("b2b_is_bonus_order", "order_line.product_uom_qty", "order_line.product_uom",
                 "order_line.product_id.b2b_bonus_price")
    def _compute_b2b_bonus_points_total(self):
        for order in self:
            if order.b2b_is_bonus_order:
                items = [line._b2b_bonus_item() for line in order._b2b_sorted_lines()]
                order.b2b_bonus_points_total = bonus.check_bonus_order(None, items).total
            else:
                order.b2b_bonus_points_total = 0.0

    def _b2b_sorted_lines(self):
        return self.order_line.sorted(lambda line: (line.sequence, line.id or 0))

    @api.constrains("b2b_is_bonus_order")
    def _check_b2b_goods_kind(self):
        for order in self:
            items = [line._b2b_bonus_item() for line in order._b2b_sorted_lines()]
            problems = bonus.order_kind_problems(order.b2b_is_bonus_order, items)
            if problems:
                raise ValidationError(_("Order %s:") % order.name + "\n" + render(self.env, problems))
            if order.b2b_bonus_points_spent and not order.b2b_is_bonus_order:
                raise ValidationError(_(
                    "Order %s was paid with bonus points; cancel it before making it a regular order.")
                    % order.name)

    @api.multi
    def action_confirm(self):
        for order in self.filtered(lambda o: o.b2b_is_bonus_order and o.state in ("draft", "sent")):
            order._b2b_spend_bonus_points()
        return super(SaleOrder, self).action_confirm()

    @api.multi
    def action_cancel(self):
        for order in self.filtered(lambda o: o.b2b_bonus_points_spent):
            order._b2b_return_bonus_points()
        return super(SaleOrder, self).action_cancel()

    def _b2b_spend_bonus_points(self):
        self.ensure_one()
        balance = self.env["b2b.bonus.balance"].sudo()._for_dealer(self.partner_id, lock=True)
        items = [line._b2b_bonus_item() for line in self._b2b_sorted_lines()]
        check = bonus.check_bonus_order(balance.points if balance else None, items)
        if not check.ok:
            raise UserError(_("Bonus order %(order)s for %(dealer)s cannot be confirmed:")
                            % {"order": self.name,
                               "dealer": self.partner_id.commercial_partner_id.display_name}
                            + "\n" + render(self.env, check.problems))
        balance.points = round(balance.points - check.total, bonus.POINTS_DIGITS)
        self.b2b_bonus_points_spent = check.total

    def _b2b_return_bonus_points(self):
        self.ensure_one()
        Balance = self.env["b2b.bonus.balance"].sudo()
        balance = Balance._for_dealer(self.partner_id, lock=True)
        if balance:
            balance.points = round(balance.points + self.b2b_bonus_points_spent, bonus.POINTS_DIGITS)
        else:
            Balance.create({"partner_id": self.partner_id.commercial_partner_id.id,
                            "points": self.b2b_bonus_points_spent})
        self.b2b_bonus_points_spent = 0.0
