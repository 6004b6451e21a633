from odoo.exceptions import ValidationError

from .common import BonusCase


class TestBonusGoods(BonusCase):

    def test_bonus_only_goods_need_a_bonus_price(self):
        Template = self.env["product.template"].sudo(self.b2b_admin)
        with self.refused(ValidationError) as caught:
            Template.create({"name": "Футболка", "b2b_bonus_only": True, "b2b_bonus_price": 0.0})
        self.assertEqual(caught.exception.name,
                         'Product "Футболка" is sold only for bonus points, so its bonus price '
                         'must be greater than zero.')
        self.assertFalse(Template.search([("name", "=", "Футболка")]))

    def test_bonus_price_message_in_russian(self):
        Template = self.env["product.template"].sudo(self.b2b_admin).with_context(lang="ru_RU")
        with self.refused(ValidationError) as caught:
            Template.create({"name": "Футболка", "b2b_bonus_only": True})
        self.assertIn("Товар «Футболка» продается только за бонусы, поэтому его цена в бонусах должна "
                      "быть больше нуля.", caught.exception.name)

    def test_making_goods_bonus_only_without_price_is_refused(self):
        with self.refused(ValidationError):
            self.drill.product_tmpl_id.sudo(self.b2b_admin).write({"b2b_bonus_only": True})
        self.assertFalse(self.drill.b2b_bonus_only)
        self.drill.product_tmpl_id.sudo(self.b2b_admin).write(
            {"b2b_bonus_only": True, "b2b_bonus_price": 900.0})
        self.assertTrue(self.drill.b2b_bonus_only)

    def test_regular_order_refuses_bonus_goods(self):
        with self.refused(ValidationError) as caught:
            self.order([(self.drill, 1), (self.mug, 2)], bonus=False)
        self.assertIn("line 2, product Кружка: this product is sold only for bonus points; "
                      "order it in a separate bonus order", caught.exception.name)

    def test_bonus_goods_cannot_be_added_to_a_regular_order(self):
        order = self.order([(self.drill, 1)], bonus=False)
        with self.refused(ValidationError):
            order.write({"order_line": [(0, 0, {"product_id": self.mug.id, "product_uom_qty": 1})]})
        with self.refused(ValidationError):
            self.env["sale.order.line"].sudo(self.salesman).create({
                "order_id": order.id, "product_id": self.mug.id, "product_uom_qty": 1})
        self.assertEqual(order.order_line.mapped("product_id"), self.drill)

    def test_bonus_goods_refused_on_the_one_pass_line_path(self):
        """Dealer orders add their lines in one pass (b2b_base's _b2b_add_lines): the goods-kind
        check still refuses a bonus-only product on a regular order, and adds nothing."""
        order = self.order([(self.drill, 1)], bonus=False)
        with self.refused(ValidationError):
            order._b2b_add_lines([(self.drill.id, 2, 900.0), (self.mug.id, 1, 0.0)])
        self.assertEqual(len(order.order_line), 1)

    def test_bonus_order_refuses_regular_goods(self):
        with self.refused(ValidationError) as caught:
            self.order([(self.mug, 1), (self.drill, 1)], bonus=True)
        self.assertIn("line 2, product Дрель: a bonus order holds only goods sold for bonus points",
                      caught.exception.name)

    def test_regular_order_with_goods_cannot_become_a_bonus_order(self):
        order = self.order([(self.drill, 1)], bonus=False)
        with self.refused(ValidationError):
            order.write({"b2b_is_bonus_order": True})
        self.assertFalse(order.b2b_is_bonus_order)

    def test_bonus_order_lines_cost_no_money(self):
        """Picking a product on a bonus order line sets a money price of 0: it is paid in points."""
        order = self.order([], bonus=True)
        line = self.env["sale.order.line"].sudo(self.salesman).new(
            {"order_id": order.id, "product_id": self.mug.id, "product_uom_qty": 2})
        line.product_id_change()
        self.assertEqual(line.price_unit, 0.0)
        regular = self.order([], bonus=False)
        line = self.env["sale.order.line"].sudo(self.salesman).new(
            {"order_id": regular.id, "product_id": self.drill.id, "product_uom_qty": 1})
        line.product_id_change()
        self.assertEqual(line.price_unit, 900.0, "a regular order line costs the contract price")

    def test_bonus_points_of_an_order_are_summed(self):
        order = self.order([(self.mug, 3)])
        self.assertEqual(order.b2b_bonus_points_total, 450.0)
