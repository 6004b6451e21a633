import datetime

from odoo import fields
from odoo.addons.b2b_base.tools import business_date
from odoo.exceptions import AccessError, UserError

from .common import PortalCase


class TestCart(PortalCase):
    """A dealer's user fills a cart under a contract and orders it."""

    def test_one_cart_per_user_and_contract(self):
        Cart = self.env["b2b.cart"]
        buyer_alfa = self.cart_of(self.u_alfa_buyer, self.c_alfa)
        self.assertEqual(self.cart_of(self.u_alfa_buyer, self.c_alfa), buyer_alfa,
                         "asking again gives the same cart")
        buyer_yug = self.cart_of(self.u_alfa_buyer, self.c_yug)
        admin_alfa = self.cart_of(self.u_alfa_admin, self.c_alfa)
        self.assertEqual(len({buyer_alfa, buyer_yug, admin_alfa}), 3)
        cart = Cart.browse(buyer_yug)
        self.assertEqual((cart.user_id, cart.contract_id), (self.u_alfa_buyer, self.c_yug))

    def test_outlet_user_gets_no_cart_under_another_contract(self):
        Cart = self.as_user(self.u_alfa_outlet, "b2b.cart")
        before = self.env["b2b.cart"].search_count([])
        for contract in (self.c_alfa, self.c_yug, self.c_beta):
            with self.refused(AccessError):
                Cart.b2b_get_cart(contract.id)
        with self.refused(AccessError):
            Cart.b2b_get_cart(999999)
        self.assertEqual(self.env["b2b.cart"].search_count([]), before, "no cart was opened")
        own = self.env["b2b.cart"].browse(Cart.b2b_get_cart(self.c_alfa_retail.id))
        self.assertEqual(own.contract_id, self.c_alfa_retail)

    def test_lines_are_set_in_one_call(self):
        Cart = self.as_user(self.u_alfa_buyer, "b2b.cart")
        cart_id = self.cart_of(self.u_alfa_buyer, self.c_alfa)
        Cart.b2b_set_lines(cart_id, [(self.mixer.id, 2), (self.sink.id, 3)])
        self.assertEqual(self.cart_lines(cart_id), {self.mixer: 2, self.sink: 3})
        # set quantities, remove with 0, add; lines not mentioned stay
        summary = Cart.b2b_set_lines(cart_id, [(self.mixer.id, 5), (self.sink.id, 0),
                                               (self.by_six.id, 12)])
        self.assertEqual(self.cart_lines(cart_id), {self.mixer: 5, self.by_six: 12})
        self.assertEqual([(l["sku"], l["qty"]) for l in summary["lines"]],
                         [("MIX-00001", 5), ("ACC-00002", 12)])
        Cart.b2b_set_lines(cart_id, [(self.sink.id, 1)])
        self.assertEqual(self.cart_lines(cart_id), {self.mixer: 5, self.by_six: 12, self.sink: 1})
        # the same product twice in one call orders the sum; quantities typed as text are read
        Cart.b2b_set_lines(cart_id, [(self.min_two.id, "1,5"), (self.min_two.id, 0.5)])
        self.assertEqual(self.cart_lines(cart_id)[self.min_two], 2)
        # replace: the cart holds exactly what was sent
        Cart.b2b_set_lines(cart_id, [(self.min_two.id, 4)], replace=True)
        self.assertEqual(self.cart_lines(cart_id), {self.min_two: 4})

    def test_bad_entries_are_named_and_change_nothing(self):
        Cart = self.as_user(self.u_beta_buyer, "b2b.cart")
        cart_id = self.cart_of(self.u_beta_buyer, self.c_beta, [(self.mixer, 2)])
        with self.refused(UserError) as caught:
            Cart.b2b_set_lines(cart_id, [
                (self.sink.id, 1),            # fine
                (self.mixer.id, -1),          # negative
                (self.exclusive.id, 1),       # «Альфа»'s private label
                ("abc", 1),                   # not a product
                (self.forbidden.id, 1),       # not sold in Novosibirsk, where «Бета» is
                (self.sink.id, "много"),      # not a number
                [self.sink.id],               # no quantity
            ])
        message = caught.exception.name
        self.assertNotIn("Line 1:", message)
        self.assertIn("Line 2: the quantity cannot be negative", message)
        self.assertIn("Line 3: the product is not available to you", message)
        self.assertIn("Line 4: abc is not a product reference", message)
        self.assertIn("Line 5, SKU SHW-00001: the product cannot be bought in your region", message)
        self.assertIn("Line 6: the quantity много is not a number", message)
        self.assertIn("Line 7: expected a product and a quantity", message)
        self.assertEqual(self.cart_lines(cart_id), {self.mixer: 2}, "the cart is as it was")

    def test_summary_prices_lines_under_the_contract(self):
        """The cart shows the contract's purchase price and the RRP beside it, and the totals."""
        cart_id = self.cart_of(self.u_alfa_buyer, self.c_alfa,
                               [(self.mixer, 3), (self.by_six, 12), (self.min_two, 1)])
        summary = self.as_user(self.u_alfa_buyer, "b2b.cart").b2b_cart_summary(cart_id)
        lines = {line["sku"]: line for line in summary["lines"]}
        mixer = lines["MIX-00001"]
        self.assertEqual(mixer["price"], self.price(self.mixer, self.pt_large))
        self.assertEqual(mixer["rrp"], self.price(self.mixer, self.pt_rrp))
        self.assertNotEqual(mixer["price"], self.price(self.mixer, self.pt_wholesale),
                            "«Альфа» buys at the large wholesale price, not the plain one")
        self.assertEqual(mixer["amount"], round(3 * mixer["price"], 2))
        self.assertEqual(mixer["availability"], self.mixer.b2b_availability)
        self.assertTrue(mixer["available"])
        self.assertEqual(lines["ACC-00002"]["multiple"], 6)
        # a line below the product's minimum is shown with the reason and blocks the checkout
        self.assertEqual(lines["TWR-00001"]["problem"], "below_min_qty")
        self.assertIn("the minimum order quantity is 2", lines["TWR-00001"]["message"])
        self.assertIsNone(mixer["problem"])
        self.assertFalse(summary["can_checkout"])
        self.assertEqual(summary["problem_count"], 1)
        expected = sum(round(l["qty"] * l["price"], 2) for l in summary["lines"])
        self.assertAlmostEqual(summary["totals"]["amount"], expected, places=2)
        self.assertAlmostEqual(summary["totals"]["rrp_amount"],
                               sum(round(l["qty"] * l["rrp"], 2) for l in summary["lines"]), places=2)
        self.assertEqual(summary["totals"]["lines"], 3)
        self.assertEqual(summary["contract_id"], self.c_alfa.id)
        # the same goods under «Альфа-Юг»'s contract cost the wholesale price
        yug_cart = self.cart_of(self.u_alfa_buyer, self.c_yug, [(self.mixer, 3)])
        yug = self.as_user(self.u_alfa_buyer, "b2b.cart").b2b_cart_summary(yug_cart)
        self.assertEqual(yug["lines"][0]["price"], self.price(self.mixer, self.pt_wholesale))

    def test_product_no_longer_sold_is_reported_not_dropped(self):
        cart_id = self.cart_of(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 1), (self.sink, 2)])
        self.sink.active = False     # the supplier stops selling it
        Cart = self.as_user(self.u_alfa_buyer, "b2b.cart")
        summary = Cart.b2b_cart_summary(cart_id)
        self.assertEqual(len(summary["lines"]), 2, "the line stays in the cart")
        sink = summary["lines"][1]
        self.assertEqual((sink["sku"], sink["qty"], sink["available"]), ("SNK-00001", 2, False))
        self.assertIsNone(sink["price"])
        self.assertEqual(sink["message"], "Line 2: the product is not available to you")
        self.assertFalse(summary["can_checkout"])
        self.assertEqual(summary["totals"]["unpriced"], 1)
        # the dealer can take it out
        Cart.b2b_set_lines(cart_id, [(self.sink.id, 0)])
        self.assertEqual(self.cart_lines(cart_id), {self.mixer: 1})

    def test_checkout_orders_the_cart_under_its_contract(self):
        Cart = self.as_user(self.u_alfa_buyer, "b2b.cart")
        cart_id = self.cart_of(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 2), (self.by_six, 12)])
        tomorrow = fields.Date.to_string(business_date.today(self.env) + datetime.timedelta(days=1))
        Cart.b2b_set_details(cart_id, "Доставка до 12:00", tomorrow)
        order = self.env["sale.order"].browse(Cart.b2b_checkout(cart_id))
        self.assertEqual(order.b2b_contract_id, self.c_alfa)
        self.assertEqual(order.partner_id, self.c_alfa.partner_id)
        self.assertEqual(order.b2b_author_id, self.u_alfa_buyer)
        self.assertEqual(order.b2b_origin, "portal")
        self.assertEqual(order.note, "Доставка до 12:00")
        self.assertEqual(order.b2b_desired_date, tomorrow)
        self.assertEqual(
            sorted((l.product_id, l.product_uom_qty, l.price_unit) for l in order.order_line),
            sorted([(self.mixer, 2, self.price(self.mixer, self.pt_large)),
                    (self.by_six, 12, self.price(self.by_six, self.pt_large))]))
        cart = self.env["b2b.cart"].browse(cart_id)
        self.assertFalse(cart.line_ids, "the cart is empty after the order")
        self.assertFalse(cart.comment or cart.desired_date)
        # the same cart cannot be ordered twice (a double click)
        with self.refused(UserError) as caught:
            Cart.b2b_checkout(cart_id)
        self.assertEqual(caught.exception.name, "The cart is empty.")

    def test_failed_checkout_names_the_lines_and_changes_nothing(self):
        Order = self.env["sale.order"]
        cart_id = self.cart_of(self.u_alfa_buyer, self.c_alfa, [
            (self.mixer, 1),          # fine
            (self.min_two, 1),        # below the minimum of 2
            (self.by_six, 4),         # not a multiple of 6
            (self.sink, 1),           # no longer sold by the time of the checkout
        ])
        self.sink.active = False
        orders_before = Order.search_count([])
        with self.refused(UserError) as caught:
            self.as_user(self.u_alfa_buyer, "b2b.cart").b2b_checkout(cart_id, "срочно")
        message = caught.exception.name
        self.assertNotIn("Line 1", message)
        self.assertIn("Line 2, SKU TWR-00001: the minimum order quantity is 2", message)
        self.assertIn("Line 3, SKU ACC-00002: order in multiples of 6", message)
        self.assertIn("Line 4: the product is not available to you", message)
        self.assertEqual(Order.search_count([]), orders_before, "no order was created")
        self.assertEqual(self.cart_lines(cart_id), {self.mixer: 1, self.min_two: 1, self.by_six: 4,
                                                    self.sink: 1}, "the cart is as it was")

    def test_russian_dealer_reads_russian_messages(self):
        cart_id = self.cart_of(self.u_beta_buyer, self.c_beta, [(self.min_two, 1)])
        with self.refused(UserError) as caught:
            self.as_user(self.u_beta_buyer, "b2b.cart", lang="ru_RU").b2b_checkout(cart_id)
        self.assertEqual(caught.exception.name, "Строка 1, артикул TWR-00001: минимальный заказ — 2")
        with self.refused(UserError) as caught:
            self.as_user(self.u_beta_buyer, "b2b.cart", lang="ru_RU").b2b_set_lines(
                cart_id, [(self.mixer.id, -2)])
        self.assertEqual(caught.exception.name, "Строка 1: количество не может быть отрицательным")

    def test_desired_date_in_the_past_is_refused(self):
        Cart = self.as_user(self.u_alfa_buyer, "b2b.cart")
        cart_id = self.cart_of(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 1)])
        for value, text in (("2001-01-01", "The desired delivery date 2001-01-01 is in the past."),
                            ("31.12.2099", "The desired delivery date 31.12.2099 is not a date "
                                           "(expected YYYY-MM-DD).")):
            with self.refused(UserError) as caught:
                Cart.b2b_set_details(cart_id, "x", value)
            self.assertEqual(caught.exception.name, text)
            with self.refused(UserError):
                Cart.b2b_checkout(cart_id, None, value)
        cart = self.env["b2b.cart"].browse(cart_id)
        self.assertFalse(cart.comment or cart.desired_date)
        self.assertEqual(self.cart_lines(cart_id), {self.mixer: 1})

    def test_closed_contract_takes_no_checkout(self):
        Cart = self.as_user(self.u_beta_buyer, "b2b.cart")
        cart_id = self.cart_of(self.u_beta_buyer, self.c_beta_special, [(self.mixer, 2)])
        self.c_beta_special.state = "closed"
        orders_before = self.env["sale.order"].search_count([])
        with self.refused(UserError) as caught:
            Cart.b2b_checkout(cart_id)
        self.assertIn("is closed: no new orders can be placed under it", caught.exception.name)
        with self.refused(UserError):
            Cart.b2b_set_lines(cart_id, [(self.sink.id, 1)])
        self.assertEqual(self.env["sale.order"].search_count([]), orders_before)
        self.assertEqual(self.cart_lines(cart_id), {self.mixer: 2})
        # the cart can still be looked at, but nobody opens a new one under the contract
        self.assertEqual(Cart.b2b_get_cart(self.c_beta_special.id), cart_id)
        self.assertFalse(Cart.b2b_cart_summary(cart_id)["can_checkout"])
        with self.refused(UserError):
            self.as_user(self.u_beta_admin, "b2b.cart").b2b_get_cart(self.c_beta_special.id)
