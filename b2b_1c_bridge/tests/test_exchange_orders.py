from lxml import etree

from odoo import fields
from odoo.tests.common import TransactionCase
from odoo.tools import convert_file

from ..lib import orders as cml
from .common import ExchangeCase

NS = "{urn:1C.ru:commerceml_2}"


class TestExchangeOrders(ExchangeCase):

    def test_sale_query_returns_an_empty_commerceml_orders_document(self):
        # the orders the database already holds (demo history) are the ones 1C has: none waits
        Order = self.xenv["sale.order"]
        Order._b2b_onec_mark_delivered(
            {order.id: digest for order, _value, digest in Order._b2b_onec_pending()},
            fields.Datetime.now())
        self.commit()
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


class TestDefaultStatusMap(TransactionCase):
    """The map of 1C's order statuses the addon ships (``data/onec_order_data.xml``): the
    statuses 1C's configurations and their site exchange module send out of the box, installed
    once and then the supplier's to change."""

    def statuses(self, name):
        key = cml.status_key(name)
        return self.env["b2b.onec.order.status"].search([]).filtered(
            lambda status: cml.status_key(status.name) == key)

    def test_the_map_is_installed_and_an_upgrade_keeps_the_suppliers_own_entries(self):
        shipped = cml.default_statuses()
        self.assertIn(("[F] Выполнен", "done"), [(s.name, s.state) for s in shipped])
        for default in shipped:
            status = self.env.ref("b2b_1c_bridge." + default.xmlid)
            self.assertEqual((status.name, status.state), (default.name, default.state))
        self.assertEqual(self.env["sale.order"]._b2b_onec_status_map()["к выполнению / в резерве"],
                         "sale")
        # a supplier who entered «[F] Выполнен» by hand (and mapped it otherwise) before the map
        # shipped it, and changed «Оплачен»: an upgrade keeps both and adds no second entry
        self.env.ref("b2b_1c_bridge.onec_status_fulfilled_site").unlink()
        own = self.env["b2b.onec.order.status"].create({"name": "[f]  выполнен", "state": "sale"})
        self.env.ref("b2b_1c_bridge.onec_status_paid").state = "done"
        convert_file(self.cr, "b2b_1c_bridge", "data/onec_order_data.xml", {}, "update", False,
                     "data")
        self.assertEqual(self.statuses("[F] Выполнен"), own)
        self.assertEqual(own.state, "sale")
        self.assertEqual(self.env.ref("b2b_1c_bridge.onec_status_fulfilled_site"), own)
        self.assertEqual(self.statuses("Оплачен").state, "done")
        self.assertEqual(len(self.env["b2b.onec.order.status"].search([])), len(shipped))
