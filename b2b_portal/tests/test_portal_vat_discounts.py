"""VAT per price type and the dealers' personal discounts per product group, as a dealer reads
them on the Russian pages (catalog, cart, order) and as the orders hold them (Odoo's taxes)."""
import re

from odoo.addons.b2b_base.lib import pricing, vat

from .test_portal_cart import CartPageCase


def amount(text):
    """The number a page writes: '1 234,50 ₽' -> 1234.5."""
    return float(re.sub(r"[^\d,]", "", text).replace(",", "."))


def texts(node, css):
    return [" ".join("".join(found.itertext()).split())
            for found in node.xpath(".//*[contains(concat(' ', @class, ' '), ' %s ')]" % css)]


class TestPortalVatDiscounts(CartPageCase):

    def setUp(self):
        super(TestPortalVatDiscounts, self).setUp()
        ref = self.env.ref
        self.u_yug_admin = ref("b2b_base.demo_user_yug_admin")
        self.pt_net = ref("b2b_base.demo_price_type_dealer_net")    # VAT on top
        self.sink = self.env["product.product"].search([("default_code", "=", "SNK-00001")])
        Category = self.env["product.category"]
        # «Сантехника» over «Смесители» (the mixer's group) and «Раковины» (the sink's)
        with self.saved():
            self.plumbing = Category.create({"name": "Сантехника",
                                             "parent_id": self.mixer.categ_id.parent_id.id})
            (self.mixer.categ_id | self.sink.categ_id).write({"parent_id": self.plumbing.id})

    def discount(self, dealer, category, percent):
        with self.saved():
            return self.env["b2b.dealer.discount"].create({
                "dealer_id": dealer.id, "category_id": category.id, "percent": percent})

    def checkout(self, contract, cart_id):
        """Order the cart on its page, as the dealer does; returns the new order."""
        before = self.orders_of(contract)
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id}, allow_redirects=False,
                           csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        order = self.orders_of(contract) - before
        self.assertEqual(len(order), 1)
        return order

    def base(self, product, contract):
        return self.env["b2b.price"].search([("product_id", "=", product.id),
                                             ("price_type_id", "=", contract.price_type_id.id)]).price

    def catalog_row(self, sku):
        tree = self.page("/ru_RU/b2b/catalog?q=%s" % sku)
        rows = tree.xpath("//tr[contains(@class, 'o_b2b_product')][@data-sku='%s']" % sku)
        self.assertEqual(len(rows), 1, sku)
        return rows[0]

    # ------------------------------------------------------------------ discounts
    def test_catalog_shows_base_price_and_the_dealers_price_per_group(self):
        """The parent group's discount passes to a child group without one, a child's own one
        wins, another dealer keeps the price type's prices."""
        self.discount(self.alfa, self.plumbing, 10.0)
        self.discount(self.alfa, self.mixer.categ_id, 5.0)
        self.login(self.u_alfa_admin)
        self.use_contract(self.c_alfa)
        for product, percent in ((self.mixer, 5.0), (self.sink, 10.0)):
            base = self.base(product, self.c_alfa)
            dealer_price = vat.discounted(base, percent)
            self.assertLess(dealer_price, base)
            row = self.catalog_row(product.default_code)
            self.assertEqual(float(row.get("data-price")), dealer_price)
            price_cell = row.xpath(".//td[contains(@class, 'o_b2b_price')]")[0]
            self.assertEqual(amount(price_cell.xpath("./strong")[0].text), dealer_price)
            self.assertEqual([amount(t) for t in price_cell.xpath(".//s/text()")], [base])
            self.assertEqual(texts(price_cell, "o_b2b_discount"), ["\u2212%d%%" % percent])
            self.assertEqual(texts(price_cell, "o_b2b_vat"), ["в т.ч. НДС 20%"])
        # «Бета-Трейд» has no discount: the price type's price, nothing struck through
        self.login(self.u_beta_admin)
        self.use_contract(self.c_beta)
        row = self.catalog_row(self.mixer.default_code)
        self.assertEqual(float(row.get("data-price")), self.base(self.mixer, self.c_beta))
        self.assertFalse(row.xpath(".//s"))
        self.assertFalse(texts(row, "o_b2b_discount"))

    def test_cart_and_order_take_the_discounted_price(self):
        self.discount(self.alfa, self.plumbing, 10.0)
        dealer_price = vat.discounted(self.base(self.mixer, self.c_alfa), 10.0)
        cart_id = self.cart_id(self.u_alfa_admin, self.c_alfa, [(self.mixer, 3)])
        self.login(self.u_alfa_admin)
        self.use_contract(self.c_alfa)
        tree = self.page("/ru_RU/b2b/cart")
        row = self.rows(tree)[self.mixer.id]
        self.assertEqual(float(row.get("data-price")), dealer_price)
        line = vat.line(3, dealer_price, 20.0, True)
        totals = tree.xpath("//div[@id='o_b2b_cart_totals']")[0]
        self.assertEqual(amount(texts(totals, "o_b2b_total_amount")[0]), line.total)
        self.assertEqual(amount(texts(totals, "o_b2b_total_vat")[0]), line.vat)
        self.assertIn("В т.ч. НДС:", " ".join(totals.itertext()))
        order = self.checkout(self.c_alfa, cart_id)
        self.assertEqual(order.order_line.price_unit, dealer_price)
        self.assertEqual((order.amount_total, order.amount_tax), (line.total, line.vat))

    def test_whole_catalog_and_page_pricing_agree_with_discounts(self):
        """The dealer's prices of the whole catalog (cached tables) are those of the one-query
        pricing of a page, discounts and VAT included."""
        self.discount(self.alfa, self.plumbing, 12.5)
        self.discount(self.alfa, self.mixer.categ_id, 3.33)
        whole = self.c_alfa._b2b_offers()
        one_query = pricing.fetch_contract_offers(self.env.cr, self.c_alfa.id)
        self.assertEqual(whole, one_query)
        discounted = [offer for offer in whole.values() if offer.discount]
        self.assertTrue(discounted)
        self.assertEqual({offer.discount for offer in discounted}, {12.5, 3.33})
        for offer in discounted:
            self.assertEqual(offer.price, vat.discounted(offer.base_price, offer.discount))

    def test_manager_sets_a_discount_on_the_dealers_form(self):
        manager = self.env.ref("b2b_base.demo_user_manager_ivan")
        self.alfa.sudo(manager).write({"b2b_discount_ids": [(0, 0, {
            "category_id": self.mixer.categ_id.id, "percent": 4.0})]})
        discount = self.alfa.b2b_discount_ids
        self.assertEqual((discount.percent, discount.source), (4.0, "manager"))
        price = self.c_alfa._b2b_offers([self.mixer.id])[self.mixer.id].price
        self.assertEqual(price, vat.discounted(self.base(self.mixer, self.c_alfa), 4.0))

    # ------------------------------------------------------------------ VAT
    def test_vat_included_keeps_the_total_and_names_the_vat_in_it(self):
        cart_id = self.cart_id(self.u_alfa_admin, self.c_alfa, [(self.mixer, 3), (self.sink, 1)])
        self.login(self.u_alfa_admin)
        self.use_contract(self.c_alfa)
        prices = [(3, self.base(self.mixer, self.c_alfa)), (1, self.base(self.sink, self.c_alfa))]
        lines = [vat.line(qty, price, 20.0, True) for qty, price in prices]
        expected = vat.totals(lines)
        self.assertEqual(expected.total, round(sum(round(q * p, 2) for q, p in prices), 2))
        tree = self.page("/ru_RU/b2b/cart")
        totals = tree.xpath("//div[@id='o_b2b_cart_totals']")[0]
        self.assertEqual(amount(texts(totals, "o_b2b_total_amount")[0]), expected.total)
        self.assertEqual(amount(texts(totals, "o_b2b_total_vat")[0]), expected.vat)
        self.assertGreater(expected.vat, 0)
        self.assertFalse(texts(totals, "o_b2b_total_net"), "the total already includes VAT")
        order = self.checkout(self.c_alfa, cart_id)
        self.assertEqual((order.amount_total, order.amount_tax), (expected.total, expected.vat))
        self.assertEqual(set(order.order_line.mapped("tax_id.price_include")), {True})
        page = self.page("/ru_RU/b2b/orders/%d" % order.id)
        self.assertEqual(amount(texts(page, "o_b2b_order_tax")[0]), expected.vat)
        self.assertEqual(amount(texts(page, "o_b2b_order_total")[0]), expected.total)
        self.assertIn("НДС", " ".join(page.xpath("//tfoot//td/text()")))

    def test_vat_on_top_adds_to_the_total(self):
        with self.saved():
            self.c_yug.price_type_id = self.pt_net
        cart_id = self.cart_id(self.u_yug_admin, self.c_yug, [(self.mixer, 3), (self.sink, 2)])
        self.login(self.u_yug_admin)
        self.use_contract(self.c_yug)
        row = self.catalog_row(self.mixer.default_code)
        self.assertEqual(texts(row, "o_b2b_vat"), ["+ НДС 20%"])
        prices = [(3, self.base(self.mixer, self.c_yug)), (2, self.base(self.sink, self.c_yug))]
        expected = vat.totals([vat.line(qty, price, 20.0, False) for qty, price in prices])
        self.assertEqual(expected.net, round(sum(round(q * p, 2) for q, p in prices), 2))
        self.assertEqual(round(expected.net + expected.vat, 2), expected.total)
        tree = self.page("/ru_RU/b2b/cart")
        totals = tree.xpath("//div[@id='o_b2b_cart_totals']")[0]
        self.assertEqual(amount(texts(totals, "o_b2b_total_net")[0]), expected.net)
        self.assertEqual(amount(texts(totals, "o_b2b_total_vat")[0]), expected.vat)
        self.assertEqual(amount(texts(totals, "o_b2b_total_amount")[0]), expected.total)
        self.assertIn("Без НДС:", " ".join(totals.itertext()))
        order = self.checkout(self.c_yug, cart_id)
        self.assertEqual((order.amount_untaxed, order.amount_tax, order.amount_total),
                         (expected.net, expected.vat, expected.total))
        self.assertEqual(set(order.order_line.mapped("tax_id.price_include")), {False})
        self.assertEqual(set(order.order_line.mapped("tax_id.amount")), {20.0})
        # the printed quotation of the order carries the VAT
        report = self.env.ref("sale.action_report_saleorder").render_qweb_html(order.ids)[0]
        self.assertIn("НДС 20%", report.decode("utf-8"))

    def test_product_vat_rate_is_used(self):
        with self.saved():
            self.sink.product_tmpl_id.b2b_vat_rate = 10.0
        offer = self.c_alfa._b2b_offers([self.sink.id])[self.sink.id]
        self.assertEqual((offer.vat_rate, offer.vat_included), (10.0, True))
        self.login(self.u_alfa_admin)
        self.use_contract(self.c_alfa)
        self.assertEqual(texts(self.catalog_row(self.sink.default_code), "o_b2b_vat"),
                         ["в т.ч. НДС 10%"])
        order = self.place(self.u_alfa_admin, self.c_alfa, [(self.sink, 2)])
        self.assertEqual(order.amount_tax,
                         vat.line(2, self.base(self.sink, self.c_alfa), 10.0, True).vat)

    def place(self, user, contract, lines):
        self.settle()
        return self.env["sale.order"].browse(self.env["sale.order"].sudo(user).b2b_place_order(
            contract.id, [(product.id, qty) for product, qty in lines]))
