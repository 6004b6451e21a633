import socket

from odoo.addons.queue_job.job import Job

from odoo.addons.b2b_base.tools import checkout

from .orders_common import NS, OrdersCase

PDF = b"%PDF-1.4\n% act from 1C\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TestSoapRequests(OrdersCase):

    def setUp(self):
        super().setUp()
        self.server = checkout.load_standin("onec_soap").OnecSoapServer(
            login="portal", password="ws-Secret",
            wsdl_path=checkout.addon_path("b2b_1c_bridge", "static", "wsdl", "b2b_portal_1c.wsdl")).start()
        self.addCleanup(self.server.stop)

    def configure(self, url=None, attempts=3):
        self.set_param("ws_wsdl_url", url or self.server.wsdl_url)
        self.set_param("ws_login", "portal")
        self.set_param("ws_password", "ws-Secret")
        self.set_param("ws_timeout", 5)
        self.set_param("ws_attempts", attempts)

    def act_request(self):
        act = self.xenv["b2b.reconciliation.request"].create({
            "contract_id": self.c_alfa.id, "date_from": "2024-01-01", "date_to": "2024-03-31"})
        request = self.xenv["b2b.onec.request"].search([("res_model", "=", act._name),
                                                        ("res_id", "=", act.id)])
        self.assertEqual(len(request), 1)
        self.assertEqual(request.kind, "act")
        self.commit()
        return act, request

    def run_job(self, request):
        self.assertTrue(request.job_uuid, "a queue job was scheduled")
        Job.load(self.xenv, request.job_uuid).perform()
        self.xenv["b2b.onec.request"].invalidate_cache()

    def test_act_request_through_the_web_service(self):
        self.configure()
        act, request = self.act_request()
        self.assertEqual(request.state, "queued")
        self.run_job(request)
        self.assertEqual(request.state, "sent")
        self.assertEqual(request.transport, "soap")
        self.assertEqual(act.state, "sent")
        operation, values = self.server.received[-1]
        self.assertEqual(operation, "RequestReconciliationAct")
        self.assertEqual(values["ContractId"], self.c_alfa.b2b_onec_id)
        self.assertEqual(values["CounterpartyId"], self.alfa.b2b_onec_id)
        self.assertEqual((values["DateFrom"], values["DateTo"]), ("2024-01-01", "2024-03-31"))
        self.assertEqual(values["RequestNumber"], act.name)
        # 1C answers with the act itself: it reaches the dealer's request
        self.server.act_pdf = PDF
        act2, request2 = self.act_request()
        self.run_job(request2)
        self.assertEqual(request2.state, "done")
        self.assertEqual(act2.state, "done")
        final = act2.document_ids.filtered(lambda d: not d.preliminary)
        self.assertEqual(final.number, self.server.act_number)
        self.assertEqual(final.b2b_onec_id, "act-" + request2.guid)

    def test_without_web_service_requests_wait_for_the_exchange(self):
        act, request = self.act_request()
        self.assertFalse(request.job_uuid)
        self.assertEqual(request.state, "queued")
        client = self.connected("b2b")
        items = self.queried_requests(client)
        self.assertIn(request.guid, items)
        item = items[request.guid]
        self.assertEqual(item.findtext(NS + "Вид"), "АктСверки")
        body = item.find(NS + "АктСверки")
        self.assertEqual(body.findtext(NS + "Номер"), act.name)
        self.assertEqual(body.findtext(NS + "Договор/" + NS + "Ид"), self.c_alfa.b2b_onec_id)
        self.assertEqual(body.findtext(NS + "КонецПериода"), "2024-03-31")
        self.xenv["b2b.onec.request"].invalidate_cache()
        self.assertEqual(request.state, "queued", "taken only once 1C confirms")
        self.assertEqual(client.call("b2b", "success").verdict, "success")
        self.xenv["b2b.onec.request"].invalidate_cache()
        self.xenv["b2b.reconciliation.request"].invalidate_cache()
        self.assertEqual(request.state, "sent")
        self.assertEqual(request.transport, "exchange")
        self.assertEqual(act.state, "sent")
        self.assertNotIn(request.guid, self.queried_requests(self.connected("b2b")))
        self.assertEqual(self.server.received, [])

    def test_fault_or_unreachable_service_keeps_the_request_waiting(self):
        self.configure(attempts=2)
        self.server.fault = "Договор не найден"
        act, request = self.act_request()
        first_job = request.job_uuid
        self.run_job(request)
        self.assertEqual(request.state, "queued")
        self.assertEqual(request.attempts, 1)
        self.assertIn("Договор не найден", request.error)
        self.assertEqual(request.job_uuid, first_job, "a refusal is not tried again by itself")
        self.assertEqual(act.state, "queued")
        # the service cannot be reached: tried again later, then left for the exchange
        self.configure(url="http://127.0.0.1:%d/ws?wsdl" % closed_port(), attempts=2)
        request.write({"attempts": 0})
        request.action_retry()
        retried = request.job_uuid
        self.assertNotEqual(retried, first_job)
        self.run_job(request)
        self.assertEqual(request.attempts, 1)
        self.assertIn("cannot be reached", request.error)
        second = request.job_uuid
        self.assertNotEqual(second, retried, "the next attempt is scheduled")
        stored = self.xenv["queue.job"].search([("uuid", "=", second)])
        self.assertTrue(stored.eta, "after a pause")
        self.run_job(request)
        self.assertEqual(request.attempts, 2)
        self.assertEqual(request.job_uuid, second, "no attempt after the last one")
        self.assertEqual(request.state, "queued")
        self.commit()
        client = self.connected("b2b")
        self.assertIn(request.guid, self.queried_requests(client))
        client.call("b2b", "success")
        self.xenv["b2b.onec.request"].invalidate_cache()
        self.assertEqual(request.state, "sent")

    def test_availability_of_an_order_checked_in_onec(self):
        self.configure()
        p1, p2, _p3 = self.products
        order = self.place([(p1, 3), (p2, 1)])
        self.server.available = {self.onec_id(p1): 1}
        self.server.expected_dates = {self.onec_id(p1): "2024-06-01"}
        lines = order.b2b_onec_check_availability()
        self.assertEqual([(l["product_id"], l["requested"], l["available"]) for l in lines],
                         [(self.onec_id(p1), 3.0, 1.0), (self.onec_id(p2), 1.0, 1.0)])
        self.assertEqual(lines[0]["date"], "2024-06-01")
        self.assertIn("%s: 1 / 3 (2024-06-01)" % p1.default_code, order.b2b_onec_availability)
        operation, values = self.server.received[-1]
        self.assertEqual(operation, "CheckAvailability")
        self.assertEqual(values["OrderNumber"], order.name)
        request = self.xenv["b2b.onec.request"].search([("res_model", "=", "sale.order"),
                                                        ("res_id", "=", order.id)])
        self.assertEqual(request.state, "done")
