"""A price on request: 1C left the price of a type empty, so the product has no ``b2b.price`` row of
that type (never a price of 0). A dealer buying at that type sees «цена по запросу» wherever a price
would be and cannot put the product in an order by any way; a dealer whose type has the price
orders it as any other product. The RRP is shown, or is «цена по запросу», on its own."""
import html as html_text
import re

from lxml import html

from .test_portal_cart import CartPageCase
from .test_portal_xlsx import XLSX, workbook

ON_REQUEST = "цена по запросу"
# what each way of ordering by SKU says of a product whose price is on request
REFUSED = "цена товара «%s» по запросу: его нельзя заказать на портале, узнайте цену у менеджера"


def digits(text):
    return "".join(ch for ch in text if ch.isdigit())


class TestPriceOnRequest(CartPageCase):

    def setUp(self):
        super(TestPriceOnRequest, self).setUp()
        ref = self.env.ref
        self.t_large = ref("b2b_base.demo_price_type_large")          # «Альфа»'s main contract
        self.t_wholesale = ref("b2b_base.demo_price_type_wholesale")  # «Бета»'s contract
        self.t_rrp = ref("b2b_base.demo_price_type_rrp")
        with self.saved():
            Product = self.env["product.product"]
            Price = self.env["b2b.price"]

            def product(sku, onec_id, prices):
                made = Product.create({"name": "Смеситель %s" % sku, "default_code": sku,
                                       "categ_id": self.mixer.categ_id.id, "sale_ok": True,
                                       "b2b_onec_id": onec_id})
                for price_type, price in prices:
                    Price.create({"product_id": made.id, "price_type_id": price_type.id,
                                  "price": price})
                return made

            # 1C sent the large wholesale price and the RRP, the wholesale price empty
            self.no_wholesale = product("REQ-00001", "req-1", [(self.t_large, 1500.0),
                                                               (self.t_rrp, 2500.0)])
            # the wholesale price, no RRP
            self.no_rrp = product("REQ-00002", "req-2", [(self.t_large, 750.0),
                                                         (self.t_wholesale, 800.0)])
            # every price of the good left empty in 1C
            self.no_price = product("REQ-00003", "req-3", [])

    # ------------------------------------------------------------------ helpers
    def catalog_rows(self, query):
        tree = self.page("/b2b/catalog?q=" + query)
        return {row.get("data-sku"): row
                for row in tree.xpath("//tr[contains(concat(' ', @class, ' '), ' o_b2b_product ')]")}

    @staticmethod
    def cell(row, css_class):
        cell = row.xpath(".//*[contains(concat(' ', @class, ' '), ' %s ')]" % css_class)[0]
        # the price itself, in bold (a price cell also says what the price says of VAT)
        shown = cell.xpath("./strong") or [cell]
        return shown[0].text_content().strip(), "o_b2b_on_request" in cell.get("class")

    @staticmethod
    def can_add(node):
        return bool(node.xpath(".//button[contains(@class, 'o_b2b_add')]"))

    def refusal(self, error):
        self.assertTrue(error, "the product was not refused")
        return error["message"].strip()

    # ------------------------------------------------------------------ what the dealer sees
    def test_catalog_product_page_and_suggestions_show_price_on_request(self):
        self.login(self.u_beta_buyer)                    # wholesale prices, in Russian
        rows = self.catalog_rows("REQ-0000")
        self.assertEqual(sorted(rows), ["REQ-00001", "REQ-00002", "REQ-00003"],
                         "goods without a price of the dealer's type are listed, not hidden")
        row = rows["REQ-00001"]
        self.assertEqual(self.cell(row, "o_b2b_price"), (ON_REQUEST, True))
        self.assertEqual((row.get("data-price"), row.get("data-on-request")), ("", "1"))
        # the RRP is shown on its own: 1C sent it
        rrp, on_request = self.cell(row, "o_b2b_rrp")
        self.assertEqual((digits(rrp), on_request), ("250000", False))
        self.assertFalse(self.can_add(row), "no add-to-cart for a price on request")
        self.assertEqual(row.xpath(".//*[contains(@class, 'o_b2b_on_request_note')]")[0]
                         .text_content().strip(), "Узнайте цену у менеджера.")
        # priced, no RRP: the RRP column says so, the product can be added
        row = rows["REQ-00002"]
        price, on_request = self.cell(row, "o_b2b_price")
        self.assertEqual((digits(price), on_request), ("80000", False))
        self.assertEqual(self.cell(row, "o_b2b_rrp"), (ON_REQUEST, True))
        self.assertTrue(self.can_add(row))
        # nothing priced: both say so, never a price of 0
        row = rows["REQ-00003"]
        self.assertEqual((self.cell(row, "o_b2b_price"), self.cell(row, "o_b2b_rrp")),
                         ((ON_REQUEST, True), (ON_REQUEST, True)))
        self.assertFalse(self.can_add(row))

        # the product page
        page = self.page("/b2b/product/%d" % self.no_wholesale.id)
        product = page.xpath("//*[@id='o_b2b_product_page']")[0]
        self.assertEqual(self.cell(product, "o_b2b_price"), (ON_REQUEST, True))
        self.assertEqual(digits(self.cell(product, "o_b2b_rrp")[0]), "250000")
        self.assertFalse(self.can_add(product))

        # the quick add's suggestions
        result, error = self.rpc("/b2b/suggest", term="REQ-0000")
        self.assertFalse(error)
        found = {item["sku"]: item for item in result}
        self.assertEqual(sorted(found), ["REQ-00001", "REQ-00002", "REQ-00003"])
        self.assertEqual((found["REQ-00001"]["price"], found["REQ-00001"]["price_text"],
                          found["REQ-00001"]["on_request"]), (None, ON_REQUEST, True))
        self.assertEqual((found["REQ-00002"]["price"], found["REQ-00002"]["on_request"]),
                         (800.0, False))

        # «Альфа»'s main contract buys at the large wholesale price, which 1C sent
        self.login(self.u_alfa_buyer)
        self.use_contract(self.c_alfa)
        row = self.catalog_rows("REQ-00001")["REQ-00001"]
        price, on_request = self.cell(row, "o_b2b_price")
        self.assertEqual((digits(price), on_request, row.get("data-price")),
                         ("150000", False, "1500.00"))
        self.assertTrue(self.can_add(row))

    # ------------------------------------------------------------------ every way of adding
    def test_every_way_of_adding_refuses_it_and_names_it(self):
        cart_id = self.cart_id(self.u_beta_buyer, self.c_beta, [(self.mixer, 1)])
        self.login(self.u_beta_buyer)
        sku = self.no_wholesale.default_code

        # the catalog's add button (the page does not show it; a forged call)
        result, error = self.rpc("/b2b/cart/add", product_id=self.no_wholesale.id, qty=1)
        self.assertEqual(self.refusal(error), "Строка 1, артикул REQ-00001: цена по запросу: "
                                              "товар нельзя заказать на портале, узнайте цену у "
                                              "менеджера")
        # quick add by SKU (typed in another letter case) and by a picked suggestion
        result, error = self.rpc("/b2b/cart/quick_add", sku=" req-00001 ", qty="2")
        self.assertEqual(self.refusal(error), REFUSED % sku)
        result, error = self.rpc("/b2b/cart/quick_add", product_id=self.no_price.id, qty=1)
        self.assertEqual(self.refusal(error), REFUSED % "REQ-00003")
        # a pasted list: named by its line; the list is taken whole or not at all, as always
        result, error = self.rpc("/b2b/cart/paste", text="MIX-00001\t2\nREQ-00001 3\nREQ-00002 4")
        self.assertEqual(self.refusal(error).split("\n"), ["Строка 2: " + REFUSED % sku])
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 1})

        # an xlsx file: that row refused by its number and column, the other rows taken
        answer = self.post("/b2b/cart/upload", files={"order_file": ("заказ.xlsx", workbook(
            ("MIX-00001", 2), ("REQ-00001", 3), ("REQ-00002", 4)), XLSX)},
            allow_redirects=False, csrf_from="/b2b/cart/upload")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        upload_id = int(re.search(r"/b2b/cart/upload/(\d+)$", answer.headers["Location"]).group(1))
        tree = self.page("/b2b/cart/upload/%d" % upload_id)
        refused = [(row.get("data-row"), row.get("data-sku"), row.get("data-code"),
                    row.xpath("./td[contains(@class, 'o_b2b_problem')]/text()")[0])
                   for row in tree.xpath("//tr[contains(@class, 'o_b2b_rejected_row')]")]
        self.assertEqual(refused, [("3", sku, "not_allowed", REFUSED % sku)])
        self.assertEqual(sorted(row.get("data-sku") for row in
                                tree.xpath("//tr[contains(@class, 'o_b2b_matched_line')]")),
                         ["MIX-00001", "REQ-00002"])
        answer = self.post("/b2b/cart/upload/%d/confirm" % upload_id, allow_redirects=False,
                           csrf_from="/b2b/cart/upload")
        self.assertEqual(answer.status_code, 303)
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 3, self.no_rrp: 4})

        # editing an order: adding it by SKU is refused, the order stays as it was
        with self.saved():
            order = self.env["sale.order"].browse(self.env["sale.order"].sudo(
                self.u_beta_buyer).b2b_place_order(self.c_beta.id, [(self.mixer.id, 3)]))
        answer = self.post("/b2b/orders/%d/edit" % order.id, {
            "product_id": [str(self.mixer.id)], "qty": ["3"], "remove": [],
            "new_sku": [sku], "new_qty": ["2"]}, allow_redirects=False, csrf_from="/b2b/orders")
        self.assertEqual(answer.status_code, 200)
        error = html_text.unescape(re.search(r'class="alert alert-danger o_b2b_error">(.*?)</div>',
                                             answer.text, re.S).group(1)).strip()
        self.assertEqual(error, "Строка 2, артикул REQ-00001: цена по запросу: товар нельзя "
                                "заказать на портале, узнайте цену у менеджера")
        order.invalidate_cache()
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.order_line],
                         [(self.mixer, 3.0)])

    def test_a_dealer_whose_price_type_has_the_price_orders_it(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa)
        self.login(self.u_alfa_buyer)
        self.use_contract(self.c_alfa)
        result, error = self.rpc("/b2b/cart/add", product_id=self.no_wholesale.id, qty=2)
        self.assertFalse(error)
        result, error = self.rpc("/b2b/cart/quick_add", sku="REQ-00001", qty=1)
        self.assertFalse(error)
        self.assertEqual(self.lines_of(cart_id), {self.no_wholesale: 3})
        before = self.orders_of(self.c_alfa)
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id}, allow_redirects=False,
                           csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        order = self.orders_of(self.c_alfa) - before
        self.assertEqual([(line.product_id, line.product_uom_qty, line.price_unit)
                          for line in order.order_line], [(self.no_wholesale, 3.0, 1500.0)])

    # ------------------------------------------------------------------ a price that went away
    def test_a_carted_product_whose_price_went_away_is_refused_at_checkout(self):
        cart_id = self.cart_id(self.u_beta_buyer, self.c_beta, [(self.mixer, 2), (self.no_rrp, 4)])
        with self.saved():
            # the next exchange brings the wholesale price of REQ-00002 empty: 1C's reader
            # removes the price
            self.env["b2b.price"].search([("product_id", "=", self.no_rrp.id),
                                          ("price_type_id", "=", self.t_wholesale.id)]).unlink()
        self.login(self.u_beta_buyer)
        rows = self.rows(self.page("/b2b/cart"))
        row = rows[self.no_rrp.id]
        self.assertEqual(self.cell(row, "o_b2b_price"), (ON_REQUEST, True))
        self.assertEqual(row.get("data-problem"), "no_price")
        message = "Строка 2, артикул REQ-00002: цена по запросу: товар нельзя заказать на " \
                  "портале, узнайте цену у менеджера"
        self.assertEqual(row.xpath(".//*[contains(@class, 'o_b2b_problem')]/text()"), [message])
        self.assertEqual(rows[self.mixer.id].get("data-problem"), "none")

        before = self.orders_of(self.c_beta)
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id}, allow_redirects=False,
                           csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 200)
        shown = html.fromstring(answer.text).xpath("//div[contains(@class, 'o_b2b_error')]/text()")
        self.assertEqual(shown[0].strip(), message)
        # nothing ordered, nothing of the cart lost
        self.assertEqual(self.orders_of(self.c_beta), before)
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 2, self.no_rrp: 4})

        # the dealer takes the line out and orders the rest
        result, error = self.rpc("/b2b/cart/update", cart_id=cart_id, lines=[[self.no_rrp.id, 0]])
        self.assertFalse(error)
        answer = self.post("/b2b/cart/checkout", {"cart_id": cart_id}, allow_redirects=False,
                           csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        order = self.orders_of(self.c_beta) - before
        self.assertEqual([(line.product_id, line.product_uom_qty) for line in order.order_line],
                         [(self.mixer, 2.0)])
