from lxml import etree

from .common import ExchangeCase

NS = "{urn:1C.ru:commerceml_2}"


class TestExchangeOrders(ExchangeCase):

    def test_sale_query_returns_an_empty_commerceml_orders_document(self):
        client = self.client()
        query = client.orders_exchange()
        self.assertEqual(query.status, 200)
        self.assertTrue(query.headers["Content-Type"].startswith("application/xml"))
        root = etree.fromstring(query.content,
                                etree.XMLParser(resolve_entities=False, no_network=True))
        self.assertEqual(root.tag, NS + "КоммерческаяИнформация")
        self.assertEqual(root.get("ВерсияСхемы"), "2.08")
        self.assertRegex(root.get("ДатаФормирования"), r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$")
        self.assertEqual(root.findall(NS + "Документ"), [])
        self.assertEqual([a.mode for a in client.answers], ["checkauth", "init", "query", "success"])
        self.assertEqual(client.answers[-1].text, "success\n")
        session = self.sessions()
        self.assertEqual(session.exchange_type, "sale")
        self.assertIn("query: orders document sent with 0 orders", session.log)
        self.assertIn("success: 1C confirmed receipt", session.log)
