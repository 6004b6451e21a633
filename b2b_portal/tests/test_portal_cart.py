import datetime

import odoo.http
from odoo.addons.b2b_base.tools import business_date

from lxml import html

from .common import PortalHttpCase


class CartPageCase(PortalHttpCase):
    """Helpers for the cart pages: contract choice, carts set up as the user, page parsing."""

    def use_contract(self, contract):
        answer = self.post("/b2b/contract/switch", {"contract_id": contract.id, "redirect": "/my"},
                           allow_redirects=False, csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 303)

    def login(self, user, lang=None):
        """Log in as ``user``; ``lang`` overrides the language of the session (the demo dealers
        work in Russian; a test that compares messages word for word asks for English)."""
        result = super(CartPageCase, self).login(user)
        if lang:
            # a new dict: the session's context is the very dict res.users.context_get keeps in
            # its cache, and changing it in place would change the user's language for the
            # tests that follow
            self.session.context = dict(self.session.context, lang=lang)
            odoo.http.root.session_store.save(self.session)
        return result

    def cart_id(self, user, contract, lines=None):
        self.settle()
        Cart = self.env["b2b.cart"].sudo(user)
        cart_id = Cart.b2b_get_cart(contract.id)
        if lines is not None:
            Cart.b2b_set_lines(cart_id, [(product.id, qty) for product, qty in lines], replace=True)
        return cart_id

    def lines_of(self, cart_id):
        self.settle()
        self.env.cache.invalidate()
        return {line.product_id: line.qty for line in self.env["b2b.cart"].browse(cart_id).line_ids}

    def page(self, path):
        answer = self.get(path)
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        return html.fromstring(answer.text)

    def rows(self, tree):
        """{product_id: <tr>} of the cart lines shown."""
        return {int(row.get("data-product-id")): row
                for row in tree.xpath("//tr[contains(@class, 'o_b2b_cart_line')]")}

    def orders_of(self, contract):
        self.settle()
        return self.env["sale.order"].search([("b2b_contract_id", "=", contract.id)])


class TestPortalCart(CartPageCase):

    def test_cart_page_shows_contract_prices_and_totals(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa,
                               [(self.mixer, 3), (self.min_two, 2), (self.by_six, 12)])
        self.login(self.u_alfa_buyer)
        self.use_contract(self.c_alfa)
        tree = self.page("/b2b/cart")
        self.assertEqual(tree.xpath("//div[@id='o_b2b_cart_lines']/@data-cart-id"), [str(cart_id)])
        rows = self.rows(tree)
        products = (self.mixer, self.min_two, self.by_six)
        self.assertEqual(set(rows), {p.id for p in products})
        offers = self.c_alfa._b2b_offers([p.id for p in products])
        total = 0.0
        for product, qty in ((self.mixer, 3), (self.min_two, 2), (self.by_six, 12)):
            row = rows[product.id]
            price = offers[product.id].price
            self.assertEqual(row.get("data-sku"), product.default_code)
            self.assertEqual(float(row.get("data-price")), price)
            self.assertEqual(float(row.get("data-qty")), qty)
            self.assertAlmostEqual(float(row.get("data-amount")), round(price * qty, 2), places=2)
            self.assertEqual(row.get("data-problem"), "none")
            total += round(price * qty, 2)
        totals = tree.xpath("//div[@id='o_b2b_cart_totals']")[0]
        self.assertAlmostEqual(float(totals.get("data-amount")), total, places=2)
        self.assertEqual(totals.get("data-lines"), "3")
        # the retail contract of the same dealer prices the same goods differently
        retail = self.c_alfa_retail._b2b_offers([self.mixer.id])[self.mixer.id].price
        self.assertNotEqual(retail, offers[self.mixer.id].price)
        self.assertEqual(tree.xpath("//a//span[contains(@class, 'o_b2b_cart_count')]/text()"), ["3"])
        # the checkout form carries the cart shown and a CSRF token
        self.assertEqual(tree.xpath("//form[@id='o_b2b_checkout_form']//input[@name='cart_id']/@value"),
                         [str(cart_id)])

    def test_save_changes_sets_all_quantities_in_one_call_and_marks_rule_breaks(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 1)])
        self.login(self.u_alfa_buyer, lang="en_US")
        self.use_contract(self.c_alfa)
        answer, error = self.rpc("/b2b/cart/update", cart_id=cart_id, lines=[
            [self.mixer.id, "0"], [self.min_two.id, "1"], [self.by_six.id, "4"]])
        self.assertFalse(error)
        self.assertEqual(self.lines_of(cart_id), {self.min_two: 1, self.by_six: 4})
        self.assertEqual((answer["line_count"], answer["problem_count"], answer["can_checkout"]),
                         (2, 2, False))
        rows = self.rows(html.fromstring(answer["html"]))
        self.assertEqual(rows[self.min_two.id].get("data-problem"), "below_min_qty")
        self.assertEqual(rows[self.by_six.id].get("data-problem"), "not_multiple")
        self.assertEqual(rows[self.min_two.id].xpath(".//*[contains(@class, 'o_b2b_problem')]/text()"),
                         ["Line 1, SKU TWR-00001: the minimum order quantity is 2"])
        self.assertEqual(rows[self.by_six.id].xpath(".//*[contains(@class, 'o_b2b_problem')]/text()"),
                         ["Line 2, SKU ACC-00002: order in multiples of 6"])
        # the page shows the same marks
        self.assertEqual(set(r.get("data-problem") for r in self.rows(self.page("/b2b/cart")).values()),
                         {"below_min_qty", "not_multiple"})
        # fixed quantities: the marks go
        answer, error = self.rpc("/b2b/cart/update", cart_id=cart_id,
                                 lines=[[self.min_two.id, 2], [self.by_six.id, 6]])
        self.assertFalse(error)
        self.assertEqual((answer["problem_count"], answer["can_checkout"]), (0, True))
        # a bad entry: nothing changes, the message names it
        answer, error = self.rpc("/b2b/cart/update", cart_id=cart_id,
                                 lines=[[self.min_two.id, 8], [self.by_six.id, -6]])
        self.assertIsNone(answer)
        self.assertEqual(error["message"].strip(), "Line 2: the quantity cannot be negative")
        self.assertEqual(self.lines_of(cart_id), {self.min_two: 2, self.by_six: 6})

    def test_checkout_places_the_order_and_shows_its_number(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3), (self.min_two, 2)])
        self.login(self.u_alfa_buyer)
        self.use_contract(self.c_alfa)
        before = self.orders_of(self.c_alfa)
        wanted = (business_date.today(self.env) + datetime.timedelta(days=10)).isoformat()
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id, "comment": "Позвонить за час",
                                                  "desired_date": wanted},
                           allow_redirects=False, csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        order = self.orders_of(self.c_alfa) - before
        self.assertEqual(len(order), 1)
        self.assertTrue(answer.headers["Location"].endswith("/b2b/cart/placed/%d" % order.id))
        self.assertEqual(order.b2b_author_id, self.u_alfa_buyer)
        self.assertEqual(order.b2b_desired_date, wanted)
        self.assertEqual(order.note, "Позвонить за час")
        self.assertEqual({(l.product_id, l.product_uom_qty) for l in order.order_line},
                         {(self.mixer, 3), (self.min_two, 2)})
        offers = self.c_alfa._b2b_offers([self.mixer.id])
        self.assertEqual(order.order_line.filtered(lambda l: l.product_id == self.mixer).price_unit,
                         offers[self.mixer.id].price)
        self.assertEqual(self.lines_of(cart_id), {})
        tree = self.page("/b2b/cart/placed/%d" % order.id)
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_order_name')]/text()"), [order.name])
        self.assertEqual(tree.xpath("//a[contains(@class, 'o_b2b_order_link')]/@href"),
                         ["/b2b/orders/%d" % order.id])
        self.assertAlmostEqual(float(tree.xpath("//*[@class='o_b2b_placed_total']/@data-amount")[0]),
                               order.amount_total, places=2)
        # another dealer's user cannot open the confirmation
        self.login(self.u_beta_buyer)
        self.assertEqual(self.get("/b2b/cart/placed/%d" % order.id).status_code, 404)

    def test_refused_checkout_keeps_the_cart_and_orders_nothing(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3), (self.min_two, 1)])
        self.login(self.u_alfa_buyer, lang="en_US")
        self.use_contract(self.c_alfa)
        before = self.orders_of(self.c_alfa)
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id, "comment": "x"},
                           allow_redirects=False, csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 200)
        tree = html.fromstring(answer.text)
        self.assertEqual(tree.xpath("//div[contains(@class, 'o_b2b_error')]/text()")[0].strip(),
                         "Line 2, SKU TWR-00001: the minimum order quantity is 2")
        self.assertEqual(self.orders_of(self.c_alfa), before)
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 3, self.min_two: 1})
        # a date in the past is refused the same way
        self.rpc("/b2b/cart/update", cart_id=cart_id, lines=[[self.min_two.id, 2]])
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id, "desired_date": "2001-01-01"},
                           allow_redirects=False, csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 200)
        self.assertIn("2001-01-01", html.fromstring(answer.text).xpath(
            "//div[contains(@class, 'o_b2b_error')]/text()")[0])
        self.assertEqual(self.orders_of(self.c_alfa), before)
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 3, self.min_two: 2})

    def test_empty_cart_is_told(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [])
        self.login(self.u_alfa_buyer, lang="en_US")
        self.use_contract(self.c_alfa)
        tree = self.page("/b2b/cart")
        self.assertTrue(tree.xpath("//*[contains(@class, 'o_b2b_cart_empty')]"))
        self.assertFalse(tree.xpath("//form[@id='o_b2b_checkout_form']"))
        before = self.orders_of(self.c_alfa)
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id}, csrf_from="/b2b/cart")
        self.assertEqual(html.fromstring(answer.text).xpath(
            "//div[contains(@class, 'o_b2b_error')]/text()")[0].strip(), "The cart is empty.")
        self.assertEqual(self.orders_of(self.c_alfa), before)

    def test_closed_contract_is_told(self):
        # data the requests see is written before the first request: the test server rolls the
        # shared test cursor back to its last commit when it closes a request
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        self.c_alfa.state = "closed"
        before = self.orders_of(self.c_alfa)
        self.login(self.u_alfa_buyer, lang="en_US")
        self.use_contract(self.c_alfa)
        tree = self.page("/b2b/cart")
        self.assertTrue(tree.xpath("//*[contains(@class, 'o_b2b_contract_closed')]"))
        self.assertTrue(tree.xpath("//button[contains(@class, 'o_b2b_checkout_btn')][@disabled]"))
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id}, csrf_from="/b2b/cart")
        tree = html.fromstring(answer.text)
        self.assertIn(self.c_alfa.name, tree.xpath("//div[contains(@class, 'o_b2b_error')]/text()")[0])
        self.assertEqual(self.orders_of(self.c_alfa), before)
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 3})

    def test_outlet_cannot_touch_another_contracts_cart_by_forged_fields(self):
        buyer_cart = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        self.login(self.u_alfa_outlet, lang="en_US")
        before = self.orders_of(self.c_alfa)
        tree = self.page("/b2b/cart")
        own_cart = int(tree.xpath("//div[@id='o_b2b_cart_lines']/@data-cart-id")[0])
        self.assertEqual(self.env["b2b.cart"].browse(own_cart).contract_id, self.c_alfa_retail)
        answer = self.post("/b2b/cart/checkout", {"cart_id": buyer_cart, "contract_id": self.c_alfa.id},
                           allow_redirects=False, csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 404)
        answer = self.post("/b2b/cart/save", {"cart_id": buyer_cart, "name": "чужая"},
                           allow_redirects=False, csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 404)
        for route, params in (("/b2b/cart/update", {"lines": [[self.mixer.id, 50]]}),
                              ("/b2b/cart/quick_add", {"sku": self.mixer.default_code, "qty": 5}),
                              ("/b2b/cart/paste", {"text": "MIX-00001;5"})):
            result, error = self.rpc(route, cart_id=buyer_cart, contract_id=self.c_alfa.id, **params)
            self.assertIsNone(result, route)
            self.assertEqual(error.get("name"), "odoo.exceptions.AccessError", route)
        self.assertEqual(self.lines_of(buyer_cart), {self.mixer: 3})
        self.assertEqual(self.orders_of(self.c_alfa), before)
        self.assertFalse(self.env["b2b.saved.cart"].search([("name", "=", "чужая")]))
        # a contract id forged into the form does not move the outlet's own work either
        result, error = self.rpc("/b2b/cart/update", contract_id=self.c_alfa.id,
                                 lines=[[self.mixer.id, 2]])
        self.assertFalse(error)
        self.assertEqual(self.lines_of(own_cart), {self.mixer: 2})
        self.assertEqual(self.lines_of(buyer_cart), {self.mixer: 3})

    def test_quick_add_by_sku_and_pasted_list(self):
        cart_id = self.cart_id(self.u_beta_buyer, self.c_beta, [(self.mixer, 1)])
        self.login(self.u_beta_buyer, lang="en_US")
        answer, error = self.rpc("/b2b/cart/quick_add", sku=" MIX-00001 ", qty="2")
        self.assertFalse(error)
        self.assertEqual(answer["added"]["sku"], "MIX-00001")
        answer, error = self.rpc("/b2b/cart/quick_add", product_id=self.min_two.id, qty=2)
        self.assertFalse(error)
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 3, self.min_two: 2})
        self.assertEqual(answer["line_count"], 2)
        # another dealer's exclusive goods cannot be added by their code, nor by id
        result, error = self.rpc("/b2b/cart/quick_add", sku="ALF-00001", qty=1)
        self.assertEqual(error["message"].strip(),
                         'no product with the SKU "ALF-00001" can be ordered under this contract')
        result, error = self.rpc("/b2b/cart/quick_add", product_id=self.exclusive.id, qty=1)
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        result, error = self.rpc("/b2b/cart/quick_add", sku="MIX-00001", qty="-1")
        self.assertEqual(error["name"], "odoo.exceptions.UserError")
        # a pasted list with bad lines adds nothing and names each bad line
        result, error = self.rpc("/b2b/cart/paste", text="MIX-00001\t4\nNOPE-1;1\n\nACC-00002 много\nALF-00001 1")
        self.assertIsNone(result)
        self.assertEqual(error["message"].strip().split("\n"), [
            'Line 2: no product with the SKU "NOPE-1" can be ordered under this contract',
            'Line 4: the quantity "много" of ACC-00002 is not a number',
            'Line 5: no product with the SKU "ALF-00001" can be ordered under this contract'])
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 3, self.min_two: 2})
        # a good list adds up with the cart and with itself
        answer, error = self.rpc("/b2b/cart/paste", text="MIX-00001\t4\nACC-00002;6\nMIX-00001 1")
        self.assertFalse(error)
        self.assertEqual(answer["added"], 2)
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 8, self.min_two: 2, self.by_six: 6})
        tree = self.page("/b2b/cart")
        self.assertEqual(tree.xpath("//a//span[contains(@class, 'o_b2b_cart_count')]/text()"), ["3"])
        self.assertTrue(tree.xpath("//form[@id='o_b2b_quick_add']//input[@id='o_b2b_quick_sku']"))
        self.assertTrue(tree.xpath("//textarea[@id='o_b2b_paste']"))

    def test_not_a_dealer_gets_404(self):
        self.authenticate("admin", "admin")
        self.assertEqual(self.get("/b2b/cart").status_code, 404)
