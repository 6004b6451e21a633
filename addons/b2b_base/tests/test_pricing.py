from odoo.exceptions import UserError, ValidationError

from .common import DealerCase


class TestDealerPricing(DealerCase):
    """Dealer orders are priced by the contract's price type and checked line by line."""

    def test_portal_order_takes_contract_prices(self):
        order = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 2), (self.sink, 1)])
        prices = {l.product_id: l.price_unit for l in order.order_line}
        self.assertEqual(prices[self.mixer], self.price(self.mixer, self.pt_large))
        self.assertEqual(prices[self.sink], self.price(self.sink, self.pt_large))
        self.assertNotEqual(prices[self.mixer], self.mixer.lst_price,
                            "the pricelist (list price) is not used for dealer orders")
        self.assertEqual(order.b2b_contract_id, self.c_alfa)
        self.assertEqual(order.b2b_author_id, self.u_alfa_buyer)
        self.assertEqual(order.b2b_origin, "portal")
        self.assertEqual(order.partner_id, self.alfa)
        self.assertEqual(order.user_id, self.alfa.b2b_manager_id, "the dealer's manager handles it")

    def test_same_product_costs_what_each_contract_says(self):
        alfa = self.place(self.u_alfa_admin, self.c_alfa, [(self.mixer, 1)])
        retail = self.place(self.u_alfa_admin, self.c_alfa_retail, [(self.mixer, 1)])
        beta = self.place(self.u_beta_admin, self.c_beta, [(self.mixer, 1)])
        self.assertEqual(alfa.order_line.price_unit, self.price(self.mixer, self.pt_large))
        self.assertEqual(retail.order_line.price_unit, self.price(self.mixer, self.pt_dealer))
        self.assertEqual(beta.order_line.price_unit, self.price(self.mixer, self.pt_wholesale))
        self.assertEqual(retail.partner_id, self.alfa_retail, "ordered for the contract's legal entity")

    def test_backend_order_line_takes_contract_price(self):
        order = self.env["sale.order"].create({
            "partner_id": self.beta.id, "b2b_contract_id": self.c_beta_special.id})
        line = self.env["sale.order.line"].new({
            "order_id": order.id, "product_id": self.sink.id, "product_uom_qty": 1})
        line.product_id_change()
        self.assertEqual(line.price_unit, self.price(self.sink, self.pt_dealer))

    def test_contract_must_belong_to_customer(self):
        with self.assertRaises(ValidationError):
            self.env["sale.order"].create({"partner_id": self.beta.id, "b2b_contract_id": self.c_alfa.id})
        with self.assertRaises(ValidationError):
            self.env["sale.order"].create({"partner_id": self.beta.id})

    def test_bad_lines_are_named_and_nothing_is_created(self):
        Order = self.env["sale.order"]
        before = Order.search_count([])
        lines = [
            (self.mixer, 1),          # fine
            (self.min_two, 1),        # below the minimum of 2
            (self.by_six, 4),         # not a multiple of 6
            (self.forbidden, 1),      # not sold in Novosibirsk
            (self.mixer, 0),          # no quantity
        ]
        with self.assertRaises(UserError) as caught:
            Order.sudo(self.u_beta_buyer).with_context(lang="en_US").b2b_place_order(
                self.c_beta.id, [(p.id, q) for p, q in lines])
        message = str(caught.exception.name)
        self.assertIn("Line 2, SKU TWR-00001", message)
        self.assertIn("Line 3, SKU ACC-00002", message)
        self.assertIn("Line 4, SKU SHW-00001", message)
        self.assertIn("Line 5, SKU MIX-00001", message)
        self.assertNotIn("Line 1", message)
        self.assertEqual(Order.search_count([]), before)

    def test_russian_dealer_reads_russian_errors(self):
        """The demo dealers work in Russian: the same problems are told in their language."""
        self.assertEqual(self.u_beta_buyer.lang, "ru_RU")
        with self.assertRaises(UserError) as caught:
            self.env["sale.order"].sudo(self.u_beta_buyer).b2b_place_order(
                self.c_beta.id, [(self.min_two.id, 1)])
        self.assertEqual(caught.exception.name, "Строка 1, артикул TWR-00001: минимальный заказ — 2")

    def test_forbidden_region_applies_to_region_of_contract(self):
        # «Альфа» is in Moscow: the same product is fine there
        order = self.place(self.u_alfa_buyer, self.c_alfa, [(self.forbidden, 1)])
        self.assertEqual(order.order_line.product_id, self.forbidden)

    def test_closed_contract_takes_no_orders(self):
        self.c_beta_special.state = "closed"
        with self.assertRaises(UserError):
            self.place(self.u_beta_admin, self.c_beta_special, [(self.mixer, 1)])

    def test_offers_for_a_dealer_user(self):
        offers = self.c_alfa_retail.sudo(self.u_alfa_outlet).b2b_get_offers(
            [self.mixer.id, self.exclusive.id, self.forbidden.id])
        mixer = offers[self.mixer.id]
        self.assertEqual(mixer["price"], self.price(self.mixer, self.pt_dealer))
        self.assertEqual(mixer["rrp"], self.price(self.mixer, self.pt_rrp))
        self.assertEqual(mixer["availability"], "in_stock")
        self.assertIn(self.exclusive.id, offers, "the private label is for «Альфа»")
        beta_offers = self.c_beta.sudo(self.u_beta_buyer).b2b_get_offers(
            [self.mixer.id, self.exclusive.id, self.forbidden.id])
        self.assertNotIn(self.exclusive.id, beta_offers)
        self.assertTrue(beta_offers[self.forbidden.id]["forbidden"])
        from odoo.exceptions import AccessError
        with self.assertRaises(AccessError):
            self.c_alfa.sudo(self.u_beta_buyer).b2b_get_offers([self.mixer.id])

    def test_whole_catalog_in_one_query(self):
        """A page of any size is priced with one SQL round trip."""
        queries = []
        cr = self.env.cr
        execute = cr.execute

        def counting(query, params=None, log_exceptions=None):
            queries.append(query)
            return execute(query, params)
        cr.execute = counting
        try:
            offers = self.c_alfa._b2b_offers()
        finally:
            cr.execute = execute
        offer_queries = [q for q in queries if "JOIN b2b_price " in q]
        self.assertEqual(len(offer_queries), 1)
        saleable = self.env["product.product"].search_count([("sale_ok", "=", True)])
        self.assertEqual(len(offers), saleable, "every product for sale is visible to «Альфа»")
