"""An approved commission report sent to 1C as a request (b2b_1c_bridge's
doc/exchange_contract.rst, *Requests to 1C and the 1C web service*):
``b2b.onec.request.b2b_enqueue("commission_report", payload, report)``.
With the web service configured, 1C (the stand-in) receives ``SubmitCommissionReport`` with the
agent, the month and the goods sold, and the document 1C made is kept with the request; without
it, 1C collects the report through the exchange (``type=b2b``) as an ``ОтчетКомиссионера``."""
import json

from odoo.addons.queue_job.job import Job

from odoo.addons.b2b_1c_bridge.tests.common import NS, ExchangeCase
from odoo.addons.b2b_base.tools import checkout

AGENT = "c0a1b2c3-0002-4000-8000-000000000001"
DRILL = "c0a1b2c3-0002-4000-8000-000000000002"
SAW = "c0a1b2c3-0002-4000-8000-000000000003"


class TestCommissionReportRequest(ExchangeCase):

    def setUp(self):
        super().setUp()
        env = self.xenv
        self.agent = env["res.partner"].create({
            "name": "ООО «Комиссионер»", "is_company": True, "b2b_is_dealer": True,
            "b2b_commission_agent": True, "b2b_onec_id": AGENT})
        Product = env["product.product"]
        self.drill = Product.create({"name": "Дрель", "type": "consu"})
        self.drill.product_tmpl_id.b2b_onec_id = DRILL
        self.saw = Product.create({"name": "Пила", "type": "consu"})
        self.saw.product_tmpl_id.b2b_onec_id = SAW
        accountant = env["res.users"].with_context(no_reset_password=True).create({
            "name": "Бухгалтер поставщика", "login": "commission-accountant-1c",
            "email": "commission-accountant-1c@example.com",
            "groups_id": [(6, 0, [env.ref("b2b_base.group_b2b_accountant").id])]})
        self.report = env["b2b.commission.report"].create({
            "partner_id": self.agent.id, "period": "2024-05-01",
            "line_ids": [(0, 0, {"product_id": self.drill.id, "qty_sold": 3, "price_unit": 2000.0,
                                 "qty_consigned": 5}),
                         (0, 0, {"product_id": self.saw.id, "qty_sold": 1, "price_unit": 3500.0,
                                 "qty_consigned": 0})]})
        self.report.action_submit()
        self.report.sudo(accountant).action_approve()
        self.assertEqual(self.report.state, "approved")
        self.commit()

    def enqueue(self):
        """The approved report as a request to 1C (the payload lib/soap.py of the bridge names)."""
        report = self.report
        payload = {
            "report_id": "b2b.commission.report/%d" % report.id,
            "counterparty_id": report.partner_id.b2b_onec_id,
            "period": report.period[:7],
            "lines": [{"product_id": line.product_id.product_tmpl_id.b2b_onec_id,
                       "qty": line.qty_sold, "amount": line.amount} for line in report.line_ids],
        }
        request = self.xenv["b2b.onec.request"].b2b_enqueue("commission_report", payload, report)
        self.assertEqual((request.kind, request.state), ("commission_report", "queued"))
        self.assertEqual(request._b2b_record(), report)
        self.commit()
        return request

    def test_approved_report_reaches_the_onec_web_service(self):
        server = checkout.load_standin("onec_soap").OnecSoapServer(
            login="portal", password="ws-Secret",
            wsdl_path=checkout.addon_path("b2b_1c_bridge", "static", "wsdl", "b2b_portal_1c.wsdl")).start()
        self.addCleanup(server.stop)
        for key, value in (("ws_wsdl_url", server.wsdl_url), ("ws_login", "portal"),
                           ("ws_password", "ws-Secret"), ("ws_timeout", 5), ("ws_attempts", 3)):
            self.set_param(key, value)
        request = self.enqueue()
        self.assertTrue(request.job_uuid, "a queue job sends it")
        Job.load(self.xenv, request.job_uuid).perform()
        self.xenv["b2b.onec.request"].invalidate_cache()
        operation, values = server.received[-1]
        self.assertEqual(operation, "SubmitCommissionReport")
        self.assertEqual(values["RequestId"], request.guid)
        self.assertEqual(values["ReportId"], "b2b.commission.report/%d" % self.report.id)
        self.assertEqual((values["CounterpartyId"], values["Period"]), (AGENT, "2024-05"))
        self.assertEqual([(line["ProductId"], float(line["Quantity"]), float(line["Amount"]))
                          for line in values["Lines"]],
                         [(DRILL, 3.0, 6000.0), (SAW, 1.0, 3500.0)])
        self.assertEqual((request.state, request.transport, request.attempts), ("done", "soap", 1))
        self.assertFalse(request.error)
        self.assertEqual(json.loads(request.answer)["document_id"], "report-" + request.guid,
                         "the document 1C made of the report is kept with the request")

    def test_without_the_web_service_onec_collects_the_report_through_the_exchange(self):
        request = self.enqueue()
        self.assertFalse(request.job_uuid)
        client = self.connected("b2b")
        items = self.queried_requests(client)
        self.assertIn(request.guid, items)
        item = items[request.guid]
        self.assertEqual(item.findtext(NS + "Вид"), "ОтчетКомиссионера")
        body = item.find(NS + "ОтчетКомиссионера")
        self.assertEqual(body.findtext(NS + "Ид"), "b2b.commission.report/%d" % self.report.id)
        self.assertEqual(body.findtext(NS + "Контрагент/" + NS + "Ид"), AGENT)
        self.assertEqual(body.findtext(NS + "Период"), "2024-05")
        self.assertEqual([(good.findtext(NS + "Ид"), good.findtext(NS + "Количество"),
                           good.findtext(NS + "Сумма"))
                          for good in body.iter(NS + "Товар")],
                         [(DRILL, "3", "6000.00"), (SAW, "1", "3500.00")])
        self.assertEqual(client.call("b2b", "success").verdict, "success")
        self.xenv["b2b.onec.request"].invalidate_cache()
        self.assertEqual((request.state, request.transport), ("sent", "exchange"))
        self.assertNotIn(request.guid, self.queried_requests(self.connected("b2b")),
                         "collected once")
