"""Stock shown to dealers when the supplier turns it on: the total in the catalog, each
warehouse on the product page («актуальные остатки на складах»), in the warehouses' order and
the dealer's language; nothing of it while the setting is off."""
import lxml.html

import odoo.http
from odoo.exceptions import AccessError

from .common import PortalHttpCase


def texts(doc, xpath):
    return [" ".join(node.text_content().split()) for node in doc.xpath(xpath)]


class TestPortalStock(PortalHttpCase):

    def setUp(self):
        super(TestPortalStock, self).setUp()
        Warehouse = self.env["b2b.warehouse"]
        with self.saved():
            ekb = Warehouse.create({"name": "Екатеринбург", "sequence": 20,
                                    "b2b_onec_id": "s-ekb"})
            msk = Warehouse.create({"name": "Москва", "sequence": 10, "b2b_onec_id": "s-msk"})
            closed = Warehouse.create({"name": "Закрытый", "active": False})
            Stock = self.env["b2b.product.stock"]
            for warehouse, quantity in ((ekb, 1250.5), (msk, 0), (closed, 3)):
                Stock.create({"product_id": self.mixer.id, "warehouse_id": warehouse.id,
                              "quantity": quantity})
            Stock.create({"product_id": self.by_six.id, "quantity": 42})

    def show(self, on):
        with self.saved():
            self.env["res.config.settings"].create({"b2b_show_stock_qty": on}).execute()

    def page(self, path):
        answer = self.get(path)
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        return lxml.html.fromstring(answer.text)

    def catalog_totals(self, query):
        doc = self.page("/b2b/catalog?" + query)
        return {row.get("data-sku"): texts(row, ".//*[contains(@class, 'o_b2b_stock_total')]")
                for row in doc.xpath("//tr[contains(@class, 'o_b2b_product')]")}

    def test_stock_per_warehouse_on_the_product_page_and_the_total_in_the_catalog(self):
        self.assertEqual(self.u_alfa_buyer.lang, "ru_RU")
        self.login(self.u_alfa_buyer)
        doc = self.page("/b2b/product/%d" % self.mixer.id)
        self.assertFalse(doc.xpath("//*[@id='o_b2b_stock']"), "not shown while the setting is off")
        self.assertEqual(self.catalog_totals("q=MIX-00001"), {"MIX-00001": []})

        self.show(True)
        doc = self.page("/b2b/product/%d" % self.mixer.id)
        self.assertEqual(texts(doc, "//*[@id='o_b2b_stock']//h4"),
                         ["Актуальные остатки на складах"])
        self.assertIn("1 250,5", texts(doc, "//*[@id='o_b2b_stock']//tr")[1])

        # the same dealer working in English (a new context dict: see CartPageCase.login)
        self.session.context = dict(self.session.context, lang="en_US")
        odoo.http.root.session_store.save(self.session)
        doc = self.page("/b2b/product/%d" % self.mixer.id)
        unit = self.mixer.uom_id.name
        self.assertEqual(texts(doc, "//*[@id='o_b2b_stock']//h4"), ["Current stock in warehouses"])
        self.assertEqual(
            [(texts(row, "./th")[0], texts(row, "./td")[0]) for row in
             doc.xpath("//*[@id='o_b2b_stock']//tr")],
            [("Москва", "0 %s" % unit), ("Екатеринбург", "1,250.5 %s" % unit),
             ("Total", "1,253.5 %s" % unit)],
            "in the warehouses' order; an archived warehouse counts in the total only")
        self.assertEqual(self.catalog_totals("q=MIX-00001"), {"MIX-00001": ["1,253.5 %s" % unit]})
        self.assertEqual(self.catalog_totals("q=ACC-00002"),
                         {"ACC-00002": ["42 %s" % self.by_six.uom_id.name]},
                         "1C gave only the total: no warehouse, the total")
        self.assertEqual(self.catalog_totals("q=MIX-00002"), {"MIX-00002": []},
                         "no stock from 1C: nothing shown")
        doc = self.page("/b2b/product/%d" % self.by_six.id)
        self.assertEqual(texts(doc, "//*[@id='o_b2b_stock']//tr"),
                         ["Total 42 %s" % self.by_six.uom_id.name])

    def test_a_dealer_reads_stock_of_the_goods_it_sees_and_writes_none(self):
        Stock = self.env["b2b.product.stock"].sudo(self.u_alfa_buyer)
        self.assertEqual(len(Stock.search([("product_id", "=", self.mixer.id)])), 3)
        self.assertTrue(self.env["b2b.warehouse"].sudo(self.u_alfa_buyer).search([]))
        with self.saved():
            self.env["b2b.product.stock"].create({"product_id": self.exclusive.id, "quantity": 5})
        self.assertFalse(self.env["b2b.product.stock"].sudo(self.u_beta_buyer).search(
            [("product_id", "=", self.exclusive.id)]), "goods made for another dealer")
        with self.assertRaises(AccessError):
            Stock.browse(Stock.search([], limit=1).id).write({"quantity": 1})
