"""One SKU look-up for every way a dealer orders by SKU: quick add, pasted list, xlsx upload and
order edit find a SKU whatever its letter case (Cyrillic letters too) and surrounding spaces."""
import re

from .common import PortalCase
from .test_portal_cart import CartPageCase
from .test_portal_xlsx import XLSX, workbook


class TestFindBySku(PortalCase):
    """``product.product._b2b_find_by_sku`` itself."""

    @classmethod
    def setUpClass(cls):
        super(TestFindBySku, cls).setUpClass()
        Product = cls.env["product.product"]
        cls.Product = Product
        cls.fir = Product.create({"name": "Ёлка настольная", "default_code": "ЁЛКА-Ж01"})
        cls.lower_first = Product.create({"name": "Кран (первый)", "default_code": "Dup-ab-1"})
        cls.upper_second = Product.create({"name": "Кран (второй)", "default_code": "DUP-AB-1"})

    def find(self, *skus):
        return self.Product._b2b_find_by_sku(list(skus))

    def test_letter_case_and_surrounding_spaces_do_not_matter(self):
        typed = ["MIX-00001", "mix-00001", "  Mix-00001\t", "\u00a0mIX-00001 "]
        self.assertEqual(self.find(*typed), {sku: self.mixer.id for sku in typed})

    def test_cyrillic_letters_are_found_in_either_case(self):
        self.assertEqual(self.find(" ёлка-ж01 ", "Ёлка-ж01"),
                         {" ёлка-ж01 ": self.fir.id, "Ёлка-ж01": self.fir.id})
        self.fir.default_code = " ёлка-ж01 "     # stored in lower case, with spaces
        self.assertEqual(self.find("ЁЛКА-Ж01"), {"ЁЛКА-Ж01": self.fir.id})

    def test_unknown_and_empty_skus_are_left_out(self):
        self.assertEqual(self.find("NOPE-404", "", "   ", None, "mix-00001"),
                         {"mix-00001": self.mixer.id})
        self.assertEqual(self.find(), {})
        self.assertEqual(self.find("mix-0000"), {}, "a SKU is not found by a part of it")

    def test_archived_and_unsaleable_goods_are_not_found(self):
        self.fir.active = False
        self.sink.product_tmpl_id.active = False
        self.mixer.product_tmpl_id.sale_ok = False
        self.assertEqual(self.find("ёлка-ж01", "snk-00001", "mix-00001"), {})

    def test_skus_differing_only_in_letter_case(self):
        self.assertLess(self.lower_first.id, self.upper_second.id)
        # the product stored exactly as typed (spaces aside) wins
        self.assertEqual(self.find("DUP-AB-1", " Dup-ab-1 "),
                         {"DUP-AB-1": self.upper_second.id, " Dup-ab-1 ": self.lower_first.id})
        # typed in neither product's case: the first created, every time
        self.assertEqual(self.find("dup-ab-1", "DUP-ab-1"),
                         {"dup-ab-1": self.lower_first.id, "DUP-ab-1": self.lower_first.id})

    def test_thousands_of_skus_in_one_query(self):
        codes = self.Product.search([("default_code", "!=", False),
                                     ("sale_ok", "=", True)]).mapped("default_code")
        self.assertGreater(len(codes), 100)
        typed = {" %s " % code.lower() for code in codes}
        before = self.cr.sql_log_count
        found = self.find(*(sorted(typed) + ["NOPE-%05d" % n for n in range(3000)]))
        self.assertEqual(self.cr.sql_log_count - before, 1)
        self.assertEqual(set(found), typed)


class TestSkuTypedInLowerCase(CartPageCase):
    """The same SKUs typed in lower case with spaces around them in each of the four ways a
    dealer's browser orders by SKU: each puts the product into the cart or the order. Besides a
    demo SKU, one with Cyrillic letters (a supplier's own code)."""

    def setUp(self):
        super(TestSkuTypedInLowerCase, self).setUp()
        with self.saved():
            self.fir = self.env["product.product"].create({
                "name": "Ёлка настольная", "default_code": "ЁЛКА-Ж01"})
            self.env["b2b.price"].create({"product_id": self.fir.id, "price": 990.0,
                                          "price_type_id": self.c_beta.price_type_id.id})
            self.cart = self.cart_id(self.u_beta_buyer, self.c_beta, [])
        self.login(self.u_beta_buyer, lang="en_US")

    def test_quick_add(self):
        answer, error = self.rpc("/b2b/cart/quick_add", sku="  mix-00001 ", qty="2")
        self.assertFalse(error)
        self.assertEqual(answer["added"]["sku"], "MIX-00001")
        answer, error = self.rpc("/b2b/cart/quick_add", sku=" ёлка-ж01 ", qty="1")
        self.assertFalse(error)
        self.assertEqual(answer["added"]["sku"], "ЁЛКА-Ж01")
        self.assertEqual(self.lines_of(self.cart), {self.mixer: 2, self.fir: 1})

    def test_pasted_list(self):
        answer, error = self.rpc("/b2b/cart/paste", text="  mix-00001\t3 \n ёлка-ж01;2\nMIX-00001 1")
        self.assertFalse(error)
        self.assertEqual(answer["added"], 2)
        self.assertEqual(self.lines_of(self.cart), {self.mixer: 4, self.fir: 2})

    def test_xlsx_upload(self):
        answer = self.post("/b2b/cart/upload", files={"order_file": (
            "заказ.xlsx", workbook(("  mix-00001 ", 5), (" ёлка-ж01", 1)), XLSX)},
            allow_redirects=False, csrf_from="/b2b/cart/upload")
        self.assertEqual(answer.status_code, 303, answer.text[:800])
        upload_id = int(re.search(r"/b2b/cart/upload/(\d+)$", answer.headers["Location"]).group(1))
        tree = self.page("/b2b/cart/upload/%d" % upload_id)
        self.assertFalse(tree.xpath("//tr[contains(@class, 'o_b2b_rejected_row')]"))
        answer = self.post("/b2b/cart/upload/%d/confirm" % upload_id, allow_redirects=False,
                           csrf_from="/b2b/cart/upload")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        self.assertEqual(self.lines_of(self.cart), {self.mixer: 5, self.fir: 1})

    def test_order_edit(self):
        with self.saved():
            order_id = self.env["sale.order"].sudo(self.u_beta_buyer).b2b_place_order(
                self.c_beta.id, [(self.min_two.id, 2)])
        order = self.env["sale.order"].browse(order_id)
        data = {"product_id": [str(self.min_two.id)], "qty": ["2"],
                "new_sku": ["  mix-00001 ", " ёлка-ж01 "], "new_qty": ["3", "1"]}
        answer = self.post("/b2b/orders/%d/edit" % order.id, data, allow_redirects=False,
                           csrf_from="/b2b/orders")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        self.settle()
        order.invalidate_cache()
        self.assertEqual({line.product_id: line.product_uom_qty for line in order.order_line},
                         {self.min_two: 2, self.mixer: 3, self.fir: 1})
