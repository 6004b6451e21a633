import re

from odoo.tools import mute_logger

from .finance_common import FinanceHttpCase

PDF = b"%PDF-1.4\n% a printed form from 1C\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


class TestPortalFinanceDocuments(FinanceHttpCase):
    """Reconciliation acts, documents and quarterly reports over real HTTP: what each dealer user
    reaches through the portal's routes and through Odoo's own /web/content, and what never."""

    def post(self, path, data=None, files=None, csrf_from="/b2b/acts", **kwargs):
        return super(TestPortalFinanceDocuments, self).post(path, data, files=files,
                                                            csrf_from=csrf_from, **kwargs)

    def document(self, name, contract=None, kind="invoice", order=None, partner=None, data=PDF,
                 filename=None):
        vals = {"b2b_onec_id": "portal-doc-%s" % name, "name": name, "kind": kind,
                "number": name.upper()}
        if contract:
            vals["contract_id"] = contract.id
        if order:
            vals["order_id"] = order.id
        if partner:
            vals["partner_id"] = partner.id
        return self.env["b2b.document"].b2b_upsert_document(vals, data, filename or "%s.pdf" % name)

    def listed_documents(self, path="/b2b/documents"):
        return {int(found) for found in re.findall(
            r'class="o_b2b_document_row" data-document-id="(\d+)"', self.page(path))}

    def request_act(self, contract, date_from, date_to):
        return self.post("/b2b/acts", {"contract_id": str(contract.id), "date_from": date_from,
                                       "date_to": date_to}, allow_redirects=False)

    def requests_of(self, contract):
        return self.env["b2b.reconciliation.request"].search([("contract_id", "=", contract.id)])

    def error_of(self, html):
        found = re.search(r'class="alert alert-danger o_b2b_error">(.*?)</div>', html, re.S)
        self.assertTrue(found, "no error shown: %s" % html[:300])
        return found.group(1)

    # ------------------------------------------------------------------ acts
    def test_act_request_is_queued_with_a_preliminary_pdf(self):
        with self.saved():
            self.post_line(self.c_alfa, "opening", -60, debit=250)
            self.post_line(self.c_alfa, "shipment", -20, debit=1000, due=10, number="РН-20")
            self.post_line(self.c_alfa, "payment", -3, credit=400, number="ПП-3")
        self.login(self.u_alfa_buyer)
        answer = self.request_act(self.c_alfa, self.day(-30), self.day(0))
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        self.settle()
        self.env.cache.invalidate()
        act_request = self.requests_of(self.c_alfa)
        self.assertEqual(len(act_request), 1)
        self.assertTrue(answer.headers["Location"].endswith("/b2b/acts?requested=%d" % act_request.id))
        self.assertEqual(act_request.state, "queued", "queued for 1C")
        self.assertEqual(act_request.user_id, self.u_alfa_buyer)
        self.assertEqual((act_request.date_from, act_request.date_to), (self.day(-30), self.day(0)))
        preliminary = act_request.document_ids
        self.assertEqual(len(preliminary), 1)
        self.assertTrue(preliminary.preliminary)
        self.assertEqual(preliminary.kind, "act")

        html = self.page("/b2b/acts?requested=%d" % act_request.id)
        self.assertIn("o_b2b_act_requested", html)
        row = re.search(r'<tr class="o_b2b_act_row" data-request-id="%d" data-state="queued">(.*?)</tr>'
                        % act_request.id, html, re.S)
        self.assertTrue(row, html[:1000])
        self.assertIn('data-document-id="%d" data-preliminary="1"' % preliminary.id, row.group(1))
        self.assertIn("o_b2b_act_preliminary", row.group(1))

        pdf = self.get("/b2b/document/%d" % preliminary.id)
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertIn(".pdf", pdf.headers["Content-Disposition"])
        self.assertTrue(pdf.content.startswith(b"%PDF-"))

        # 1C's act arrives: it replaces the preliminary one
        with self.saved():
            act_request.b2b_receive_act(PDF, number="АС-77", b2b_onec_id="portal-act-77")
        html = self.page("/b2b/acts")
        row = re.search(r'<tr class="o_b2b_act_row" data-request-id="%d" data-state="done">(.*?)</tr>'
                        % act_request.id, html, re.S)
        self.assertTrue(row, "the request is done")
        self.assertIn('data-preliminary="0"', row.group(1))
        self.assertNotIn('data-preliminary="1"', row.group(1))
        final = self.env["b2b.document"].search([("b2b_onec_id", "=", "portal-act-77")])
        self.assertEqual(self.get("/b2b/document/%d" % final.id).content, PDF)

    def test_bad_act_period_is_told_and_nothing_is_created(self):
        self.login(self.u_alfa_admin)
        for date_from, date_to in ((self.day(0), self.day(-10)),      # reversed
                                   ("2024-02-31", self.day(0)),       # no such day
                                   ("", self.day(0)),                 # missing
                                   (self.day(-10), self.day(30))):    # ends in the future
            answer = self.request_act(self.c_alfa, date_from, date_to)
            self.assertEqual(answer.status_code, 200, "%s..%s: %s" % (date_from, date_to, answer.text[:300]))
            self.assertTrue(self.error_of(answer.text).strip(), (date_from, date_to))
            # the form keeps what was typed
            self.assertIn('value="%s"' % date_to, answer.text)
        self.settle()
        self.env.cache.invalidate()
        self.assertFalse(self.requests_of(self.c_alfa))
        self.assertFalse(self.env["b2b.document"].search([("kind", "=", "act"),
                                                          ("contract_id", "=", self.c_alfa.id)]))

    def test_acts_of_another_dealer_or_contract_are_unreachable(self):
        with self.saved():
            alfa_request = self.env["b2b.reconciliation.request"].sudo(self.u_alfa_buyer).b2b_request_act(
                self.c_alfa.id, self.day(-30), self.day(0))
            act = alfa_request.sudo().document_ids
        self.login(self.u_beta_admin)
        with mute_logger("odoo.http", "werkzeug"):
            # a forged contract: 404, nothing created
            self.assertEqual(self.request_act(self.c_alfa, self.day(-30), self.day(0)).status_code, 404)
        html = self.page("/b2b/acts")
        self.assertNotIn('data-request-id="%d"' % alfa_request.id, html)
        self.page("/b2b/document/%d" % act.id, status=404)
        # the outlet user of «Альфа» does not see requests of the main contract either
        self.login(self.u_alfa_outlet)
        self.assertNotIn('data-request-id="%d"' % alfa_request.id, self.page("/b2b/acts"))
        self.page("/b2b/document/%d" % act.id, status=404)
        self.assertEqual(self.request_act(self.c_alfa, self.day(-30), self.day(0)).status_code, 404)
        self.settle()
        self.env.cache.invalidate()
        self.assertEqual(self.requests_of(self.c_alfa), alfa_request)
        self.assertFalse(self.requests_of(self.c_beta))
        # the administrator of «Альфа» sees the buyer's request and its act
        self.login(self.u_alfa_admin)
        self.assertIn('data-request-id="%d"' % alfa_request.id, self.page("/b2b/acts"))
        self.assertEqual(self.get("/b2b/document/%d" % act.id).status_code, 200)

    # ------------------------------------------------------------------ documents
    def test_documents_list_filters_and_download(self):
        with self.saved():
            invoice = self.document("inv-1", self.c_alfa, "invoice")
            upd = self.document("upd-1", self.c_alfa_retail, "upd")
            general = self.document("letter-1", kind="other", partner=self.alfa)
            beta = self.document("beta-inv-1", self.c_beta, "invoice")
            sheet = self.document("closing-1", self.c_alfa, "closing", data=b"PK\x03\x04 not really a zip",
                                  filename="closing-1.xlsx")
        self.login(self.u_alfa_admin)
        mine = {invoice.id, upd.id, general.id, sheet.id}
        self.assertEqual(self.listed_documents() & (mine | {beta.id}), mine)
        self.assertEqual(self.listed_documents("/b2b/documents?kind=upd") & mine, {upd.id})
        self.assertEqual(self.listed_documents("/b2b/documents?contract_id=%d" % self.c_alfa.id) & mine,
                         {invoice.id, sheet.id})
        answer = self.get("/b2b/document/%d" % invoice.id)
        self.assertEqual((answer.status_code, answer.headers["Content-Type"]), (200, "application/pdf"))
        self.assertIn("inv-1.pdf", answer.headers["Content-Disposition"])
        self.assertEqual(answer.content, PDF)
        answer = self.get("/b2b/document/%d" % sheet.id)
        self.assertIn("spreadsheetml", answer.headers["Content-Type"])
        self.assertIn("closing-1.xlsx", answer.headers["Content-Disposition"])
        # the outlet user: its contract's documents only (not the dealer's general ones)
        self.login(self.u_alfa_outlet)
        self.assertEqual(self.listed_documents() & (mine | {beta.id}), {upd.id})
        for hidden in (invoice, general, sheet, beta):
            self.page("/b2b/document/%d" % hidden.id, status=404)
        self.page("/b2b/documents?contract_id=%d" % self.c_alfa.id, status=404)
        # «Бета»: its own only
        self.login(self.u_beta_buyer)
        self.assertEqual(self.listed_documents() & (mine | {beta.id}), {beta.id})
        self.page("/b2b/documents?contract_id=%d" % self.c_alfa.id, status=404)
        self.page("/b2b/document/999999999", status=404)

    def test_documents_are_paged(self):
        with self.saved():
            made = {self.document("paged-%02d" % number, self.c_alfa_retail, "upd").id
                    for number in range(25)}
        self.login(self.u_alfa_outlet)
        first = self.listed_documents("/b2b/documents?kind=upd")
        second = self.listed_documents("/b2b/documents/page/2?kind=upd")
        self.assertEqual((len(first), len(second)), (20, 5))
        self.assertEqual(first | second, made)
        # past the end: back to the last page
        answer = self.get("/b2b/documents/page/9?kind=upd", allow_redirects=False)
        self.assertEqual(answer.status_code, 303)

    def test_files_unreachable_through_web_content_for_other_dealers(self):
        with self.saved():
            invoice = self.document("inv-web-1", self.c_alfa, "invoice")
        attachment = invoice.attachment_id
        self.assertEqual((attachment.res_model, attachment.res_id), ("b2b.document", invoice.id))
        paths = ("/web/content/%d" % attachment.id,
                 "/web/content/%d/inv-web-1.pdf" % attachment.id,
                 "/web/content/b2b.document/%d/file_data" % invoice.id,
                 "/web/content/ir.attachment/%d/datas" % attachment.id,
                 "/web/image/%d" % attachment.id)
        # the dealer's own users get the file through Odoo's route as well (the check is real)
        self.login(self.u_alfa_buyer)
        self.assertEqual(self.get(paths[0]).content, PDF)
        for user in (self.u_beta_admin, self.u_beta_buyer, self.u_alfa_outlet):
            self.login(user)
            for path in paths:
                answer = self.get(path)
                self.assertNotEqual(answer.status_code, 200, "%s reached %s" % (user.login, path))
                self.assertNotIn(b"%PDF", answer.content, "%s reached %s" % (user.login, path))

    def test_order_page_lists_its_documents(self):
        with self.saved():
            order_id = self.env["sale.order"].sudo(self.u_alfa_buyer).b2b_place_order(
                self.c_alfa.id, [(self.mixer.id, 2)])
            order = self.env["sale.order"].browse(order_id)
            invoice = self.document("order-inv-1", kind="invoice", order=order)
            upd = self.document("order-upd-1", kind="upd", order=order)
            self.document("other-inv-1", self.c_alfa, "invoice")
        self.login(self.u_alfa_admin)
        html = self.page("/b2b/orders/%d" % order.id)
        block = re.search(r'id="o_b2b_order_documents">(.*?)</ul>', html, re.S)
        self.assertTrue(block, "the documents block of the order")
        listed = {int(found) for found in re.findall(r'class="o_b2b_order_document" data-document-id="(\d+)"',
                                                      block.group(1))}
        self.assertEqual(listed, {invoice.id, upd.id})
        self.assertIn('href="/b2b/document/%d"' % invoice.id, block.group(1))
        self.assertEqual(invoice.contract_id, self.c_alfa, "the order's contract")
        # an order without documents shows no block
        with self.saved():
            bare = self.env["sale.order"].sudo(self.u_alfa_buyer).b2b_place_order(
                self.c_alfa.id, [(self.mixer.id, 1)])
        self.assertNotIn('class="o_b2b_order_document"', self.page("/b2b/orders/%d" % bare))

    # ------------------------------------------------------------------ quarterly reports
    def test_quarterly_report_of_special_conditions_contracts(self):
        with self.saved():
            report = self.env["b2b.quarter.report"].b2b_upsert_quarter_report({
                "b2b_onec_id": "portal-q-1", "contract_id": self.c_beta_special.id, "year": 2024,
                "quarter": 2, "date": "2024-07-05", "commitment_amount": 1000000.0,
                "actual_amount": 850000.0, "installment_days": 60,
                "lines": [{"group": "Смесители", "plan": 600000.0, "actual": 650000.0},
                          {"group": "Мойки", "plan": 400000.0, "actual": 200000.0}]})
        self.login(self.u_beta_admin)
        self.assertIn('href="/b2b/finance/quarter"', self.page("/b2b/finance"))
        html = self.page("/b2b/finance/quarter")
        found = re.search(r'class="panel panel-default o_b2b_quarter_report" data-report-id="%d"(.*?)</table>'
                          % report.id, html, re.S)
        self.assertTrue(found, html[:1000])
        block = found.group(1)
        self.assertEqual(self.value(block, "o_b2b_quarter_commitment"), 1000000.0)
        self.assertEqual(self.value(block, "o_b2b_quarter_actual"), 850000.0)
        self.assertEqual(self.value(block, "o_b2b_quarter_percent"), 85.0)
        self.assertEqual(self.values(block, "o_b2b_quarter_line_percent"), [108.33, 50.0])
        self.assertIn("Смесители", block)
        # «Альфа» has no special-conditions contract: no tab, and the page says so
        self.login(self.u_alfa_admin)
        self.assertNotIn('href="/b2b/finance/quarter"', self.page("/b2b/finance"))
        html = self.page("/b2b/finance/quarter")
        self.assertIn("o_b2b_quarter_none", html)
        self.assertNotIn("o_b2b_quarter_report", html)
