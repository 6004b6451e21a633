import base64
import datetime
import io
import os
import subprocess
import tempfile

from lxml import html as lxml_html
from PyPDF2 import PdfFileReader, PdfFileWriter

from odoo import fields
from odoo.addons.b2b_base.tools import business_date
from odoo.exceptions import AccessError, UserError

from .common import DealerCase

PDFTOTEXT = "/usr/bin/pdftotext"


def blank_pdf():
    """A real one-page PDF, as 1C would send its signed act."""
    writer = PdfFileWriter()
    writer.addBlankPage(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class TestReconciliationAct(DealerCase):
    """A dealer requests a reconciliation act: the request is queued for 1C and the preliminary act,
    rendered from the ledger, is there at once; 1C's act replaces it later."""

    PERIOD = ("2026-02-01", "2026-03-31")

    @classmethod
    def setUpClass(cls):
        super(TestReconciliationAct, cls).setUpClass()
        cls.accountant = cls.env.ref("b2b_base.demo_user_accountant")
        Line = cls.env["b2b.settlement.line"]

        def line(contract, date, kind, number, debit=0.0, credit=0.0):
            return Line.create({
                "partner_id": contract.partner_id.id, "contract_id": contract.id, "date": date,
                "kind": kind, "doc_number": number, "debit": debit, "credit": credit,
                "due_date": date if debit else False,
                "b2b_onec_id": "test-act-%s-%s-%s" % (contract.id, date, number)})

        # «Альфа», contract А-001: before the period (opening 100 000 - 30 000 = 70 000) ...
        line(cls.c_alfa, "2026-01-10", "opening", "ОС-1", debit=100000)
        line(cls.c_alfa, "2026-01-31", "payment", "ПП-1", credit=30000)
        # ... in it (on both edges) ...
        line(cls.c_alfa, "2026-02-01", "shipment", "Р-101", debit=50000)
        line(cls.c_alfa, "2026-02-20", "payment", "ПП-7", credit=20000.50)
        line(cls.c_alfa, "2026-03-10", "return", "В-3", credit=1500)
        line(cls.c_alfa, "2026-03-31", "shipment", "Р-102", debit=1234.56)
        # ... and after it
        line(cls.c_alfa, "2026-04-01", "shipment", "Р-103", debit=99999)
        line(cls.c_alfa, "2026-04-15", "payment", "ПП-9", credit=5000)
        # another contract of the same dealer, in the period: not in А-001's act
        line(cls.c_alfa_retail, "2026-02-10", "shipment", "Р-555", debit=777777)
        # «Альфа-Юг» paid more than it was shipped: the supplier owes it
        line(cls.c_yug, "2026-01-15", "shipment", "Р-201", debit=10000)
        line(cls.c_yug, "2026-02-15", "payment", "ПП-20", credit=12500.25)

    # ------------------------------------------------------------------ helpers
    def request_act(self, user, contract, *period):
        # messages are checked in English; the demo dealers' own language is Russian
        return self.env["b2b.reconciliation.request"].sudo(user).with_context(
            lang="en_US").b2b_request_act(contract.id, *(period or self.PERIOD))

    def act_html(self, request):
        """The page the stored PDF is rendered from."""
        return lxml_html.fromstring(request._b2b_render_act_html())

    @staticmethod
    def cells(root, row):
        node = root.xpath("//tr[@data-b2b-row='%s']" % row)[0]
        return (node.xpath("string(td[@data-b2b-col='debit'])").strip(),
                node.xpath("string(td[@data-b2b-col='credit'])").strip())

    def counts(self):
        return (self.env["b2b.reconciliation.request"].search_count([]),
                self.env["b2b.document"].search_count([]),
                self.env["ir.attachment"].search_count([("res_model", "=", "b2b.document")]))

    # ------------------------------------------------------------------ the request
    def test_request_is_queued_with_preliminary_pdf(self):
        request = self.request_act(self.u_alfa_admin, self.c_alfa)
        self.assertEqual(request.env.uid, self.u_alfa_admin.id, "returned to the requester")
        request = request.sudo()
        self.assertEqual(request.state, "queued", "waits for the 1C bridge")
        self.assertEqual(request.user_id, self.u_alfa_admin)
        self.assertEqual((request.date_from, request.date_to), self.PERIOD)
        self.assertTrue(request.name.startswith("АС-"), request.name)
        self.assertIn(self.u_alfa_admin.partner_id, request.message_partner_ids,
                      "the requester follows the request")

        document = request.document_ids
        self.assertEqual(len(document), 1)
        self.assertEqual((document.kind, document.preliminary, document.contract_id,
                          document.partner_id), ("act", True, self.c_alfa, self.alfa))
        self.assertEqual(request.act_document_id, document)
        attachment = document.attachment_id
        self.assertEqual((attachment.res_model, attachment.res_id), ("b2b.document", document.id))
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertTrue(attachment.datas_fname.endswith(".pdf"), attachment.datas_fname)
        self.assertFalse(attachment.public)

        pdf = base64.b64decode(attachment.datas)
        self.assertTrue(pdf.startswith(b"%PDF-"), "a real PDF, not the HTML fallback of tests")
        self.assertGreater(len(pdf), 4096)
        self.assertGreaterEqual(PdfFileReader(io.BytesIO(pdf)).getNumPages(), 1)
        self.assertIn(b"/FontFile2", pdf, "text was set in an embedded font, not a blank page")
        if os.path.exists(PDFTOTEXT):
            with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
                handle.write(pdf)
                handle.flush()
                text = subprocess.check_output([PDFTOTEXT, "-layout", handle.name, "-"]).decode()
            for figure in ("70 000,00", "51 234,56", "21 500,50", "99 734,06"):
                self.assertIn(figure, text)
            self.assertNotIn("99 999,00", text)

        # the requester reads the request, its act and the act's file
        as_dealer = request.sudo(self.u_alfa_admin)
        self.assertEqual(as_dealer.document_ids.name, document.name)
        attachment.sudo(self.u_alfa_admin).check("read")
        self.assertTrue(attachment.sudo(self.u_alfa_admin).read(["datas"])[0]["datas"])

    def test_act_figures(self):
        """Opening balance from the lines before the period, the period's lines only, turnover,
        closing balance, and who the debt is in favour of."""
        request = self.request_act(self.u_alfa_buyer, self.c_alfa).sudo()
        root = self.act_html(request)
        self.assertEqual(self.cells(root, "opening"), ("70 000,00", ""))
        rows = root.xpath("//tr[@data-b2b-row='line']")
        self.assertEqual([row.xpath("string(td[1])") for row in rows],
                         ["01.02.2026", "20.02.2026", "10.03.2026", "31.03.2026"])
        self.assertEqual([(row.xpath("string(td[3])"), row.xpath("string(td[4])")) for row in rows],
                         [("50 000,00", ""), ("", "20 000,50"), ("", "1 500,00"), ("1 234,56", "")])
        self.assertIn("Р-101", rows[0].xpath("string(td[2])"))
        self.assertEqual(self.cells(root, "turnover"), ("51 234,56", "21 500,50"))
        self.assertEqual(self.cells(root, "closing"), ("99 734,06", ""))
        text = root.text_content()
        self.assertNotIn("777 777", text, "another contract's lines stay out")
        self.assertNotIn("99 999,00", text, "lines after the period stay out")
        closing = root.xpath("//p[@data-b2b-closing]")[0]
        self.assertEqual(closing.get("data-b2b-side"), "supplier")
        supplier = self.c_alfa.company_id.partner_id.name
        self.assertIn("99 734,06", closing.text_content())
        self.assertIn(supplier, closing.text_content())
        self.assertIn("31.03.2026", closing.text_content())
        # both parties, the contract and the period head the act; the act says it is preliminary
        for part in (supplier, self.alfa.name, self.c_alfa.name, "01.02.2026", "31.03.2026"):
            self.assertIn(part, text)
        self.assertTrue(root.xpath("//div[contains(@class, 'b2b-act-mark')]"))

    def test_act_in_favour_of_dealer(self):
        request = self.request_act(self.u_yug_admin, self.c_yug).sudo()
        root = self.act_html(request)
        self.assertEqual(self.cells(root, "opening"), ("10 000,00", ""))
        self.assertEqual(self.cells(root, "closing"), ("", "2 500,25"))
        closing = root.xpath("//p[@data-b2b-closing]")[0]
        self.assertEqual(closing.get("data-b2b-side"), "buyer")
        self.assertIn(self.yug.name, closing.text_content())
        self.assertIn("2 500,25", closing.text_content())

    def test_empty_period_prints_balances(self):
        request = self.request_act(self.u_alfa_admin, self.c_alfa, "2026-05-01", "2026-05-31")
        root = self.act_html(request.sudo())
        self.assertFalse(root.xpath("//tr[@data-b2b-row='line']"))
        opening = "194 733,06"   # 99 734,06 at the end of March + 99 999 - 5 000 in April
        self.assertEqual(self.cells(root, "opening"), (opening, ""))
        self.assertEqual(self.cells(root, "closing"), (opening, ""))
        self.assertEqual(self.cells(root, "turnover"), ("0,00", "0,00"))

    # ------------------------------------------------------------------ refusals
    def test_other_dealers_contract_refused(self):
        before = self.counts()
        for user, contract in ((self.u_beta_admin, self.c_alfa), (self.u_yug_admin, self.c_alfa),
                               (self.u_alfa_outlet, self.c_alfa), (self.u_alfa_admin, self.c_beta)):
            with self.assertRaises(AccessError) as caught:
                with self.cr.savepoint():
                    self.request_act(user, contract)
            self.assertIn("cannot request a reconciliation act", str(caught.exception.name))
        with self.assertRaises(AccessError):
            self.env["b2b.reconciliation.request"].sudo(self.u_alfa_admin).b2b_request_act(
                999999999, *self.PERIOD)
        self.assertEqual(self.counts(), before, "nothing was created")
        # the outlet user may ask for its own contract
        self.assertTrue(self.request_act(self.u_alfa_outlet, self.c_alfa_retail))

    def test_bad_periods_refused(self):
        today = business_date.today(self.env)
        tomorrow = fields.Date.to_string(today + datetime.timedelta(days=1))
        three_years_ago = fields.Date.to_string(today.replace(year=today.year - 3))
        before = self.counts()
        cases = [
            (("2026-03-31", "2026-02-01"), "after it ends"),
            (("2026-02-01", tomorrow), "in the future"),
            ((three_years_ago, fields.Date.to_string(today)), "longer than 3 years"),
            (("31.03.2026", "2026-03-31"), "not a date"),
            ((False, "2026-03-31"), "Choose both"),
        ]
        for (date_from, date_to), message in cases:
            with self.assertRaises(UserError, msg="%s - %s" % (date_from, date_to)) as caught:
                with self.cr.savepoint():
                    self.request_act(self.u_alfa_admin, self.c_alfa, date_from, date_to)
            self.assertIn(message, caught.exception.name)
            self.assertIn(self.c_alfa.name, caught.exception.name, "the message names the contract")
        self.assertEqual(self.counts(), before, "nothing was created")
        # a period ending today is fine
        self.assertTrue(self.request_act(self.u_alfa_admin, self.c_alfa, "2026-01-01",
                                         fields.Date.to_string(today)))

    # ------------------------------------------------------------------ 1C's act
    def test_onec_act_replaces_preliminary_and_notifies(self):
        request = self.request_act(self.u_alfa_buyer, self.c_alfa).sudo()
        preliminary = request.document_ids
        preliminary_file = preliminary.attachment_id
        Message = self.env["mail.message"]
        buyer = self.u_alfa_buyer.partner_id

        def notices():
            return Message.search([("model", "=", request._name), ("res_id", "=", request.id),
                                   ("message_type", "=", "comment"),
                                   ("partner_ids", "in", buyer.ids)])

        self.assertFalse(notices())
        signed = blank_pdf()
        act = request.sudo(self.accountant).b2b_receive_act(signed, number="АС-0042",
                                                            b2b_onec_id="1c-act-0042")
        request.invalidate_cache()
        self.assertEqual(request.state, "done")
        self.assertEqual(request.document_ids, act, "the dealer sees one act")
        self.assertEqual((act.preliminary, act.number, act.b2b_onec_id, act.kind, act.contract_id),
                         (False, "АС-0042", "1c-act-0042", "act", self.c_alfa))
        self.assertFalse(preliminary.exists(), "the preliminary act is gone")
        self.assertFalse(preliminary_file.exists(), "and its file")
        self.assertEqual(base64.b64decode(act.attachment_id.datas), signed)
        self.assertEqual(act.attachment_id.mimetype, "application/pdf")
        self.assertEqual(request.act_document_id, act)
        self.assertEqual(self.env["b2b.document"].sudo(self.u_alfa_buyer).search(
            [("request_id", "=", request.id)]), act)

        notice = notices()
        self.assertEqual(len(notice), 1, "the requester is told")
        self.assertIn("АС-0042", notice.body)
        self.assertTrue(self.env["mail.notification"].search([
            ("mail_message_id", "=", notice.id), ("res_partner_id", "=", buyer.id),
            ("is_email", "=", True)]), "by mail")
        # the requester reads the notice on the request (the portal shows it)
        self.assertIn(notice, request.sudo(self.u_alfa_buyer).message_ids)

        # the same act again: nothing changes, nobody is told twice
        again = request.sudo(self.accountant).b2b_receive_act(signed, number="АС-0042",
                                                              b2b_onec_id="1c-act-0042")
        self.assertEqual(again, act)
        self.assertEqual(len(notices()), 1)
        self.assertEqual(len(request.document_ids), 1)
        # a corrected act under the same 1C id replaces the file of the same document
        corrected = signed.replace(b"%PDF-1.3", b"%PDF-1.4") + b"\n% corrected\n"
        attachment = act.attachment_id
        request.sudo(self.accountant).b2b_receive_act(corrected, number="АС-0042",
                                                      b2b_onec_id="1c-act-0042")
        self.assertEqual(request.document_ids, act)
        self.assertEqual(act.attachment_id, attachment)
        self.assertEqual(base64.b64decode(act.attachment_id.datas), corrected)
        self.assertEqual(len(notices()), 2)

    def test_onec_act_must_be_a_pdf(self):
        request = self.request_act(self.u_alfa_admin, self.c_alfa).sudo()
        preliminary = request.document_ids
        with self.assertRaises(UserError) as caught:
            with self.cr.savepoint():
                request.sudo(self.accountant).b2b_receive_act(b"<html>not an act</html>")
        self.assertIn(request.name, caught.exception.name)
        request.invalidate_cache()
        self.assertEqual((request.state, request.document_ids), ("queued", preliminary))

    def test_dealer_cannot_post_an_act(self):
        request = self.request_act(self.u_alfa_admin, self.c_alfa)
        with self.assertRaises(AccessError):
            with self.cr.savepoint():
                request.b2b_receive_act(blank_pdf(), b2b_onec_id="forged")
        self.assertFalse(self.env["b2b.document"].search([("b2b_onec_id", "=", "forged")]))
        with self.assertRaises(AccessError):
            with self.cr.savepoint():
                request.action_refresh_preliminary_act()
        self.assertEqual(len(request.sudo().document_ids), 1)

    def test_print_again_from_backend(self):
        request = self.request_act(self.u_alfa_admin, self.c_alfa).sudo()
        action = request.sudo(self.accountant).action_print_act()
        self.assertEqual(action["report_name"], "b2b_base.report_reconciliation_act")
        # a manager of the dealer renders it as well
        ivan = self.env.ref("b2b_base.demo_user_manager_ivan")
        report = self.env.ref("b2b_base.action_report_reconciliation_act").sudo(ivan)
        root = lxml_html.fromstring(report.render_qweb_html(request.ids)[0])
        self.assertEqual(self.cells(root, "closing"), ("99 734,06", ""))
