from lxml import html

from odoo.addons.b2b_base.lib import numbers

from odoo.addons.b2b_portal.tests.test_portal_cart import CartPageCase


class TestPortalBonus(CartPageCase):
    """Bonus goods in the dealer portal, over real HTTP as the demo dealers' users: «Альфа» has
    3 200 points (b2b_bonus's demo), the mug costs 150 points and the stand 2 500."""

    def setUp(self):
        super(TestPortalBonus, self).setUp()
        ref = self.env.ref
        self.mug = ref("b2b_bonus.demo_product_bonus_mug").product_variant_id
        self.stand = ref("b2b_bonus.demo_product_bonus_stand").product_variant_id
        self.balance = ref("b2b_bonus.demo_balance_alfa")

    def num(self, value, lang="en_US"):
        """``value`` as the pages write a number in ``lang`` (blanks as ``texts`` reads them)."""
        text = numbers.format_quantity(value, *self.env["res.lang"]._b2b_number_format(lang))
        return " ".join(text.split())

    def texts(self, tree, css_class):
        return [" ".join(node.text_content().split())
                for node in tree.xpath(".//*[contains(@class, '%s')]" % css_class)]

    def test_bonus_goods_are_priced_in_points_never_money(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        self.use_contract(self.c_alfa)
        tree = self.page("/b2b/catalog?bonus=1")
        rows = {int(row.get("data-product-id")): row
                for row in tree.xpath("//tr[contains(@class, 'o_b2b_product')]")}
        # the filter lists the bonus goods only, both of them, each priced in points
        self.assertEqual(set(rows), {self.mug.id, self.stand.id})
        self.assertTrue(tree.xpath("//input[@id='o_b2b_filter_bonus']/@checked"))
        mug = rows[self.mug.id]
        self.assertEqual(mug.get("data-points"), "150.00")
        self.assertEqual(mug.get("data-price"), "")
        self.assertFalse(mug.get("data-on-request"))
        self.assertEqual(self.texts(mug, "o_b2b_price"), ["150 points"])
        self.assertEqual(self.texts(rows[self.stand.id], "o_b2b_price"), ["%s points" % self.num(2500)])
        self.assertNotIn("price on request", mug.text_content())
        # they can be added like any product
        self.assertTrue(mug.xpath(".//button[contains(@class, 'o_b2b_add')]"))
        # the catalog without the filter lists them among the other goods, made in Odoo or not
        tree = self.page("/b2b/catalog?q=%s" % "Кружка")
        mug = tree.xpath("//tr[contains(@class, 'o_b2b_product')][@data-product-id='%d']" % self.mug.id)
        self.assertEqual(len(mug), 1, "the bonus mug is not in the catalog without the filter")
        self.assertEqual(self.texts(mug[0], "o_b2b_price"), ["150 points"])
        self.assertFalse(tree.xpath("//input[@id='o_b2b_filter_bonus']/@checked"))
        # the product page: points, no money price
        tree = self.page("/b2b/product/%d" % self.mug.id)
        self.assertEqual(self.texts(tree, "o_b2b_bonus_price"), ["150 points"])
        self.assertEqual(tree.xpath("//div[@id='o_b2b_product_page']/@data-price"), [""])
        self.assertFalse(tree.xpath("//*[contains(@class, 'o_b2b_on_request')]"))
        # in Russian
        self.login(self.u_alfa_buyer)
        tree = self.page("/b2b/product/%d" % self.stand.id)
        self.assertEqual(self.texts(tree, "o_b2b_bonus_price"), ["%s баллов" % self.num(2500, "ru_RU")])

    def test_bonus_goods_go_into_the_cart_in_points(self):
        with self.saved():
            cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 1)])
        self.login(self.u_alfa_buyer, lang="en_US")
        self.use_contract(self.c_alfa)
        answer, error = self.rpc("/b2b/cart/add", product_id=self.mug.id, qty=2)
        self.assertFalse(error)
        self.assertEqual((answer["count"], answer["qty"]), (2, 2))
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 1, self.mug: 2})
        tree = self.page("/b2b/cart")
        rows = self.rows(tree)
        mug = rows[self.mug.id]
        self.assertEqual(mug.get("data-price"), "")
        self.assertEqual(mug.get("data-amount"), "")
        self.assertEqual(mug.get("data-points"), "300.00")
        self.assertEqual(self.texts(mug, "o_b2b_price"), ["150 points"])
        self.assertEqual(self.texts(mug, "o_b2b_amount"), ["300 points"])
        price = self.c_alfa._b2b_offers([self.mixer.id])[self.mixer.id].price
        totals = tree.xpath("//div[@id='o_b2b_cart_totals']")[0]
        self.assertAlmostEqual(float(totals.get("data-amount")), price, places=2)
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_total_points')]/@data-points"),
                         ["300.00"])
        self.assertEqual(tree.xpath("//div[@id='o_b2b_cart_lines']/@data-can-checkout"), ["1"])
        # the cart's "save changes" answers the lines again, bonus lines in points
        answer, error = self.rpc("/b2b/cart/update", cart_id=cart_id, lines=[[self.mug.id, 3]])
        self.assertFalse(error)
        mug = self.rows(html.fromstring(answer["html"]))[self.mug.id]
        self.assertEqual(self.texts(mug, "o_b2b_amount"), ["450 points"])
        self.assertEqual(answer["totals"]["amount"], price)

    def test_split_checkout_places_two_linked_orders(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa,
                               [(self.mixer, 3), (self.mug, 2), (self.stand, 1)])
        self.login(self.u_alfa_buyer, lang="en_US")
        self.use_contract(self.c_alfa)
        before = self.orders_of(self.c_alfa)
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id, "comment": "Вместе"},
                           allow_redirects=False, csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        placed = self.orders_of(self.c_alfa) - before
        self.assertEqual(len(placed), 2)
        money = placed.filtered(lambda o: not o.b2b_is_bonus_order)
        bonus = placed - money
        self.assertTrue(bonus.b2b_is_bonus_order)
        self.assertEqual({(l.product_id, l.product_uom_qty) for l in money.order_line},
                         {(self.mixer, 3)})
        self.assertEqual({(l.product_id, l.product_uom_qty) for l in bonus.order_line},
                         {(self.mug, 2), (self.stand, 1)})
        # the bonus goods never take a money price
        self.assertEqual(bonus.order_line.mapped("price_unit"), [0.0, 0.0])
        self.assertEqual(bonus.b2b_bonus_points_total, 2800)
        self.assertEqual((money.b2b_linked_order_id, bonus.b2b_linked_order_id), (bonus, money))
        self.assertEqual((money.note, bonus.note), ("Вместе", "Вместе"))
        self.assertEqual(self.lines_of(cart_id), {})
        # the confirmation page shows both orders
        self.assertTrue(answer.headers["Location"].endswith("/b2b/cart/placed/%d" % money.id))
        tree = self.page("/b2b/cart/placed/%d" % money.id)
        self.assertEqual(self.texts(tree, "o_b2b_order_name"), [money.name])
        self.assertEqual(self.texts(tree, "o_b2b_bonus_order_name"), [bonus.name])
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_placed_points')]/@data-points"),
                         ["2800.00"])
        # another dealer's user sees neither
        self.login(self.u_beta_buyer)
        self.assertEqual(self.get("/b2b/cart/placed/%d" % money.id).status_code, 404)
        self.assertEqual(self.get("/b2b/cart/placed/%d" % bonus.id).status_code, 404)

    def test_short_points_refuse_the_bonus_order_and_the_money_order_may_go_alone(self):
        # two stands: 5 000 points, the dealer has 3 200
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3), (self.stand, 2)])
        self.login(self.u_alfa_buyer, lang="en_US")
        self.use_contract(self.c_alfa)
        before = self.orders_of(self.c_alfa)
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id, "comment": "x"},
                           csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 200)
        tree = html.fromstring(answer.text)
        error = self.texts(tree, "o_b2b_error")[0]
        # b2b_bonus's refusal, as it words it
        self.assertEqual(error, "The bonus order costs 5000 points, 3200 available: 1800 short.")
        self.assertEqual(self.orders_of(self.c_alfa) - before, self.env["sale.order"])
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 3, self.stand: 2})
        # the dealer confirms placing the goods for money alone
        form = tree.xpath("//form[contains(@class, 'o_b2b_money_only_form')]")
        self.assertEqual(len(form), 1)
        self.assertEqual(form[0].xpath(".//input[@name='money_only']/@value"), ["1"])
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id, "comment": "x",
                                                  "money_only": "1"},
                           allow_redirects=False, csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        placed = self.orders_of(self.c_alfa) - before
        self.assertEqual(len(placed), 1)
        self.assertFalse(placed.b2b_is_bonus_order)
        self.assertEqual({(l.product_id, l.product_uom_qty) for l in placed.order_line},
                         {(self.mixer, 3)})
        self.assertFalse(placed.b2b_linked_order_id)
        # the bonus goods stay in the cart
        self.assertEqual(self.lines_of(cart_id), {self.stand: 2})
        # in Russian, the refusal says the same
        self.login(self.u_alfa_buyer)
        self.use_contract(self.c_alfa)
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id}, csrf_from="/b2b/cart")
        error = self.texts(html.fromstring(answer.text), "o_b2b_error")[0]
        self.assertEqual(error, "Бонусный заказ стоит 5000 баллов, доступно 3200: не хватает 1800.")

    def test_points_in_the_header_dashboard_and_history_are_the_dealers_own(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        tree = self.page("/my")
        self.assertEqual(tree.xpath("//li[contains(@class, 'o_b2b_nav_points')]//@data-points"),
                         ["3200.00"])
        self.assertEqual(self.texts(tree, "o_b2b_points_available"), ["%s points" % self.num(3200)])
        panel = tree.xpath("//div[@id='o_b2b_dashboard_bonus_panel']")
        self.assertEqual(len(panel), 1)
        self.assertEqual(panel[0].xpath(".//*[contains(@class, 'o_b2b_bonus_available')]/@data-points"),
                         ["3200.00"])
        tree = self.page("/b2b/bonus")
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_bonus_available')]/@data-points"),
                         ["3200.00"])
        # a bonus order of «Альфа» is listed for «Альфа» ...
        with self.saved():
            cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mug, 1)])
            order_id = self.env["b2b.cart"].sudo(self.u_alfa_buyer).b2b_checkout(cart_id)
        order = self.env["sale.order"].browse(order_id)
        self.assertTrue(order.b2b_is_bonus_order)
        tree = self.page("/b2b/bonus")
        self.assertEqual(tree.xpath("//tr[contains(@class, 'o_b2b_bonus_order_row')]/@data-order-id"),
                         [str(order_id)])
        # with its reservation in the history, newest first, and the points it holds
        moves = tree.xpath("//tr[contains(@class, 'o_b2b_bonus_move')]")
        self.assertEqual(moves[0].get("data-kind"), "reserve")
        self.assertIn(order.name, moves[0].text_content())
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_bonus_available')]/@data-points"),
                         ["3050.00"])
        # the dashboard says, in the dealer's language, what the order holds
        self.login(self.u_alfa_buyer, lang="ru_RU")
        panel = self.page("/ru_RU/my").xpath("//div[@id='o_b2b_dashboard_bonus_panel']")[0]
        self.assertIn("Зарезервировано под бонусные заказы: 150", " ".join(panel.text_content().split()))
        # ... and never for «Бета», whose balance is its own (none)
        self.login(self.u_beta_admin, lang="en_US")
        for path in ("/my", "/b2b/bonus"):
            page = self.get(path).text
            self.assertNotIn(self.num(3200), page)
            self.assertNotIn(order.name, page)
            self.assertNotIn(self.num(3050), page)
        tree = self.page("/b2b/bonus")
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_bonus_available')]/@data-points"),
                         ["0.00"])
        self.assertFalse(tree.xpath("//tr[contains(@class, 'o_b2b_bonus_order_row')]"))
        self.assertFalse(tree.xpath("//tr[contains(@class, 'o_b2b_bonus_move')]"))
