"""A dealer's new legal entity, approved by its manager, goes to 1C as a counterparty (b2b_1c_bridge
doc/exchange_contract.rst, *Requests to 1C*): without the web service 1C collects it through the
exchange (``type=b2b&mode=query``) as a ``Контрагент`` with its requisites and bank account; with
it, ``RegisterCounterparty`` is called. When 1C later sends the counterparty back in its
counterparties package, under the Ид the portal sent or under an Ид of its own, the package
updates the legal entity made here: it is never duplicated."""
from odoo.addons.queue_job.job import Job

from odoo.addons.b2b_1c_bridge.tests.common import NS
from odoo.addons.b2b_1c_bridge.tests.test_packages_exchange import PackagesCase
from odoo.addons.b2b_base.tools import checkout

ALFA = "5f1c2a10-0001-11ee-9c00-000c29a1b2c3"
WHOLESALE = "a1b2c3d4-0000-4000-8000-000000000001"
ONEC_OWN_ID = "5f1c2a10-0099-11ee-9c00-000c29a1b2c3"
PACKAGE = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08" ДатаФормирования="2026-12-01T09:00:00">
  <Контрагенты>
    <Контрагент>
      <Ид>%(id)s</Ид>
      <Наименование>ООО «Альфа-Север»</Наименование>
      <ИНН>7701987652</ИНН>
      <КПП>770101001</КПП>
      <ИдДилера>%(dealer)s</ИдДилера>
      <Договоры>
        <Договор>
          <Ид>c0a1b2c3-0099-4000-8000-000000000001</Ид>
          <Номер>АС-001/2026</Номер>
          <Дата>2026-12-01</Дата>
          <ИдТипаЦены>%(price_type)s</ИдТипаЦены>
          <Валюта>RUB</Валюта>
          <Статус>Действует</Статус>
        </Договор>
      </Договоры>
    </Контрагент>
  </Контрагенты>
</КоммерческаяИнформация>
"""


class TestLegalEntitiesToOnec(PackagesCase):

    def setUp(self):
        super().setUp()
        self.entity_request = self.xenv.ref("b2b_portal.demo_legal_request_alfa_sever")
        self.manager = self.xenv.ref("b2b_base.demo_user_manager_ivan")

    def approve(self):
        self.entity_request.sudo(self.manager).action_approve()
        self.commit()
        self.entity_request.invalidate_cache()
        return self.entity_request.partner_id

    def onec_request(self):
        self.xenv["b2b.onec.request"].invalidate_cache()
        return self.xenv["b2b.onec.request"].search([
            ("res_model", "=", self.entity_request._name), ("res_id", "=", self.entity_request.id)])

    def package(self, one_c_id):
        return (PACKAGE % {"id": one_c_id, "dealer": ALFA, "price_type": WHOLESALE}).encode("utf-8")

    def entities(self):
        return self.search("res.partner", [("vat", "=", "7701987652"), ("is_company", "=", True)])

    def test_onec_collects_the_approved_entity_through_the_exchange(self):
        self.assertFalse(self.onec_request(), "nothing goes to 1C before the manager approves")
        entity = self.approve()
        sent_id = self.entity_request.onec_counterparty_id
        self.assertTrue(sent_id)
        self.assertEqual((entity.b2b_onec_id, entity.b2b_kpp), (sent_id, "770101001"))
        request = self.onec_request()
        self.assertEqual((request.kind, request.state), ("counterparty", "queued"))

        client = self.connected("b2b")
        items = self.queried_requests(client)
        self.assertIn(request.guid, items)
        item = items[request.guid]
        self.assertEqual(item.findtext(NS + "Вид"), "Контрагент")
        body = item.find(NS + "Контрагент")
        self.assertEqual([body.findtext(NS + tag) for tag in (
            "Ид", "Наименование", "ИНН", "КПП", "ОГРН", "ИдДилера")],
            [sent_id, "ООО «Альфа-Север»", "7701987652", "770101001", "1027700132195", ALFA])
        self.assertIn("Тверская", body.findtext(NS + "ЮридическийАдрес/" + NS + "Представление"))
        self.assertIn("а/я 45", body.findtext(NS + "Адрес/" + NS + "Представление"))
        account = body.find(NS + "РасчетныеСчета/" + NS + "РасчетныйСчет")
        self.assertEqual(account.findtext(NS + "НомерСчета"), "40702810200000012345")
        bank = account.find(NS + "Банк")
        self.assertEqual([bank.findtext(NS + tag) for tag in ("Наименование", "БИК", "СчетКорреспондентский")],
                         ["ПАО Сбербанк", "044525225", "30101810400000000225"])
        self.assertEqual(body.findtext(NS + "Представители/" + NS + "Представитель/" + NS + "Наименование"),
                         "Сергей Воронов")
        self.assertEqual(client.call("b2b", "success").verdict, "success")
        request = self.onec_request()
        self.assertEqual((request.state, request.transport), ("sent", "exchange"))

        # 1C sends the counterparty back under the Ид it was given, with its first contract
        self.assertEqual(self.send("b2b_counterparties.xml", self.package(sent_id))[0], 1,
                         "only the contract is new")
        self.assertEqual(self.entities(), entity, "the legal entity is not duplicated")
        contract = self.search("b2b.contract", [("partner_id", "=", entity.id)])
        self.assertEqual((contract.name, contract.dealer_id), ("АС-001/2026", self.alfa))

    def test_an_entity_onec_renames_is_found_by_inn_and_kpp(self):
        entity = self.approve()
        partners = self.search("res.partner")
        self.send("b2b_counterparties.xml", self.package(ONEC_OWN_ID))
        self.assertEqual(self.entities(), entity, "the legal entity is not duplicated")
        self.assertEqual(entity.b2b_onec_id, ONEC_OWN_ID, "it takes 1C's Ид")
        self.assertEqual(self.search("res.partner"), partners)
        self.assertEqual(self.search("b2b.contract", [("partner_id", "=", entity.id)]).name,
                         "АС-001/2026")
        # another organisation with the same INN and another KPP (a branch) is another entity
        branch = self.package("5f1c2a10-0098-11ee-9c00-000c29a1b2c3").replace(
            "770101001".encode(), "770102001".encode()).replace(
            b"c0a1b2c3-0099-4000-8000-000000000001", b"c0a1b2c3-0099-4000-8000-000000000002")
        self.send("b2b_counterparties.xml", branch)
        self.assertEqual(len(self.entities()), 2)
        self.assertEqual(entity.b2b_onec_id, ONEC_OWN_ID)

    def test_the_web_service_registers_the_entity(self):
        server = checkout.load_standin("onec_soap").OnecSoapServer(
            login="portal", password="ws-Secret",
            wsdl_path=checkout.addon_path("b2b_1c_bridge", "static", "wsdl", "b2b_portal_1c.wsdl")).start()
        self.addCleanup(server.stop)
        for key, value in (("ws_wsdl_url", server.wsdl_url), ("ws_login", "portal"),
                           ("ws_password", "ws-Secret"), ("ws_timeout", 5), ("ws_attempts", 3)):
            self.set_param(key, value)
        entity = self.approve()
        request = self.onec_request()
        self.assertTrue(request.job_uuid, "a queue job sends it")
        Job.load(self.xenv, request.job_uuid).perform()
        request = self.onec_request()
        operation, values = server.received[-1]
        self.assertEqual(operation, "RegisterCounterparty")
        self.assertEqual((values["CounterpartyId"], values["DealerId"], values["Inn"], values["Kpp"],
                          values["Bik"], values["Account"], values["CorrAccount"]),
                         (entity.b2b_onec_id, ALFA, "7701987652", "770101001", "044525225",
                          "40702810200000012345", "30101810400000000225"))
        self.assertEqual((request.state, request.transport), ("done", "soap"))
