"""The commission agent's round trip through the report model's portal API, as the agent's user:
the consignment list downloaded, filled in, uploaded (a draft with the commission from the
contract's terms, or the located problems and the agent's own file marked with nothing saved),
re-uploaded, submitted, rejected, approved, its closing documents from 1C; the notices the agent
gets at each step; another agent's contract and report out of reach."""
import base64
import io

import openpyxl

from odoo.exceptions import AccessError, MissingError, UserError

from .common import CommissionCase

MONTH = "2024-05"


class TestCommissionUpload(CommissionCase):

    def setUp(self):
        super(TestCommissionUpload, self).setUp()
        self.env.user.company_id.partner_id.tz = "Europe/Moscow"
        for user in (self.agent_user, self.other_agent_user):
            user.b2b_role = "admin"
        price_type = self.env["b2b.price.type"].create({"name": "Комиссия"})
        Contract = self.env["b2b.contract"]
        self.contract = Contract.create({"name": "К-7/2024", "partner_id": self.agent.id,
                                         "price_type_id": price_type.id})
        self.other_contract = Contract.create({"name": "К-9/2024", "partner_id": self.other_agent.id,
                                               "price_type_id": price_type.id})
        tools = self.env["product.category"].create({"name": "Инструмент"})
        self.drill.write({"default_code": "DR-1", "categ_id": tools.id})
        self.saw.default_code = "SAW-2"
        self.hose = self.env["product.product"].create({
            "name": "Шланг", "type": "consu", "default_code": "HS-3"})
        Line = self.env["b2b.consignment.line"]
        for product, qty in ((self.drill, 5), (self.saw, 4), (self.hose, 10)):
            Line.create({"contract_id": self.contract.id, "product_id": product.id, "qty": qty,
                         "qty_handed": qty, "price_unit": 1000.0, "date": "2024-05-01"})
        Line.create({"contract_id": self.other_contract.id, "product_id": self.saw.id, "qty": 2,
                     "price_unit": 1000.0, "date": "2024-05-01"})
        Term = self.env["b2b.commission.term"]
        Term.create({"contract_id": self.contract.id, "percent": 10.0})
        Term.create({"contract_id": self.contract.id, "categ_id": tools.id, "percent": 15.0})
        self.api = self.env["b2b.commission.report"].sudo(self.agent_user)

    def filled(self, sold, contract=None, month=MONTH, user=None):
        """The list downloaded as ``user`` and filled in: ``sold`` {SKU: [(qty, price), ...]},
        a second sale of a SKU on a row added below the table."""
        api = self.api if user is None else self.env["b2b.commission.report"].sudo(user)
        got = api.b2b_list_workbook((contract or self.contract).id, month)
        book = openpyxl.load_workbook(io.BytesIO(got["data"]))
        sheet = book.active
        header = next(row[0].row for row in sheet.iter_rows() if row[0].value == "Артикул")
        titles = [cell.value for cell in sheet[header]]
        qty_col, price_col = titles.index("Продано, шт") + 1, titles.index("Цена продажи") + 1
        rows = {sheet.cell(row=r, column=1).value: r for r in range(header + 1, sheet.max_row + 1)
                if sheet.cell(row=r, column=1).value}
        extra = max(rows.values(), default=header) + 1   # the first row below the table
        for sku, sales in sold.items():
            for number, (qty, price) in enumerate(sales):
                row = rows[sku] if number == 0 and sku in rows else extra
                if row == extra:
                    sheet.cell(row=row, column=1, value=sku)
                    extra += 1
                sheet.cell(row=row, column=qty_col, value=qty)
                sheet.cell(row=row, column=price_col, value=price)
        out = io.BytesIO()
        book.save(out)
        return got["name"], out.getvalue()

    def upload(self, sold, **kwargs):
        name, data = self.filled(sold, **kwargs)
        return self.api.b2b_upload(self.contract.id, MONTH, name, data)

    def test_download_fill_upload_gives_a_draft_with_its_commission(self):
        got = self.api.b2b_list_workbook(self.contract.id, MONTH)
        self.assertTrue(got["name"].endswith("2024-05.xlsx"))
        sheet = openpyxl.load_workbook(io.BytesIO(got["data"])).active
        texts = [cell.value for row in sheet.iter_rows(max_row=6) for cell in row if cell.value]
        self.assertIn("Отчёт комиссионера за май 2024", texts)
        self.assertIn("Договор № К-7/2024", texts)
        answer = self.upload({"DR-1": [(2, 3000.0), (1, 2800.0)], "HS-3": [(4, 250.0)]})
        self.assertEqual(set(answer), {"report_id"})
        report = self.env["b2b.commission.report"].browse(answer["report_id"])
        self.assertEqual((report.state, report.contract_id, report.period),
                         ("draft", self.contract, "2024-05-01"))
        lines = [(line.product_id.default_code, line.qty_sold, line.price_unit,
                  line.commission_percent, line.commission_amount)
                 for line in report.line_ids.sorted("sequence")]
        # the drill at two prices is two lines; tools earn 15 %, the rest the default 10 %
        self.assertEqual(lines, [("DR-1", 2.0, 3000.0, 15.0, 900.0), ("HS-3", 4.0, 250.0, 10.0, 100.0),
                                 ("DR-1", 1.0, 2800.0, 15.0, 420.0)])
        self.assertEqual((report.amount_total, report.commission_total), (9800.0, 1420.0))
        self.assertTrue(report.source_file)
        view = self.api.b2b_report_view(report.id)
        self.assertEqual((view["can_submit"], view["can_delete"], view["commission_total"]),
                         (True, True, 1420.0))
        self.assertEqual([line["percent"] for line in view["lines"]], [15.0, 10.0, 15.0])

    def test_bad_rows_are_told_the_file_marked_and_nothing_saved(self):
        name, data = self.filled({"DR-1": [(4, 3000.0), (3, 2900.0)], "SAW-2": [(-1, 100.0)]})
        before = self.env["b2b.commission.report"].search_count([])
        answer = self.api.with_context(lang="ru_RU").b2b_upload(self.contract.id, MONTH, name, data)
        self.assertEqual(self.env["b2b.commission.report"].search_count([]), before)
        # the drill's two rows sell 7 of the 5 held (told at both), the saw's quantity is negative
        self.assertEqual(len(answer["problems"]), 3, answer["problems"])
        self.assertEqual(sum("продано всего 7, а на комиссии было только 5" in text
                             for text in answer["problems"]), 2,
                         answer["problems"])
        self.assertTrue(all(name in text for text in answer["problems"]))
        self.assertTrue(answer["marked_name"].endswith("-errors.xlsx"))
        marked = openpyxl.load_workbook(io.BytesIO(answer["marked"])).active
        last = marked.max_column
        self.assertEqual(marked.cell(row=marked.min_row, column=last).value, None)
        marks = [marked.cell(row=row, column=1).value for row in range(1, marked.max_row + 1)
                 if marked.cell(row=row, column=last).value]
        self.assertEqual(marks, ["Артикул", "DR-1", "SAW-2", "DR-1"],
                         "the error column's title and the three bad rows")
        # a file that is not a workbook: one problem, no marked file
        answer = self.api.b2b_upload(self.contract.id, MONTH, "report.xlsx", b"not a workbook")
        self.assertEqual((len(answer["problems"]), answer["marked"]), (1, False))
        self.assertIn("report.xlsx", answer["problems"][0])

    def test_a_file_of_another_month_or_with_nothing_sold_is_refused(self):
        name, data = self.filled({"HS-3": [(1, 250.0)]}, month="2024-04")
        answer = self.api.b2b_upload(self.contract.id, MONTH, name, data)
        self.assertIn("04.2024", answer["problems"][0])
        self.assertIn("05.2024", answer["problems"][0])
        name, data = self.filled({})
        answer = self.api.b2b_upload(self.contract.id, MONTH, name, data)
        self.assertIn("no goods sold", answer["problems"][0])
        self.assertFalse(self.env["b2b.commission.report"].search([("contract_id", "=", self.contract.id)]))

    def test_a_new_upload_replaces_the_draft_and_not_a_submitted_report(self):
        first = self.upload({"HS-3": [(4, 250.0)]})["report_id"]
        second = self.upload({"SAW-2": [(1, 3500.0)]})["report_id"]
        self.assertEqual(first, second)
        report = self.env["b2b.commission.report"].browse(first)
        self.assertEqual(report.line_ids.mapped("product_id"), self.saw)
        self.api.b2b_submit(report.id)
        with self.assertRaises(UserError):
            self.upload({"HS-3": [(4, 250.0)]})
        self.assertEqual(report.line_ids.mapped("product_id"), self.saw)

    def test_each_step_is_told_to_the_agent(self):
        report = self.env["b2b.commission.report"].browse(
            self.upload({"HS-3": [(4, 250.0)]})["report_id"])
        agent_partner = self.agent_user.partner_id

        def notices():
            return [(m.subject, m.body) for m in report.message_ids.sorted("id")
                    if agent_partner in m.partner_ids]
        self.api.b2b_submit(report.id)
        self.assertEqual(report.state, "submitted")
        self.assertIn("submitted", notices()[-1][0])
        report.sudo(self.accountant).action_reject("Цена шланга ниже минимальной.")
        self.assertIn("Цена шланга ниже минимальной.", notices()[-1][1])
        self.assertTrue(self.api.b2b_report_view(report.id)["can_reset"])
        self.api.b2b_reset(report.id)
        self.api.b2b_submit(report.id)
        report.sudo(self.accountant).action_approve()
        self.assertIn("approved", notices()[-1][0])
        document = self.env["b2b.document"].create({
            "name": "Отчёт комиссионера № 12", "kind": "other", "partner_id": self.agent.id,
            "contract_id": self.contract.id, "file_name": "otchet-12.pdf",
            "file_data": base64.b64encode(b"%PDF-1.4 test")})
        report.b2b_documents_arrived(document)
        self.assertIn("Отчёт комиссионера № 12", notices()[-1][1])
        view = self.api.b2b_report_view(report.id)
        self.assertEqual([d["name"] for d in view["documents"]], ["Отчёт комиссионера № 12"])
        self.assertGreaterEqual(len(view["messages"]), 5)
        self.assertEqual(len(notices()), 5)
        # in Russian for an agent who reads Russian
        self.agent.lang = agent_partner.lang = "ru_RU"
        report.b2b_documents_arrived(document)
        self.assertIn("Закрывающие документы", notices()[-1][0])

    def test_another_agents_contract_and_report_are_out_of_reach(self):
        report = self.upload({"HS-3": [(4, 250.0)]})["report_id"]
        other = self.env["b2b.commission.report"].sudo(self.other_agent_user)
        name, data = self.filled({"HS-3": [(1, 250.0)]})
        for call in (lambda: other.b2b_list_workbook(self.contract.id, MONTH),
                     lambda: other.b2b_upload(self.contract.id, MONTH, name, data),
                     lambda: other.b2b_report_view(report),
                     lambda: other.b2b_submit(report),
                     lambda: other.b2b_delete(report)):
            with self.assertRaises((AccessError, MissingError)):
                call()
        self.assertEqual([c["id"] for c in other.b2b_agent_contracts()], [self.other_contract.id])
        self.assertEqual(other.b2b_reports(), [])
        self.assertEqual(self.env["b2b.commission.report"].browse(report).state, "draft")
        # the agent's own view of its contracts: the movement of each good
        contracts = self.api.b2b_agent_contracts()
        self.assertEqual([c["id"] for c in contracts], [self.contract.id])
        self.assertEqual(sorted(line["sku"] for line in contracts[0]["lines"]), ["DR-1", "HS-3", "SAW-2"])
        months = self.api.b2b_report_months()
        self.assertEqual((len(months), months, len(set(months))), (3, sorted(months, reverse=True), 3))

    def test_the_backend_exports_reports_counts_them_and_tells_what_is_not_accounted_for(self):
        report = self.env["b2b.commission.report"].browse(
            self.upload({"DR-1": [(2, 3000.0), (1, 2800.0)], "HS-3": [(4, 250.0)]})["report_id"])
        self.api.b2b_submit(report.id)
        action = report.sudo(self.accountant).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas))).active
        values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=4)]
        self.assertEqual([row[4] for row in values], ["DR-1", "HS-3", "DR-1", None])
        self.assertEqual(values[0][:4], ["ООО «Комиссионер»", "К-7/2024", "05.2024", "Submitted"])
        self.assertEqual((values[-1][9], values[-1][11]), (9800, 1420))
        self.assertEqual(self.agent.sudo(self.accountant).b2b_commission_report_count, 1)
        # 1C handed over 5 drills, 3 are reported sold, 1C still lists 1 held: 1 not accounted for
        drill = self.env["b2b.consignment.line"].search([("contract_id", "=", self.contract.id),
                                                         ("product_id", "=", self.drill.id)])
        drill.write({"qty": 1.0})
        self.assertEqual((drill.qty_reported, drill.qty_unreported), (3.0, 1.0))
        hose = drill.search([("contract_id", "=", self.contract.id), ("product_id", "=", self.hose.id)])
        hose.write({"qty": 6.0})
        self.assertEqual((hose.qty_reported, hose.qty_unreported), (4.0, 0.0))

    def test_an_outlets_user_reaches_its_own_contract_only(self):
        second = self.env["b2b.contract"].create({
            "name": "К-8/2024", "partner_id": self.agent.id,
            "price_type_id": self.contract.price_type_id.id})
        self.env["b2b.consignment.line"].create({
            "contract_id": second.id, "product_id": self.saw.id, "qty": 3, "price_unit": 1000.0,
            "date": "2024-05-01"})
        outlet = self._portal_user(self.agent, "Продавец точки", "commission-outlet")
        outlet.write({"b2b_role": "outlet", "b2b_contract_id": self.contract.id})
        api = self.env["b2b.commission.report"].sudo(outlet)
        self.assertEqual([c["id"] for c in api.b2b_agent_contracts()], [self.contract.id])
        self.assertTrue(api.b2b_list_workbook(self.contract.id, MONTH)["data"])
        with self.assertRaises(AccessError):
            api.b2b_list_workbook(second.id, MONTH)
        self.assertEqual(sorted(c["id"] for c in self.api.b2b_agent_contracts()),
                         sorted((self.contract | second).ids))
