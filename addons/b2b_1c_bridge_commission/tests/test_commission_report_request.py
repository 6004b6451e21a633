"""A commission report the agent submits goes to 1C as a request (b2b_1c_bridge's
doc/exchange_contract.rst, *Requests to 1C and the 1C web service*). With the web service
configured, 1C (the stand-in) receives ``SubmitCommissionReport`` with the agent, the contract,
the month and each line's quantity, price, amount and commission, and 1C's document id lands on
the report; without it, 1C collects the report through the exchange (``type=b2b``) as an
``ОтчетКомиссионера``."""
import json

from odoo.addons.queue_job.job import Job

from odoo.addons.b2b_1c_bridge.tests.common import NS
from odoo.addons.b2b_base.tools import checkout

from .common import AGENT, CONTRACT, DRILL, SAW, CommissionExchangeCase


class TestCommissionReportRequest(CommissionExchangeCase):

    def test_submitted_report_reaches_the_onec_web_service(self):
        server = checkout.load_standin("onec_soap").OnecSoapServer(
            login="portal", password="ws-Secret",
            wsdl_path=checkout.addon_path("b2b_1c_bridge", "static", "wsdl", "b2b_portal_1c.wsdl")).start()
        self.addCleanup(server.stop)
        for key, value in (("ws_wsdl_url", server.wsdl_url), ("ws_login", "portal"),
                           ("ws_password", "ws-Secret"), ("ws_timeout", 5), ("ws_attempts", 3)):
            self.set_param(key, value)
        report = self.draft()
        self.assertFalse(self.request_of(report), "a draft stays with the agent")
        self.submit(report)
        request = self.request_of(report)
        self.assertEqual((request.kind, request.state), ("commission_report", "queued"))
        self.assertTrue(request.job_uuid, "a queue job sends it")
        Job.load(self.xenv, request.job_uuid).perform()
        self.xenv["b2b.onec.request"].invalidate_cache()
        report.invalidate_cache()
        operation, values = server.received[-1]
        self.assertEqual(operation, "SubmitCommissionReport")
        self.assertEqual(values["RequestId"], request.guid)
        self.assertEqual(values["ReportId"], "b2b.commission.report/%d" % report.id)
        self.assertEqual((values["CounterpartyId"], values["ContractId"], values["Period"]),
                         (AGENT, CONTRACT, "2024-05"))
        self.assertEqual([(line["ProductId"], float(line["Quantity"]), float(line["Price"]),
                           float(line["Amount"]), float(line["Commission"]))
                          for line in values["Lines"]],
                         [(DRILL, 3.0, 2000.0, 6000.0, 600.0), (DRILL, 1.0, 1850.5, 1850.5, 185.05),
                          (SAW, 1.0, 3500.0, 3500.0, 350.0)])
        self.assertEqual((request.state, request.transport, request.attempts), ("done", "soap", 1))
        self.assertEqual(json.loads(request.answer)["document_id"], "report-" + request.guid)
        self.assertEqual(report.b2b_onec_id, "report-" + request.guid,
                         "1C's document of the report is kept on the report")
        self.assertEqual(report.state, "submitted")
        form = self.xenv["b2b.commission.report"].fields_view_get(view_type="form")["arch"]
        self.assertIn('name="b2b_onec_id"', form, "the accountant sees 1C's document on the report")

    def test_without_the_web_service_onec_collects_the_report_through_the_exchange(self):
        report = self.submit(self.draft())
        request = self.request_of(report)
        self.assertEqual(request.state, "queued")
        self.assertFalse(request.job_uuid)
        client = self.connected("b2b")
        items = self.queried_requests(client)
        self.assertIn(request.guid, items)
        item = items[request.guid]
        self.assertEqual(item.findtext(NS + "Вид"), "ОтчетКомиссионера")
        body = item.find(NS + "ОтчетКомиссионера")
        self.assertEqual(body.findtext(NS + "Ид"), "b2b.commission.report/%d" % report.id)
        self.assertEqual(body.findtext(NS + "Контрагент/" + NS + "Ид"), AGENT)
        self.assertEqual(body.findtext(NS + "Договор/" + NS + "Ид"), CONTRACT)
        self.assertEqual(body.findtext(NS + "Период"), "2024-05")
        self.assertEqual([(good.findtext(NS + "Ид"), good.findtext(NS + "Количество"),
                           good.findtext(NS + "Цена"), good.findtext(NS + "Сумма"),
                           good.findtext(NS + "Комиссия"))
                          for good in body.iter(NS + "Товар")],
                         [(DRILL, "3", "2000.00", "6000.00", "600.00"),
                          (DRILL, "1", "1850.50", "1850.50", "185.05"),
                          (SAW, "1", "3500.00", "3500.00", "350.00")])
        self.assertEqual(client.call("b2b", "success").verdict, "success")
        self.xenv["b2b.onec.request"].invalidate_cache()
        self.assertEqual((request.state, request.transport), ("sent", "exchange"))
        self.assertNotIn(request.guid, self.queried_requests(self.connected("b2b")),
                         "collected once")
