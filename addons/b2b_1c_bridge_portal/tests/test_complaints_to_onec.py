"""A complaint a dealer files in the portal goes to 1C as a request (b2b_1c_bridge's
doc/exchange_contract.rst, *Requests to 1C and the 1C web service*): without the web service,
1C collects it through the exchange (``type=b2b&mode=query``) as a ``Рекламация`` with the
dealer, the contract, the order, the product, the quantity, the defect and the resolution
wanted, and confirms it took it (``mode=success``)."""
from odoo.addons.b2b_1c_bridge.tests.common import NS, ExchangeCase

DEALER = "c0a1b2c3-0018-4000-8000-000000000001"
CONTRACT = "c0a1b2c3-0018-4000-8000-000000000002"
PRODUCT = "c0a1b2c3-0018-4000-8000-000000000003"


class TestComplaintsToOnec(ExchangeCase):

    def setUp(self):
        super().setUp()
        env = self.xenv
        ref = env.ref
        self.buyer = ref("b2b_base.demo_user_alfa_buyer")
        self.contract = ref("b2b_base.demo_contract_alfa_main")
        self.mixer = env["product.product"].search([("default_code", "=", "MIX-00001")])
        self.contract.b2b_onec_id = CONTRACT
        self.contract.partner_id.b2b_onec_id = DEALER
        self.mixer.product_tmpl_id.b2b_onec_id = PRODUCT
        order_id = env["sale.order"].sudo(self.buyer).b2b_place_order(
            self.contract.id, [(self.mixer.id, 4)])
        self.order = env["sale.order"].browse(order_id)
        self.order.action_confirm()
        self.commit()

    def file(self, form, line=None):
        answer = self.xenv["b2b.complaint"].sudo(self.buyer).with_context(
            lang="en_US").b2b_file_complaint(form, [], self.contract.id, line and line.id)
        self.commit()
        return answer

    def requests_of(self, complaint):
        return self.xenv["b2b.onec.request"].search([
            ("res_model", "=", "b2b.complaint"), ("res_id", "=", complaint.id)])

    def test_onec_collects_a_filed_complaint_through_the_exchange(self):
        line = self.order.order_line
        answer = self.file({"qty": "2", "description": "Трещина <корпуса>",
                            "resolution": "replace"}, line)
        complaint = self.xenv["b2b.complaint"].browse(answer["complaint_id"])
        [request] = self.requests_of(complaint)
        self.assertEqual((request.kind, request.state), ("complaint", "queued"))

        client = self.connected("b2b")
        items = self.queried_requests(client)
        self.assertIn(request.guid, items)
        item = items[request.guid]
        self.assertEqual(item.findtext(NS + "Вид"), "Рекламация")
        body = item.find(NS + "Рекламация")
        self.assertEqual(body.findtext(NS + "Номер"), complaint.name)
        self.assertEqual(body.findtext(NS + "Контрагент/" + NS + "Ид"), DEALER)
        self.assertEqual((body.findtext(NS + "Договор/" + NS + "Ид"),
                          body.findtext(NS + "Договор/" + NS + "Номер")),
                         (CONTRACT, self.contract.name))
        self.assertEqual(body.findtext(NS + "Заказ/" + NS + "Номер"),
                         self.order.b2b_onec_number or self.order.name)
        self.assertEqual((body.findtext(NS + "Товар/" + NS + "Ид"),
                          body.findtext(NS + "Товар/" + NS + "Артикул"),
                          body.findtext(NS + "Товар/" + NS + "Количество")),
                         (PRODUCT, "MIX-00001", "2"))
        self.assertEqual(body.findtext(NS + "Дефект"), "Трещина <корпуса>")
        self.assertEqual(body.findtext(NS + "ЖелаемоеРешение"), "replace")

        self.assertEqual(client.call("b2b", "success").verdict, "success")
        request.invalidate_cache()
        self.assertEqual((request.state, request.transport), ("sent", "exchange"))
        self.assertNotIn(request.guid, self.queried_requests(self.connected("b2b")),
                         "collected once")

    def test_a_standalone_complaint_goes_without_an_order_and_a_refused_one_not_at_all(self):
        before = self.xenv["b2b.onec.request"].search_count([("kind", "=", "complaint")])
        refused = self.file({"sku": "NOPE-1", "qty": "1", "description": "x",
                             "resolution": "refund"})
        self.assertTrue(refused.get("problems"))
        self.assertEqual(
            self.xenv["b2b.onec.request"].search_count([("kind", "=", "complaint")]), before)
        answer = self.file({"sku": "MIX-00001", "qty": "1", "description": "Не тот цвет",
                            "resolution": "discount"})
        complaint = self.xenv["b2b.complaint"].browse(answer["complaint_id"])
        [request] = self.requests_of(complaint)
        item = self.queried_requests(self.connected("b2b"))[request.guid]
        body = item.find(NS + "Рекламация")
        self.assertIsNone(body.find(NS + "Заказ"))
        self.assertEqual(body.findtext(NS + "ЖелаемоеРешение"), "discount")
