"""The B2B data packages (doc/exchange_contract.rst) sent by the 1C stand-in over real HTTP:
each example package lands, the same package twice changes nothing, and a bad record stops the
file with a message naming the file, the line and the element, leaving the database as it was."""
import base64
import os

import odoo
from odoo.tools import mute_logger

from .common import CONTROLLER_LOGGER, ExchangeCase, onec

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")

P1 = "9a1f2b3c-0000-4000-8000-000000000001"
P2 = "9a1f2b3c-0000-4000-8000-000000000002"
P3 = "9a1f2b3c-0000-4000-8000-000000000003"
MUG = "9a1f2b3c-0000-4000-8000-0000000000b1"
GROUP = "3c5d0000-0000-4000-8000-000000000010"
GAMMA = "5f1c2a10-0005-11ee-9c00-000c29a1b2c3"
GAMMA_RETAIL = "5f1c2a10-0006-11ee-9c00-000c29a1b2c3"
ACT_REQUEST = "7a0e0000-0001-4000-8000-000000000001"


def example(name):
    with open(os.path.join(EXAMPLES, name), "rb") as fh:
        return fh.read()


def line_of(data, text):
    """Line number (from 1) of the first line of ``data`` containing ``text``."""
    for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if text in line:
            return number
    raise AssertionError("%s not in the package" % text)


class PackagesCase(ExchangeCase):

    def setUp(self):
        super().setUp()
        env = self.xenv
        self.ref = env.ref
        self.c_alfa = env.ref("b2b_base.demo_contract_alfa_main")
        self.c_beta = env.ref("b2b_base.demo_contract_beta_main")
        self.c_beta_special = env.ref("b2b_base.demo_contract_beta_special")
        self.alfa = env.ref("b2b_base.demo_dealer_alfa")
        self.beta = env.ref("b2b_base.demo_dealer_beta")
        Template = env["product.template"]
        self.products = {}
        for one_c_id, name in ((P1, "Смеситель для кухни «Аква»"), (P2, "Мойка «Гранит»"),
                               (P3, "Душевая система «Тропик»"), (MUG, "Кружка (за бонусы)")):
            self.products[one_c_id] = Template.create({"name": name, "type": "consu",
                                                       "b2b_onec_id": one_c_id})
        self.group = env["product.category"]
        if "b2b_onec_id" in self.group._fields:  # groups of the catalog carry their 1C id
            self.group = self.group.create({"name": "Смесители", "b2b_onec_id": GROUP})
        self.commit()

    # ------------------------------------------------------------------ exchanges
    def exchange(self, files, exchange_type="b2b"):
        """Run a whole exchange with the stand-in; returns the import answers [(file, text)]."""
        answers = self.client().exchange(files, exchange_type=exchange_type)
        self.refresh()
        return [(a.filename, a.text) for a in answers if a.mode == "import"]

    def send(self, name, data=None):
        imports = self.exchange([(name, example(name) if data is None else data)])
        self.assertEqual([verdict.split("\n")[0] for _n, verdict in imports], ["success"])
        return self.counts(name)

    def last_file(self, name):
        return self.files(name=name).sorted("id")[-1:]

    def counts(self, name):
        record = self.last_file(name)
        self.assertEqual(record.state, "imported", record.message)
        return record.records_created, record.records_updated, record.records_unchanged

    def refused(self, name, data, extra=(), exchange_type="b2b"):
        """Send a package that must be refused; returns the first line of the reason."""
        with mute_logger(CONTROLLER_LOGGER), self.assertRaises(onec.ExchangeStopped) as stop:
            self.client().exchange([(name, data)] + list(extra), exchange_type=exchange_type)
        self.refresh()
        answer = stop.exception.answer
        self.assertEqual((answer.mode, answer.verdict), ("import", "failure"))
        self.assertEqual(self.last_file(name).state, "failed")
        return answer.lines[0]

    def search(self, model, domain=()):
        self.refresh()
        self.xenv[model].invalidate_cache()
        return self.xenv[model].with_context(active_test=False).search(list(domain))


DISCOUNTS = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08">
  <Контрагенты>
    <Контрагент>
      <Ид>5f1c2a10-0001-11ee-9c00-000c29a1b2c3</Ид>
      <Наименование>ООО «Альфа-Дилер»</Наименование>
      <Скидки>
        <Скидка><Ид>d-1</Ид><ИдГруппы>%s</ИдГруппы><Процент>%s</Процент></Скидка>
        <Скидка><Ид>d-2</Ид><ИдГруппы>no-such-group</ИдГруппы><Процент>3</Процент></Скидка>
      </Скидки>
    </Контрагент>
  </Контрагенты>
</КоммерческаяИнформация>
"""


class TestCounterpartyPackage(PackagesCase):

    def test_personal_discounts_land_once_and_unknown_groups_are_reported(self):
        """1C's personal discounts of a dealer per product group: imported by the group's Ид
        (a group unknown here is skipped with its file and line, the rest imported), the same
        package twice changes nothing, a new percent updates it, a list without it removes it
        (but not the manager's own discounts)."""
        other = self.xenv["product.category"].create({"name": "Раковины"})
        manager_own = self.xenv["b2b.dealer.discount"].create({
            "dealer_id": self.alfa.id, "category_id": other.id, "percent": 2.0})
        self.commit()
        data = (DISCOUNTS % (GROUP, "7,5")).encode("utf-8")
        name = "b2b_discounts.xml"
        imports = self.exchange([(name, data)])
        self.assertEqual([verdict.split("\n")[0] for _n, verdict in imports], ["success"])
        Discount = "b2b.dealer.discount"
        found = self.search(Discount, [("dealer_id", "=", self.alfa.id)])
        self.assertEqual(sorted((d.category_id.id, d.percent, d.source, d.b2b_onec_id or "")
                                for d in found),
                         sorted([(self.group.id, 7.5, "onec", "d-1"),
                                 (other.id, 2.0, "manager", "")]))
        warnings = self.last_file(name).warning_ids
        self.assertEqual([(w.file_name, w.line) for w in warnings],
                         [(name, line_of(data, "no-such-group"))])
        self.assertIn("no-such-group", warnings.message_ru)
        self.assertIn("нет группы товаров", warnings.message_ru)
        # the same package again: nothing changes
        self.exchange([(name, data)])
        self.assertEqual(self.counts(name)[:2], (0, 0))
        self.assertEqual(self.search(Discount, [("dealer_id", "=", self.alfa.id)]), found)
        # a new percent
        self.exchange([(name, (DISCOUNTS % (GROUP, "10")).encode("utf-8"))])
        self.assertEqual(self.search(Discount, [("category_id", "=", self.group.id)]).percent, 10.0)
        # 1C no longer lists it: 1C's discount goes, the manager's own stays
        emptied = DISCOUNTS.split("<Скидки>")[0] + "<Скидки/>" + DISCOUNTS.split("</Скидки>")[1]
        self.exchange([(name, emptied.encode("utf-8"))])
        self.assertEqual(self.search(Discount, [("dealer_id", "=", self.alfa.id)]), manager_own)

    def test_counterparties_and_contracts_land_once(self):
        self.assertEqual(self.send("b2b_counterparties.xml"), (4, 2, 0),
                         "two new legal entities and contracts; «Бета» and its contract updated")
        gamma = self.search("res.partner", [("b2b_onec_id", "=", GAMMA)])
        retail = self.search("res.partner", [("b2b_onec_id", "=", GAMMA_RETAIL)])
        self.assertTrue(gamma.b2b_is_dealer and gamma.is_company)
        self.assertEqual((gamma.name, gamma.vat, gamma.b2b_kpp), ("ООО «Гамма-Опт»", "7812345678", "781201001"))
        self.assertEqual(gamma.b2b_manager_id, self.ref("b2b_base.demo_user_manager_olga"))
        self.assertEqual((gamma.b2b_region_id.name, gamma.b2b_region_id.b2b_onec_id),
                         ("Санкт-Петербург", "7d3e0000-0001-4000-8000-000000000078"))
        self.assertFalse(retail.b2b_is_dealer)
        self.assertEqual((retail.b2b_entity_of_id, retail.b2b_dealer_id), (gamma, gamma))
        contract = self.search("b2b.contract", [("b2b_onec_id", "=", "c0a1b2c3-0001-4000-8000-000000000006")])
        self.assertEqual((contract.name, contract.date, contract.partner_id, contract.dealer_id),
                         ("Г-001/2026", "2026-11-01", gamma, gamma))
        self.assertEqual((contract.price_type_id, contract.currency_id.name, contract.payment_days,
                          contract.credit_limit, contract.state, contract.special_conditions),
                         (self.ref("b2b_base.demo_price_type_wholesale"), "RUB", 21, 1200000.0,
                          "active", False))
        special = self.search("b2b.contract", [("b2b_onec_id", "=", "c0a1b2c3-0001-4000-8000-000000000007")])
        self.assertEqual((special.partner_id, special.dealer_id, special.price_type_id),
                         (retail, gamma, self.ref("b2b_base.demo_price_type_dealer")))
        self.assertTrue(special.special_conditions)
        self.assertEqual(special.special_conditions_note, "Оплата по факту отгрузки для товаров акции.")
        self.assertEqual((self.c_beta.credit_limit, self.beta.b2b_kpp), (2500000.0, "540601001"))

        partners, contracts = self.search("res.partner"), self.search("b2b.contract")
        self.assertEqual(self.send("b2b_counterparties.xml"), (0, 0, 6))
        self.assertEqual((self.search("res.partner"), self.search("b2b.contract")), (partners, contracts))

    def test_unknown_price_type_refuses_the_whole_file(self):
        data = example("b2b_counterparties.xml").replace(
            b"a1b2c3d4-0000-4000-8000-000000000003", b"a1b2c3d4-ffff-4000-8000-000000000003")
        partners, contracts = self.search("res.partner"), self.search("b2b.contract")
        reason = self.refused("b2b_counterparties.xml", data)
        self.assertEqual(reason, "b2b_counterparties.xml, line %d, Контрагент/Договоры/Договор/"
                                 "ИдТипаЦены: no price type has the 1C id "
                                 "a1b2c3d4-ffff-4000-8000-000000000003."
                         % line_of(data, "a1b2c3d4-ffff"))
        self.assertEqual((self.search("res.partner"), self.search("b2b.contract")), (partners, contracts),
                         "the dealer read before the bad contract is not kept either")
        self.assertEqual(self.c_beta.credit_limit, 2000000.0)

    def test_unknown_manager_and_missing_name(self):
        data = example("b2b_counterparties.xml").replace("<Менеджер>manager.olga<".encode(),
                                                         "<Менеджер>nobody@example.com<".encode())
        reason = self.refused("b2b_counterparties.xml", data)
        self.assertEqual(reason, "b2b_counterparties.xml, line %d, Контрагент/Менеджер: no internal "
                                 "user has the login or email nobody@example.com."
                         % line_of(data, "nobody@example.com"))
        data = example("b2b_counterparties.xml").replace(
            "<Наименование>ИП Гаврилов П. С. («Гамма Розница»)</Наименование>".encode(), b"")
        reason = self.refused("b2b_counterparties.xml", data)
        self.assertEqual(reason, "b2b_counterparties.xml, line %d: Контрагент has no Наименование "
                                 "(required)." % (line_of(data, GAMMA_RETAIL) - 1))
        self.assertFalse(self.search("res.partner", [("b2b_onec_id", "in", [GAMMA, GAMMA_RETAIL])]))


class TestLedgerPackages(PackagesCase):

    def test_settlement_lines_land_once_then_versions_and_unposting(self):
        Line = "b2b.settlement.line"
        self.assertEqual(self.send("b2b_settlements.xml"), (5, 0, 0))
        lines = self.search(Line, [("b2b_onec_id", "like", "e1000000-0001-%")])
        self.assertEqual(len(lines), 5, "the unposted document 99 was never posted: nothing to remove")
        shipment = lines.filtered(lambda l: l.doc_number == "А-1187")
        self.assertEqual((shipment.kind, shipment.contract_id, shipment.debit, shipment.due_date,
                          shipment.b2b_onec_version, shipment.note),
                         ("shipment", self.c_alfa, 84250.5, "2026-11-01", "3",
                          "Реализация товаров и услуг А-1187"))
        payment = lines.filtered(lambda l: l.kind == "payment")
        self.assertEqual((payment.credit, payment.settles_onec_id), (50000.0, shipment.b2b_onec_id))
        self.assertAlmostEqual(self.c_alfa.b2b_debt_balance, 150000 + 84250.5 - 50000)
        self.assertAlmostEqual(self.c_beta.b2b_debt_balance, -1200 + 310)

        self.assertEqual(self.send("b2b_settlements.xml"), (0, 0, 5))
        self.assertEqual(self.search(Line, [("b2b_onec_id", "like", "e1000000-0001-%")]), lines)

        newer = example("b2b_settlements.xml").replace(
            "<НомерВерсии>3</НомерВерсии>".encode(), "<НомерВерсии>4</НомерВерсии>".encode()
        ).replace(b"84250.50", b"80000.00").replace(
            "<Кредит>50000</Кредит>".encode(), "<Кредит>50000</Кредит><Проведен>false</Проведен>".encode())
        self.assertEqual(self.send("b2b_settlements.xml", newer), (0, 2, 3))
        self.assertEqual(shipment.debit, 80000.0)
        self.assertFalse(payment.exists(), "1C unposted the payment: its line is gone")
        self.assertAlmostEqual(self.c_alfa.b2b_debt_balance, 150000 + 80000)

    def test_bad_settlement_records_write_nothing(self):
        data = example("b2b_settlements.xml").replace(
            "<ИдДоговора>c0a1b2c3-0001-4000-8000-000000000004</ИдДоговора>".encode(),
            "<ИдДоговора>c0a1b2c3-dead-4000-8000-000000000004</ИдДоговора>".encode(), 1)
        reason = self.refused("b2b_settlements.xml", data)
        self.assertEqual(reason, "b2b_settlements.xml, line %d, Документ/ИдДоговора: no contract has "
                                 "the 1C id c0a1b2c3-dead-4000-8000-000000000004."
                         % line_of(data, "c0a1b2c3-dead"))
        data = example("b2b_settlements.xml").replace(b"84250.50", b"84 250.5O")
        reason = self.refused("b2b_settlements.xml", data)
        self.assertEqual(reason, "b2b_settlements.xml, line %d, Документ/Дебет: «84 250.5O» is not a "
                                 "number." % line_of(data, "84 250.5O"))
        data = example("b2b_settlements.xml").replace("<Вид>Возврат</Вид>".encode(), b"")
        reason = self.refused("b2b_settlements.xml", data)
        self.assertEqual(reason, "b2b_settlements.xml, line %d: Документ has no Вид (required)."
                         % (line_of(data, "e1000000-0001-4000-8000-000000000004") - 1))
        self.assertFalse(self.search("b2b.settlement.line", [("b2b_onec_id", "like", "e1000000-0001-%")]))
        self.assertEqual(self.c_alfa.b2b_debt_balance, 0.0)

    def test_overdue_summary_lands_once(self):
        Summary = "b2b.overdue.summary"
        self.assertEqual(self.send("b2b_overdue.xml"), (2, 0, 0))
        alfa = self.search(Summary, [("contract_id", "=", self.c_alfa.id)])
        self.assertEqual((alfa.date, alfa.balance, alfa.overdue_3, alfa.overdue_4, alfa.overdue_days),
                         ("2026-11-20", 184250.5, 34250.5, 150000.0, 80))
        beta = self.search(Summary, [("contract_id", "=", self.c_beta.id)])
        self.assertEqual((beta.balance, beta.overdue_total), (-890.0, 0.0))
        self.assertEqual(self.send("b2b_overdue.xml"), (0, 0, 2))
        changed = example("b2b_overdue.xml").replace(
            "<ДнейПросрочки>80</ДнейПросрочки>".encode(), "<ДнейПросрочки>81</ДнейПросрочки>".encode())
        self.assertEqual(self.send("b2b_overdue.xml", changed), (0, 1, 1))
        self.assertEqual(alfa.overdue_days, 81)
        bad = example("b2b_overdue.xml").replace(b"150000.00", b"-150000.00")
        reason = self.refused("b2b_overdue.xml", bad)
        self.assertEqual(reason, "b2b_overdue.xml, line %d, Договор/Просрочено4: -150000.00 cannot be "
                                 "negative." % line_of(bad, "-150000.00"))
        self.assertEqual(alfa.overdue_4, 150000.0)


class TestPrintedFormsPackage(PackagesCase):

    FORMS = ("invoice_A-1187.pdf", "upd_A-1190.pdf", "act_B-2026-10.pdf")

    def setUp(self):
        super().setUp()
        env = self.xenv
        self.order = env["sale.order"].create({
            "name": "SO-B2B-1190", "partner_id": self.alfa.id, "b2b_contract_id": self.c_alfa.id})
        self.request = env["b2b.reconciliation.request"].create({
            "contract_id": self.c_beta.id, "date_from": "2026-10-01", "date_to": "2026-10-31",
            "user_id": env.ref("b2b_base.demo_user_beta_admin").id, "state": "sent",
            "b2b_onec_id": ACT_REQUEST})
        self.commit()

    def package(self, index=None, forms=FORMS):
        return [("b2b_printed_forms.xml", index or example("b2b_printed_forms.xml"))] + [
            ("printed_forms/" + name, example("printed_forms/" + name)) for name in forms]

    def test_printed_forms_land_with_their_files_once(self):
        imports = self.exchange(self.package())
        self.assertEqual(imports, [("b2b_printed_forms.xml", "success\ncreated 3, updated 0, unchanged 0\n")])
        Document = "b2b.document"
        invoice = self.search(Document, [("b2b_onec_id", "=", "d0c00000-0001-4000-8000-000000001187")])
        self.assertEqual((invoice.kind, invoice.number, invoice.date, invoice.contract_id,
                          invoice.partner_id, invoice.name, invoice.file_name),
                         ("invoice", "А-1187", "2026-11-18", self.c_alfa, self.alfa,
                          "Счет № А-1187 от 18.11.2026", "invoice_A-1187.pdf"))
        self.assertEqual(invoice.attachment_id.checksum and invoice.attachment_id.datas_fname,
                         "invoice_A-1187.pdf")
        self.assertEqual(base64.b64decode(invoice.file_data), example("printed_forms/invoice_A-1187.pdf"))
        upd = self.search(Document, [("b2b_onec_id", "=", "d0c00000-0001-4000-8000-000000001190")])
        self.assertEqual((upd.kind, upd.order_id, upd.contract_id, upd.partner_id),
                         ("upd", self.order, self.c_alfa, self.alfa))
        self.assertEqual(self.request.state, "done")
        act = self.request.act_document_id
        self.assertEqual((act.kind, act.number, act.preliminary, act.b2b_onec_id),
                         ("act", "АС-2026-10", False, "d0c00000-0001-4000-8000-000000002610"))
        self.assertEqual(base64.b64decode(act.file_data), example("printed_forms/act_B-2026-10.pdf"))
        documents = self.search(Document)

        self.assertEqual(self.exchange(self.package()),
                         [("b2b_printed_forms.xml", "success\ncreated 0, updated 0, unchanged 3\n")])
        self.assertEqual(self.search(Document), documents)

    def test_uploads_without_zip_find_their_files_too(self):
        self.set_param("zip", "no")
        self.assertEqual(self.exchange(self.package()),
                         [("b2b_printed_forms.xml", "success\ncreated 3, updated 0, unchanged 0\n")])

    def test_missing_file_or_unknown_order_writes_nothing(self):
        documents = self.search("b2b.document")
        reason = self.refused("b2b_printed_forms.xml", example("b2b_printed_forms.xml"),
                              extra=self.package(forms=self.FORMS[:2])[1:])
        index = example("b2b_printed_forms.xml")
        self.assertEqual(reason, "b2b_printed_forms.xml, line %d, Документ/Файл: the file "
                                 "printed_forms/act_B-2026-10.pdf is not in the exchange."
                         % line_of(index, "act_B-2026-10.pdf"))
        bad = index.replace(b"SO-B2B-1190</", b"SO-B2B-0000</")
        reason = self.refused("b2b_printed_forms.xml", bad, extra=self.package()[1:])
        self.assertEqual(reason, "b2b_printed_forms.xml, line %d, Документ/ИдЗаказа: no order has the "
                                 "1C id or number SO-B2B-0000." % line_of(bad, "SO-B2B-0000</"))
        self.assertEqual(self.search("b2b.document"), documents)
        self.assertEqual(self.request.state, "sent")
