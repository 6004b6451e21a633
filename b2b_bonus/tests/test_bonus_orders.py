from odoo.exceptions import UserError

from .common import BonusCase


class TestBonusOrders(BonusCase):

    def test_confirming_a_bonus_order_deducts_its_points(self):
        order = self.order([(self.mug, 2)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.b2b_bonus_points_spent, 300.0)
        self.assertEqual(self.balance.sudo(self.salesman).available_points, 700.0)

    def test_order_of_a_dealer_contact_spends_the_dealer_points(self):
        order = self.order([(self.mug, 1)], partner=self.buyer)
        order.action_confirm()
        self.assertEqual(self.balance.available_points, 850.0)

    def test_order_over_the_balance_is_refused_and_names_the_shortfall(self):
        order = self.order([(self.mug, 7)])  # 1050 points
        with self.refused(UserError) as caught:
            order.action_confirm()
        message = caught.exception.name
        self.assertIn("Bonus order %s for ООО «Бонус-Дилер» cannot be confirmed" % order.name, message)
        self.assertIn("The order costs 1050 points but the bonus balance is 1000 points: "
                      "50 points short.", message)
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.balance.available_points, 1000.0)
        self.assertFalse(order.b2b_bonus_points_spent)

    def test_shortfall_message_in_russian(self):
        order = self.order([(self.mug, 7)]).with_context(lang="ru_RU")
        with self.refused(UserError) as caught:
            order.action_confirm()
        self.assertIn("Стоимость заказа в бонусах: 1050, на бонусном счете: 1000, не хватает: 50.",
                      caught.exception.name)

    def test_bad_lines_are_named_on_confirmation(self):
        order = self.order([(self.mug, 1), (self.mug, 2)])
        order.order_line[0].product_uom_qty = 0
        with self.refused(UserError) as caught:
            order.action_confirm()
        self.assertIn("line 1, product Кружка: the quantity must be positive (got 0)",
                      caught.exception.name)
        self.assertEqual(self.balance.available_points, 1000.0)

    def test_dealer_without_a_balance_cannot_confirm(self):
        other = self.env["res.partner"].create({
            "name": "ООО «Без бонусов»", "is_company": True, "b2b_is_dealer": True,
            "b2b_manager_id": self.salesman.id})
        order = self.order([(self.mug, 1)], partner=other)
        with self.refused(UserError) as caught:
            order.action_confirm()
        self.assertIn("The dealer has no bonus balance yet; the order needs 150 points.",
                      caught.exception.name)

    def test_cancelling_gives_the_points_back(self):
        order = self.order([(self.mug, 2)])
        order.action_confirm()
        order.action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(self.balance.available_points, 1000.0)
        self.assertEqual(order.b2b_bonus_points_spent, 0.0)
        # cancelling a second time (or a never-confirmed order) gives nothing more
        order.action_cancel()
        self.order([(self.mug, 1)]).action_cancel()
        self.assertEqual(self.balance.available_points, 1000.0)

    def test_points_spent_by_one_order_are_gone_for_the_next(self):
        self.order([(self.mug, 4)]).action_confirm()  # 600 of 1000
        second = self.order([(self.mug, 3)])  # 450 > 400 left
        with self.refused(UserError) as caught:
            second.action_confirm()
        self.assertIn("50 points short", caught.exception.name)
        self.assertEqual(self.balance.available_points, 400.0)

    def test_confirmed_bonus_order_goods_cannot_change(self):
        order = self.order([(self.mug, 2)])
        order.action_confirm()
        with self.refused(UserError):
            order.order_line.write({"product_uom_qty": 5})
        with self.refused(UserError):
            order.write({"order_line": [(0, 0, {"product_id": self.mug.id, "product_uom_qty": 1})]})
        self.assertEqual(order.order_line.product_uom_qty, 2)
        self.assertEqual(self.balance.available_points, 700.0)

    def test_regular_orders_do_not_touch_the_balance(self):
        order = self.order([(self.drill, 3)], bonus=False)
        order.action_confirm()
        order.action_cancel()
        self.assertEqual(self.balance.available_points, 1000.0)
        self.assertEqual(order.b2b_bonus_points_spent, 0.0)
