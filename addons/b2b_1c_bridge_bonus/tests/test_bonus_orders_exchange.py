"""A dealer's bonus order goes to 1C through the orders exchange marked as a bonus order, and 1C's
statuses spend or release its points (over real HTTP with the 1C stand-in)."""
from lxml import etree

from odoo.addons.b2b_1c_bridge.lib import orders as cml
from odoo.addons.b2b_1c_bridge.tests.orders_common import NS, OrdersCase

CANCELLED = ("<ЗначениеРеквизита><Наименование>Отменен</Наименование><Значение>true</Значение>"
             "</ЗначениеРеквизита></ЗначенияРеквизитов>")


class TestBonusOrdersExchange(OrdersCase):

    def setUp(self):
        super().setUp()
        self.mug = self.xenv["product.product"].create({
            "name": "Кружка с логотипом", "type": "consu", "list_price": 0.0,
            "b2b_bonus_only": True, "b2b_bonus_price": 150.0,
            "b2b_onec_id": "00000000-test-0000-0000-0000000000b1"})
        Balance = self.xenv["b2b.bonus.balance"]
        balance = Balance.search([("partner_id", "=", self.alfa.id)])
        values = {"points": 1000.0, "balance_date": "2024-05-01"}
        if balance:
            balance.write(values)
        else:
            Balance.create(dict(values, partner_id=self.alfa.id))
        self.commit()

    def place_bonus(self, qty):
        order_id = self.xenv["sale.order"].sudo(self.buyer).b2b_place_bonus_order(
            self.c_alfa.id, [(self.mug.id, qty)])
        self.commit()
        return self.xenv["sale.order"].browse(order_id)

    def summary(self):
        self.xenv["b2b.bonus.balance"].invalidate_cache()
        return self.xenv["b2b.bonus.balance"].sudo(self.buyer).b2b_dealer_summary()

    def onec_answers(self, order, status, qty, cancelled=False):
        data = self.orders_xml(self.document(
            order.b2b_onec_guid, order.name, self.c_alfa.b2b_onec_id, self.alfa.b2b_onec_id,
            status, [("00000000-test-0000-0000-0000000000b1", qty, 0, 0)]))
        if cancelled:
            data = data.replace("</ЗначенияРеквизитов>".encode(), CANCELLED.encode())
        self.client().exchange([("orders.xml", data)], exchange_type="sale")
        self.xenv["sale.order"].invalidate_cache()

    def test_bonus_order_goes_to_1c_marked_and_1c_confirms_it(self):
        order = self.place_bonus(2)
        content = self.client().orders_exchange().content
        root = etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True))
        for version in cml.SCHEMA_VERSIONS:
            schema = cml.schema(version)
            self.assertTrue(schema.validate(root), [str(error) for error in schema.error_log])
        doc = self.documents(content)[order.name]
        self.assertEqual(self.requisites(doc)["Оплата бонусами"], "true")
        self.assertEqual(doc.findtext(NS + "Сумма"), "0.00", "1C is not asked for money")
        self.refresh()
        self.assertEqual(self.summary(), {"stated": 1000.0, "stated_date": "2024-05-01",
                                          "reserved": 300.0, "available": 700.0})
        self.onec_answers(order, "Согласован", 2)
        self.assertEqual(order.state, "sale")
        self.assertEqual((order.b2b_bonus_points_reserved, order.b2b_bonus_points_spent),
                         (0.0, 300.0))
        self.assertEqual(self.summary(), {"stated": 1000.0, "stated_date": "2024-05-01",
                                          "reserved": 0.0, "available": 700.0})
        moves = self.xenv["b2b.bonus.move"].search([("order_id", "=", order.id)], order="id")
        self.assertEqual(moves.mapped("kind"), ["reserve", "spend"])

    def test_1c_cancelling_a_bonus_order_releases_its_points(self):
        order = self.place_bonus(3)
        self.client().orders_exchange()
        self.refresh()
        self.assertEqual(self.summary()["available"], 550.0)
        self.onec_answers(order, "Не согласован", 3, cancelled=True)
        self.assertEqual(order.state, "cancel")
        self.assertEqual(order.b2b_bonus_points_reserved, 0.0)
        self.assertEqual(self.summary(), {"stated": 1000.0, "stated_date": "2024-05-01",
                                          "reserved": 0.0, "available": 1000.0})
        moves = self.xenv["b2b.bonus.move"].search([("order_id", "=", order.id)], order="id")
        self.assertEqual([(m.kind, m.points) for m in moves], [("reserve", 450.0), ("release", 450.0)])
