import base64
import io

import babel.dates
import openpyxl
from lxml import html

from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_portal.tests.test_portal_cart import CartPageCase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TestPortalCommission(CartPageCase):
    """«Альфа-Дилер» is a commission agent (b2b_commission's demo): under its main contract it
    holds 7 mixers (10 handed over, 2 sold, 1 returned) and 5 goods «только для Альфы» on
    consignment, for a commission of 10 % of the sale amount. «Бета-Трейд» is not an agent."""

    def setUp(self):
        super(TestPortalCommission, self).setUp()
        self.month = business_date.today(self.env).strftime("%Y-%m")
        with self.saved():
            self.env.cr.execute(
                "DELETE FROM b2b_consignment_line WHERE contract_id = %s", (self.c_alfa.id,))
            self.env.cr.execute(
                "DELETE FROM b2b_commission_report WHERE partner_id = %s AND period >= %s",
                (self.alfa.id, self.month + "-01"))
            self.env.cache.invalidate()
            Line = self.env["b2b.consignment.line"]
            today = business_date.today(self.env).isoformat()
            Line.create({"contract_id": self.c_alfa.id, "product_id": self.mixer.id, "qty": 7,
                         "qty_handed": 10, "qty_sold": 2, "qty_returned": 1, "price_unit": 1200,
                         "date": today})
            Line.create({"contract_id": self.c_alfa.id, "product_id": self.exclusive.id,
                         "qty": 5, "qty_handed": 5, "price_unit": 800, "date": today})
            self.c_alfa.b2b_commission_term_ids.unlink()
            self.env["b2b.commission.term"].create({"contract_id": self.c_alfa.id,
                                                    "percent": 10})
        self.sku_mixer = self.mixer.default_code
        self.sku_exclusive = self.exclusive.default_code

    # ------------------------------------------------------------------ helpers
    def tree(self, answer, status=200):
        self.assertEqual(answer.status_code, status, answer.text[:500])
        return html.fromstring(answer.text)

    def download(self, contract=None, month=None):
        answer = self.get("/b2b/commission/%d/list.xlsx?month=%s" % (
            (contract or self.c_alfa).id, month or self.month))
        self.assertEqual(answer.status_code, 200, answer.text[:500])
        self.assertEqual(answer.headers["Content-Type"], XLSX)
        return answer.content

    def filled(self, data, rows):
        """The downloaded form with ``rows`` [(sku, sold, price)] filled in: the row of the SKU
        the first time, a new row below the table after that (another price)."""
        book = openpyxl.load_workbook(io.BytesIO(data))
        sheet = book.worksheets[0]
        header = columns = None
        for row in sheet.iter_rows():
            titles = {str(cell.value).strip(): cell.column for cell in row if cell.value}
            if "Артикул" in titles:
                header, columns = row[0].row, titles
                break
        self.assertTrue(header, "no header in the form")
        sku_col, sold_col, price_col = (columns["Артикул"], columns["Продано, шт"],
                                        columns["Цена продажи"])
        by_sku = {sheet.cell(row=number, column=sku_col).value: number
                  for number in range(header + 1, sheet.max_row + 1)}
        next_row = sheet.max_row + 1
        used = set()
        for sku, sold, price in rows:
            number = by_sku.get(sku)
            if number is None or number in used:
                number = next_row
                next_row += 1
                sheet.cell(row=number, column=sku_col, value=sku)
            used.add(number)
            sheet.cell(row=number, column=sold_col, value=sold)
            sheet.cell(row=number, column=price_col, value=price)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()

    def upload(self, data, contract=None, month=None, name="отчёт.xlsx"):
        return self.post("/b2b/commission/upload", {
            "contract_id": (contract or self.c_alfa).id, "month": month or self.month},
            files={"report_file": (name, data, XLSX)}, allow_redirects=False,
            csrf_from="/b2b/commission")

    def uploaded_report_id(self, answer):
        self.assertEqual(answer.status_code, 303, answer.text[:2000])
        prefix = self.url("/b2b/commission/report/")
        self.assertTrue(answer.headers["Location"].startswith(prefix), answer.headers["Location"])
        return int(answer.headers["Location"][len(prefix):])

    def reports(self):
        self.settle()
        self.env.cache.invalidate()
        return self.env["b2b.commission.report"].search([
            ("partner_id", "=", self.alfa.id), ("period", "=", self.month + "-01")])

    def text(self, node, path):
        return " ".join(node.xpath("string(%s)" % path).split())

    # ------------------------------------------------------------------ tests
    def test_agent_fills_the_form_uploads_it_sees_the_commission_and_submits(self):
        self.login(self.u_alfa_admin, lang="en_US")
        # the menu and the dashboard lead to the agent's page
        home = self.tree(self.get("/my"))
        self.assertTrue(home.xpath("//li[contains(@class, 'o_b2b_nav_commission')]/a[@href='/b2b/commission']"))
        self.assertTrue(home.xpath("//a[contains(@class, 'o_b2b_shortcut_commission')]"))
        page = self.tree(self.get("/b2b/commission"))
        panel = page.xpath("//div[contains(@class, 'o_b2b_consignment')][@data-contract-id='%d']"
                           % self.c_alfa.id)
        self.assertEqual(len(panel), 1)
        lines = {row.get("data-sku"): row for row in
                 panel[0].xpath(".//tr[contains(@class, 'o_b2b_consignment_line')]")}
        self.assertEqual(set(lines), {self.sku_mixer, self.sku_exclusive})
        self.assertEqual(lines[self.sku_mixer].get("data-remaining"), "7")
        self.assertEqual([" ".join(td.text_content().split()) for td in lines[self.sku_mixer].xpath("td")][3:],
                         ["10", "2", "1", "7", "1,200.00"])
        months = panel[0].xpath(".//select[@name='month']/option/@value")
        self.assertEqual(months[0], self.month)
        self.assertEqual(len(months), 3)
        # the month just ended is offered: the one an agent reports
        self.assertEqual(panel[0].xpath(".//select[@name='month']/option[@selected]/@value"),
                         [months[1]])

        # the form of the month, filled in: 3 mixers at 1 500 and 2 more at 1 400
        data = self.filled(self.download(), [(self.sku_mixer, 3, 1500), (self.sku_mixer, 2, 1400)])
        report_id = self.uploaded_report_id(self.upload(data))
        report = self.reports()
        self.assertEqual(report.ids, [report_id])
        self.assertEqual(report.state, "draft")

        # the preview: two lines, the commission of each and the total
        preview = self.tree(self.get("/b2b/commission/report/%d" % report_id))
        lines = preview.xpath("//tr[contains(@class, 'o_b2b_commission_line')]")
        self.assertEqual([row.get("data-commission") for row in lines], ["450.00", "280.00"])
        self.assertEqual(preview.xpath("//*[contains(@class, 'o_b2b_commission_total')]/@data-amount"),
                         ["730.00"])
        self.assertEqual(self.text(preview, "//*[contains(@class, 'o_b2b_commission_amount')]"),
                         "7,300.00")
        self.assertTrue(preview.xpath("//form[contains(@class, 'o_b2b_commission_submit_form')]"))

        # sent for approval: no more submit, the report listed as submitted
        answer = self.post("/b2b/commission/report/%d/submit" % report_id, allow_redirects=False,
                           csrf_from="/b2b/commission/report/%d" % report_id)
        self.assertEqual(answer.status_code, 303, answer.text[:1000])
        self.assertEqual(self.reports().state, "submitted")
        shown = self.tree(self.get("/b2b/commission/report/%d" % report_id))
        self.assertTrue(shown.xpath("//*[contains(@class, 'o_b2b_commission_notice')]"))
        self.assertEqual(shown.xpath("//*[contains(@class, 'o_b2b_commission_state')]/@data-state"),
                         ["submitted"])
        self.assertFalse(shown.xpath("//form[contains(@class, 'o_b2b_commission_submit_form')]"))
        self.assertFalse(shown.xpath("//form[contains(@class, 'o_b2b_commission_delete_form')]"))
        listed = self.tree(self.get("/b2b/commission")).xpath(
            "//tr[contains(@class, 'o_b2b_commission_report_row')][@data-report-id='%d']" % report_id)
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0].get("data-state"), "submitted")
        # a submitted report is not replaced by a new file
        answer = self.upload(data)
        self.assertEqual(answer.status_code, 200)
        self.assertIn("cannot be replaced", self.text(self.tree(answer), "//*[contains(@class, 'o_b2b_error')]"))

    def test_bad_rows_are_listed_with_the_marked_file_and_nothing_is_saved(self):
        self.login(self.u_alfa_admin, lang="en_US")
        data = self.filled(self.download(), [(self.sku_mixer, 100, 1500),
                                             (self.sku_exclusive, "много", 800),
                                             ("NO-SUCH-SKU-1", 1, 10)])
        answer = self.upload(data, name="мой отчёт.xlsx")
        tree = self.tree(answer)
        problems = [" ".join(li.text_content().split())
                    for li in tree.xpath("//li[contains(@class, 'o_b2b_commission_problem')]")]
        self.assertGreaterEqual(len(problems), 3, problems)
        self.assertTrue(any("NO-SUCH-SKU-1" in problem for problem in problems), problems)
        self.assertTrue(any("много" in problem for problem in problems), problems)
        link = tree.xpath("//a[contains(@class, 'o_b2b_commission_marked')]")
        self.assertEqual(len(link), 1)
        self.assertTrue(link[0].get("download").endswith(".xlsx"), link[0].get("download"))
        head, encoded = link[0].get("href").split(",", 1)
        self.assertEqual(head, "data:%s;base64" % XLSX)
        marked = openpyxl.load_workbook(io.BytesIO(base64.b64decode(encoded))).worksheets[0]
        notes = [cell.value for row in marked.iter_rows() for cell in row
                 if isinstance(cell.value, str) and "NO-SUCH-SKU-1" in cell.value]
        self.assertTrue(notes or any(cell.value == "NO-SUCH-SKU-1" for row in marked.iter_rows()
                                     for cell in row))
        self.assertFalse(self.reports())
        # the form keeps the contract and the month chosen
        self.assertEqual(tree.xpath("//select[@id='o_b2b_commission_upload_month']/option[@selected]/@value"),
                         [self.month])
        # a file that is not a workbook: the reason, no marked file
        tree = self.tree(self.upload(b"not a workbook", name="report.xlsx"))
        self.assertTrue(tree.xpath("//li[contains(@class, 'o_b2b_commission_problem')]"))
        self.assertFalse(tree.xpath("//a[contains(@class, 'o_b2b_commission_marked')]"))
        self.assertFalse(self.reports())

    def test_a_new_file_replaces_the_draft_and_a_rejected_report_is_corrected(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        form = self.download()
        first = self.uploaded_report_id(self.upload(self.filled(form, [(self.sku_mixer, 3, 1500)])))
        second = self.uploaded_report_id(self.upload(self.filled(form, [
            (self.sku_mixer, 1, 1500), (self.sku_exclusive, 4, 900)])))
        self.assertEqual(first, second)
        report = self.reports()
        self.assertEqual(len(report), 1)
        self.assertEqual(sorted((line.product_id.default_code, line.qty_sold) for line in report.line_ids),
                         sorted([(self.sku_mixer, 1.0), (self.sku_exclusive, 4.0)]))
        # the supplier rejects it: the reason shows, the agent puts it back to draft
        with self.saved():
            self.env.cr.execute("UPDATE b2b_commission_report SET state = 'rejected', "
                                "reject_reason = %s WHERE id = %s",
                                ("Цена миксера ниже допустимой", report.id))
        page = self.tree(self.get("/b2b/commission/report/%d" % report.id))
        self.assertEqual(self.text(page, "//*[contains(@class, 'o_b2b_commission_reject_reason')]"),
                         "Цена миксера ниже допустимой")
        self.assertFalse(page.xpath("//form[contains(@class, 'o_b2b_commission_submit_form')]"))
        answer = self.post("/b2b/commission/report/%d/reset" % report.id, allow_redirects=False,
                           csrf_from="/b2b/commission/report/%d" % report.id)
        self.assertEqual(answer.status_code, 303, answer.text[:1000])
        self.assertEqual(self.reports().state, "draft")
        page = self.tree(self.get("/b2b/commission/report/%d" % report.id))
        self.assertTrue(page.xpath("//form[contains(@class, 'o_b2b_commission_submit_form')]"))
        self.assertFalse(page.xpath("//*[contains(@class, 'o_b2b_commission_rejected')]"))

    def test_approved_report_shows_its_closing_documents(self):
        self.login(self.u_alfa_admin, lang="en_US")
        report_id = self.uploaded_report_id(self.upload(self.filled(
            self.download(), [(self.sku_mixer, 3, 1500)])))
        with self.saved():
            self.env.cr.execute("UPDATE b2b_commission_report SET state = 'approved' WHERE id = %s",
                                (report_id,))
            report = self.env["b2b.commission.report"].browse(report_id)
            report.invalidate_cache()
            document = self.env["b2b.document"].create({
                "name": "Отчёт комиссионера ОК-17", "number": "ОК-17", "kind": "closing",
                "partner_id": self.alfa.id, "contract_id": self.c_alfa.id,
                "commission_report_id": report_id, "file_name": "ok-17.txt",
                "file_data": base64.b64encode("Отчёт комиссионера ОК-17".encode())})
            report.message_post(body="Отчёт принят, документы отправлены.",
                                message_type="comment", subtype="mail.mt_comment")
        page = self.tree(self.get("/b2b/commission/report/%d" % report_id))
        self.assertEqual(page.xpath("//*[contains(@class, 'o_b2b_commission_state')]/@data-state"),
                         ["approved"])
        for form in ("submit", "reset", "delete"):
            self.assertFalse(page.xpath("//form[contains(@class, 'o_b2b_commission_%s_form')]" % form))
        links = page.xpath("//li[contains(@class, 'o_b2b_commission_document')]//a/@href")
        self.assertEqual(links, ["/b2b/document/%d" % document.id])
        self.assertIn("ОК-17", self.text(page, "//ul[contains(@class, 'o_b2b_commission_documents')]"))
        self.assertIn("Отчёт принят, документы отправлены.",
                      self.text(page, "//body"))
        answer = self.get(links[0])
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(answer.content.decode(), "Отчёт комиссионера ОК-17")

    def test_agent_deletes_a_draft(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        report_id = self.uploaded_report_id(self.upload(self.filled(
            self.download(), [(self.sku_mixer, 3, 1500)])))
        answer = self.post("/b2b/commission/report/%d/delete" % report_id, allow_redirects=False,
                           csrf_from="/b2b/commission/report/%d" % report_id)
        self.assertEqual(answer.status_code, 303, answer.status_code == 200 and self.text(
            html.fromstring(answer.text), "//*[contains(@class, 'o_b2b_error')]"))
        self.assertEqual(answer.headers["Location"], self.url("/b2b/commission"))
        self.assertFalse(self.reports())
        page = self.tree(self.get("/b2b/commission"))
        self.assertTrue(page.xpath("//*[contains(@class, 'o_b2b_commission_notice')]"))
        self.assertEqual(self.get("/b2b/commission/report/%d" % report_id).status_code, 404)

    def test_another_dealer_reaches_nothing_of_the_agent(self):
        self.login(self.u_alfa_admin, lang="en_US")
        report_id = self.uploaded_report_id(self.upload(self.filled(
            self.download(), [(self.sku_mixer, 3, 1500)])))
        # «Альфа» cannot ask for «Бета»'s contract either
        self.assertEqual(self.get("/b2b/commission/%d/list.xlsx?month=%s" % (
            self.c_beta.id, self.month)).status_code, 404)
        self.login(self.u_beta_admin, lang="en_US")
        page = self.tree(self.get("/b2b/commission"))
        self.assertTrue(page.xpath("//*[contains(@class, 'o_b2b_commission_not_agent')]"))
        self.assertFalse(page.xpath("//li[contains(@class, 'o_b2b_nav_commission')]"))
        self.assertFalse(self.tree(self.get("/my")).xpath(
            "//a[contains(@class, 'o_b2b_shortcut_commission')]"))
        self.assertEqual(self.get("/b2b/commission/report/%d" % report_id).status_code, 404)
        self.assertEqual(self.get("/b2b/commission/%d/list.xlsx?month=%s" % (
            self.c_alfa.id, self.month)).status_code, 404)
        self.assertEqual(self.upload(b"x").status_code, 404)
        for action in ("submit", "reset", "delete"):
            answer = self.post("/b2b/commission/report/%d/%s" % (report_id, action),
                               allow_redirects=False, csrf_from="/b2b/commission")
            self.assertEqual(answer.status_code, 404, action)
        self.assertEqual(self.reports().ids, [report_id])
        self.assertEqual(self.reports().state, "draft")

    def test_pages_in_russian(self):
        self.login(self.u_alfa_admin)
        page = self.tree(self.get("/ru_RU/b2b/commission"))
        self.assertEqual(self.text(page, "//h2"), "Отчёты комиссионера")
        self.assertEqual(self.text(page, "//button[contains(@class, 'o_b2b_commission_download')]"),
                         "Скачать бланк отчёта (xlsx)")
        self.assertEqual(self.text(page, "//li[contains(@class, 'o_b2b_nav_commission')]"),
                         "Отчёты комиссионера")
        self.assertEqual(page.xpath("//select[@name='month']/option/text()")[0],
                         babel.dates.format_date(business_date.today(self.env).replace(day=1),
                                                 "LLLL yyyy", locale="ru_RU"))
        data = self.filled(self.download(), [(self.sku_mixer, 3, 1500)])
        report_id = self.uploaded_report_id(self.upload(data))
        report = self.tree(self.get("/ru_RU/b2b/commission/report/%d" % report_id))
        self.assertEqual(self.text(report, "//button[contains(@class, 'o_b2b_commission_submit')]"),
                         "Отправить на согласование")
        self.assertEqual(self.text(report, "//th[contains(@class, 'o_b2b_commission_total_label')]"), "Итого")
        self.assertIn("Комиссия", self.text(report, "//table[contains(@class, 'o_b2b_commission_lines')]//thead"))
        # a dealer that is not an agent is told so in Russian
        self.login(self.u_beta_admin)
        page = self.tree(self.get("/ru_RU/b2b/commission"))
        self.assertIn("не хранит товары поставщика на комиссии",
                      self.text(page, "//*[contains(@class, 'o_b2b_commission_not_agent')]"))
