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

    def _queries_of(self, fn):
        """(result of fn(), the SQL queries it ran)."""
        queries = []
        cr = self.env.cr
        execute = cr.execute

        def counting(query, params=None, log_exceptions=None):
            queries.append(query)
            return execute(query, params)
        cr.execute = counting
        try:
            return fn(), queries
        finally:
            cr.execute = execute

    def test_a_page_costs_one_query_and_the_catalog_none(self):
        page = self.env["product.product"].search([("default_code", "like", "MIX-")], limit=60).ids
        self.c_alfa._b2b_offers()  # warm the whole-catalog tables
        offers, queries = self._queries_of(lambda: self.c_alfa._b2b_offers(page))
        self.assertEqual(len(offers), 30)
        self.assertEqual(len([q for q in queries if "JOIN b2b_price " in q]), 1)
        offers, queries = self._queries_of(lambda: self.c_alfa._b2b_offers())
        saleable = self.env["product.product"].search_count([("sale_ok", "=", True)])
        self.assertEqual(len(offers), saleable, "every product for sale is visible to «Альфа»")
        self.assertFalse([q for q in queries if "b2b_price" in q and "b2b_price_type" not in q],
                         "the whole catalog comes from the cached tables")

    def test_page_and_whole_catalog_agree(self):
        """The one-query page path and the cached whole-catalog path give the same offers."""
        for contract in (self.c_alfa, self.c_alfa_retail, self.c_beta, self.c_yug):
            whole = contract._b2b_offers()
            ids = sorted(whole)
            paged = {}
            for i in range(0, len(ids), 100):
                paged.update(contract._b2b_offers(ids[i:i + 100]))
            self.assertEqual(paged, whole, contract.name)
            everything = self.env["product.product"].search([("sale_ok", "=", True)]).ids
            self.assertEqual(contract._b2b_offers(everything[:400], include_hidden=True),
                             contract._b2b_offers(everything[:400] + everything[:101], include_hidden=True))
            self.assertEqual(contract._b2b_offers(include_hidden=True).keys(), set(everything))

    def test_whole_catalog_follows_changes(self):
        before = self.c_beta._b2b_offers()[self.mixer.id].price
        price = self.env["b2b.price"].search([
            ("product_id", "=", self.mixer.id), ("price_type_id", "=", self.pt_wholesale.id)])
        price.price = before + 100
        self.assertEqual(self.c_beta._b2b_offers()[self.mixer.id].price, before + 100)
        self.mixer.product_tmpl_id.b2b_availability = "on_order"
        self.assertEqual(self.c_beta._b2b_offers()[self.mixer.id].availability, "on_order")
        self.mixer.product_tmpl_id.b2b_exclusive_dealer_ids = [(6, 0, self.alfa.ids)]
        self.assertNotIn(self.mixer.id, self.c_beta._b2b_offers())
        self.mixer.active = False
        self.assertNotIn(self.mixer.id, self.c_alfa._b2b_offers())
