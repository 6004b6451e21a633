from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.b2b_base.lib import pricing
from odoo.addons.b2b_base.tools.rule_messages import render

from ..lib import bonus


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
    b2b_bonus_points_reserved = fields.Float(
        "Bonus Points Reserved", digits=(16, bonus.POINTS_DIGITS), readonly=True, copy=False,
        help="Points held for this order since the dealer placed it: spent when 1C confirms the "
             "order, given back when it is cancelled.")

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
            if (order.b2b_bonus_points_spent or order.b2b_bonus_points_reserved) \
                    and not order.b2b_is_bonus_order:
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
        for order in self.filtered(lambda o: o.b2b_bonus_points_spent or o.b2b_bonus_points_reserved):
            order._b2b_return_bonus_points()
        return super(SaleOrder, self).action_cancel()

    # ------------------------------------------------------------------ dealer API
    @api.model
    def b2b_place_bonus_order(self, contract_id, lines, note=None):
        """Place a dealer's bonus order under ``contract_id`` for the current user and reserve its
        points until 1C confirms it (see ``b2b_place_order``: the same contract and line checks,
        but the goods are sold only for points, at their bonus price, never for money).

        ``lines``: [(product_id, qty), ...]. The points are reserved under the lock of the
        dealer's balance, so two orders placed at once never spend the same points. Returns the
        new order's id; when a line is wrong or the available points are short nothing is
        created and the message says why."""
        user = self.env.user
        contract, clean = self._b2b_order_request(contract_id, lines)
        offers = contract._b2b_offers([p for p, _q in clean], include_hidden=False)
        problems = []
        for number, (product_id, qty) in enumerate(clean, start=1):
            offer = offers.get(product_id)
            reason = pricing.refusal(offer)
            # a bonus product has no money price: its price is in points
            if reason and reason != "no_price":
                problems.append(pricing.LineProblem(number, offer.sku if offer is not None and
                                                    offer.visible else None, reason))
        if problems:
            raise UserError("\n".join(self._b2b_problem_text(p) for p in problems))
        products = self.env["product.product"].sudo().browse([p for p, _q in clean])
        items = [bonus.BonusItem(name=product.display_name, qty=qty, known=True,
                                 bonus_only=product.b2b_bonus_only,
                                 bonus_price=product.b2b_bonus_price)
                 for product, (_p, qty) in zip(products, clean)]
        total, problems = bonus.price_bonus_lines(items)
        if problems:
            raise UserError(render(self.env, problems))
        Balance = self.env["b2b.bonus.balance"].sudo()
        dealer = Balance._b2b_dealer_of(contract.partner_id)
        Balance._for_dealer(dealer, lock=True)
        _stated, _reserved, available = Balance._b2b_available(dealer)
        short = bonus.short_of_points(total, available)
        if short:
            raise UserError(render(self.env, [short]))
        order = self.sudo().create({
            "partner_id": contract.partner_id.id,
            "b2b_contract_id": contract.id,
            "b2b_author_id": user.id,
            "b2b_origin": "portal",
            "b2b_is_bonus_order": True,
            "user_id": contract.dealer_id.b2b_manager_id.id or False,
            "note": note or "",
        })
        order._b2b_add_lines([(product_id, qty, 0.0) for product_id, qty in clean])
        self.env["b2b.bonus.move"]._b2b_record(dealer, "reserve", total, order=order,
                                               reserved_change=total)
        order.b2b_bonus_points_reserved = total
        return order.id

    def _b2b_resize_bonus_reservation(self):
        """The goods of a bonus order waiting for 1C changed (a manager edited its lines): its
        reservation follows the new total, under the balance lock. When the dealer's available
        points do not cover a larger total the change is refused and nothing of it is kept."""
        for order in self.filtered(lambda o: o.b2b_is_bonus_order and o.b2b_bonus_points_reserved
                                   and o.state in ("draft", "sent")):
            Balance = self.env["b2b.bonus.balance"].sudo()
            dealer = Balance._b2b_dealer_of(order.partner_id)
            balance = Balance._for_dealer(dealer, lock=True)
            items = [line._b2b_bonus_item() for line in order._b2b_sorted_lines()]
            total, problems = bonus.price_bonus_lines(items)
            if problems:
                raise UserError(_("Bonus order %s:") % order.name + "\n" + render(self.env, problems))
            reserved = order.b2b_bonus_points_reserved
            change = round(total - reserved, bonus.POINTS_DIGITS)
            if not change:
                continue
            if change > 0 and balance:
                short = bonus.short_of_points(total, Balance._b2b_available(dealer)[2] + reserved)
                if short:
                    raise UserError(_("Bonus order %s:") % order.name + "\n" + render(self.env, [short]))
            self.env["b2b.bonus.move"]._b2b_record(
                dealer, "reserve" if change > 0 else "release", abs(change), order=order,
                reserved_change=change)
            order.b2b_bonus_points_reserved = total

    def _b2b_spend_bonus_points(self):
        """1C confirmed the order (or a manager did): its points are spent, the reservation made
        when the dealer placed it (if any) turns into the spend."""
        self.ensure_one()
        Balance = self.env["b2b.bonus.balance"].sudo()
        dealer = Balance._b2b_dealer_of(self.partner_id)
        balance = Balance._for_dealer(dealer, lock=True)
        reserved = self.b2b_bonus_points_reserved
        available = None
        if balance:
            available = Balance._b2b_available(dealer)[2] + reserved
        items = [line._b2b_bonus_item() for line in self._b2b_sorted_lines()]
        check = bonus.check_bonus_order(available, items)
        if not check.ok:
            raise UserError(_("Bonus order %(order)s for %(dealer)s cannot be confirmed:")
                            % {"order": self.name, "dealer": dealer.display_name}
                            + "\n" + render(self.env, check.problems))
        self.env["b2b.bonus.move"]._b2b_record(dealer, "spend", check.total, order=self,
                                               reserved_change=-reserved,
                                               spent_change=check.total)
        self.write({"b2b_bonus_points_spent": check.total, "b2b_bonus_points_reserved": 0.0})

    def _b2b_return_bonus_points(self):
        """The order is cancelled: its reserved or spent points are the dealer's again."""
        self.ensure_one()
        reserved, spent = self.b2b_bonus_points_reserved, self.b2b_bonus_points_spent
        self.env["b2b.bonus.move"]._b2b_record(
            self.partner_id.commercial_partner_id, "release", reserved + spent, order=self,
            reserved_change=-reserved, spent_change=-spent)
        self.write({"b2b_bonus_points_spent": 0.0, "b2b_bonus_points_reserved": 0.0})
