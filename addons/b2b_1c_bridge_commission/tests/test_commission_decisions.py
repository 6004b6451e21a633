"""1C's decisions on the submitted reports (``РешенияПоОтчетамКомиссионера``) and the printed
forms that close an approved report (``ИдОтчетаКомиссионера``), sent by the 1C stand-in over real
HTTP: the report is approved or rejected with 1C's reason as the exchange's user and the agent
told; its closing documents are linked to it and the agent told once; the same file twice
changes nothing; an unknown report stops the file at its line with nothing written."""
import base64

from odoo.addons.b2b_1c_bridge.tests.test_packages_exchange import example, line_of

from .common import CONTRACT, CommissionExchangeCase

DECISIONS = "b2b_commission_decisions.xml"
DOC_1 = "d4e5f600-0001-4000-8000-000000000001"
DOC_2 = "d4e5f600-0001-4000-8000-000000000002"
FORMS = """<?xml version="1.0" encoding="UTF-8"?>
<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.08">
  <ПечатныеФормы>
    <Документ>
      <Ид>d0c00000-0002-4000-8000-000000000001</Ид>
      <Вид>ЗакрывающиеДокументы</Вид>
      <Номер>ОК-2024-05</Номер>
      <Дата>2024-06-03</Дата>
      <Наименование>Отчет комиссионера № ОК-2024-05</Наименование>
      <ИдДоговора>%(contract)s</ИдДоговора>
      <ИдОтчетаКомиссионера>%(report)s</ИдОтчетаКомиссионера>
      <Файл>printed_forms/invoice_A-1187.pdf</Файл>
    </Документ>
    <Документ>
      <Ид>d0c00000-0002-4000-8000-000000000002</Ид>
      <Вид>ЗакрывающиеДокументы</Вид>
      <Номер>АВ-2024-05</Номер>
      <Дата>2024-06-03</Дата>
      <ИдДоговора>%(contract)s</ИдДоговора>
      <ИдОтчетаКомиссионера>%(document)s</ИдОтчетаКомиссионера>
      <Файл>printed_forms/act_B-2026-10.pdf</Файл>
    </Документ>
  </ПечатныеФормы>
</КоммерческаяИнформация>
"""
PDFS = ("invoice_A-1187.pdf", "act_B-2026-10.pdf")


class TestCommissionDecisions(CommissionExchangeCase):

    def setUp(self):
        super().setUp()
        self.may = self.submit(self.draft())
        self.april = self.submit(self.draft(period="2024-04-01"))
        self.april.write({"b2b_onec_id": DOC_2})  # what 1C's web service answered
        self.commit()

    def decisions(self, extra=""):
        """The example with the May report's id; the April report named by 1C's document."""
        data = example(DECISIONS).decode("utf-8").replace(
            "b2b.commission.report/17", "b2b.commission.report/%d" % self.may.id)
        return data.replace("<Статус>Согласован</Статус>",
                            "<Статус>Согласован</Статус>" + extra).encode("utf-8")

    def states(self):
        for report in (self.may, self.april):
            report.invalidate_cache()
        return [(report.state, report.reject_reason or False) for report in (self.may, self.april)]

    def test_onec_approves_and_rejects_reports_once(self):
        unknown = self.decisions().replace(b"b2b.commission.report/%d" % self.may.id,
                                           b"b2b.commission.report/999999")
        self.assertEqual(self.refused(DECISIONS, unknown),
                         "%s, line %d, Решение/ИдОтчета: no commission report has the id "
                         "b2b.commission.report/999999." % (DECISIONS, line_of(unknown, "999999")))
        self.assertEqual(self.states(), [("submitted", False), ("submitted", False)],
                         "nothing of the refused file is written")

        # 1C's real file carries elements the portal does not read
        self.assertEqual(self.send(DECISIONS, self.decisions("<Ответственный>Иванова</Ответственный>")),
                         (0, 2, 0))
        reason = ("Цена продажи ниже минимальной по договору комиссии: исправьте строку 2 и "
                  "отправьте отчет снова.")
        self.assertEqual(self.states(), [("approved", False), ("rejected", reason)])
        self.assertEqual((self.may.decision_user_id, self.april.decision_user_id),
                         (self.exchange_user, self.exchange_user), "decided by the exchange")
        self.assertEqual(self.may.b2b_onec_id, DOC_1, "1C's document of the report is kept")
        self.assertEqual(self.notices(self.may), ["Commission report %s submitted" % self.may.name,
                                                  "Commission report %s approved" % self.may.name])
        self.assertEqual(self.notices(self.april)[-1],
                         "Commission report %s rejected" % self.april.name)

        self.assertEqual(self.send(DECISIONS, self.decisions()), (0, 0, 2))
        self.april.sudo(self.agent_user).action_reset_to_draft()
        self.commit()
        self.assertEqual(self.send(DECISIONS, self.decisions()), (0, 0, 2),
                         "the rejection already applied does not come back to the corrected draft")
        self.assertEqual(self.states(), [("approved", False), ("draft", reason)])
        self.assertEqual(len(self.notices(self.may)), 2, "the agent is told once")

        later = self.decisions().replace(b"2026-12-03T11:30:00", b"2026-12-04")
        self.assertEqual(self.refused(DECISIONS, later),
                         "%s, line %d, Решение/ИдДокумента: commission report %s is not submitted: 1C "
                         "decides only on a submitted report." % (DECISIONS, line_of(later, DOC_2), DOC_2))

    def test_closing_documents_land_on_the_approved_report_once(self):
        def package(report_ref):
            index = (FORMS % {"contract": CONTRACT, "report": report_ref, "document": DOC_1}).encode()
            return index, [("b2b_commission_documents.xml", index)] + [
                ("printed_forms/" + name, example("printed_forms/" + name)) for name in PDFS]

        index, files = package("b2b.commission.report/%d" % self.may.id)
        self.assertEqual(self.refused("b2b_commission_documents.xml", index, extra=files[1:]),
                         "b2b_commission_documents.xml, line %d, Документ/ИдОтчетаКомиссионера: "
                         "commission report b2b.commission.report/%d is not approved: its closing "
                         "documents come once it is approved."
                         % (line_of(index, "<ИдОтчетаКомиссионера>b2b"), self.may.id))
        self.assertFalse(self.search("b2b.document", [("b2b_onec_id", "like", "d0c00000-0002")]))

        self.send(DECISIONS, self.decisions())
        imports = self.exchange(files)
        self.assertEqual(imports, [("b2b_commission_documents.xml",
                                    "success\ncreated 2, updated 0, unchanged 0\n")])
        self.may.invalidate_cache()
        documents = self.may.document_ids.sorted("number")
        self.assertEqual([(d.number, d.kind, d.contract_id, d.name) for d in documents],
                         [("АВ-2024-05", "closing", self.contract,
                           "Закрывающие документы № АВ-2024-05 от 03.06.2024"),
                          ("ОК-2024-05", "closing", self.contract, "Отчет комиссионера № ОК-2024-05")])
        self.assertEqual(base64.b64decode(documents[1].file_data),
                         example("printed_forms/invoice_A-1187.pdf"))
        view = self.xenv["b2b.commission.report"].sudo(self.agent_user).b2b_report_view(self.may.id)
        self.assertEqual(sorted(d["number"] for d in view["documents"]), ["АВ-2024-05", "ОК-2024-05"],
                         "the agent sees them on the report page")
        closing = "Closing documents of commission report %s" % self.may.name
        self.assertEqual(self.notices(self.may).count(closing), 1)

        self.assertEqual(self.exchange(files), [("b2b_commission_documents.xml",
                                                 "success\ncreated 0, updated 0, unchanged 2\n")])
        self.assertEqual(self.notices(self.may).count(closing), 1, "told once")

        unknown, files = package("b2b.commission.report/999999")
        self.assertEqual(self.refused("b2b_commission_documents.xml", unknown, extra=files[1:]),
                         "b2b_commission_documents.xml, line %d, Документ/ИдОтчетаКомиссионера: no "
                         "commission report has the id b2b.commission.report/999999."
                         % line_of(unknown, "999999"))
