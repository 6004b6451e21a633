"""An agent's report lines written all at once (the upload of a consignment list of thousands of
goods): each line with the amount, commission percent and commission the line's own computation
gives, its row of the agent's file, its agent; the report's totals; a refused set of lines leaves
the draft as it was; the work does not grow with the number of lines; the terms changed before
the report is submitted apply to its lines."""
from odoo.exceptions import UserError, ValidationError

from .common import CommissionCase


class TestCommissionBulk(CommissionCase):

    def setUp(self):
        super(TestCommissionBulk, self).setUp()
        self.env.user.company_id.partner_id.tz = "Europe/Moscow"
        self.agent_user.b2b_role = "admin"
        price_type = self.env["b2b.price.type"].create({"name": "Комиссия"})
        self.contract = self.env["b2b.contract"].create({
            "name": "К-7/2024", "partner_id": self.agent.id, "price_type_id": price_type.id})
        self.tools = self.env["product.category"].create({"name": "Инструмент"})
        self.drill.write({"default_code": "DR-1", "categ_id": self.tools.id})
        self.saw.default_code = "SAW-2"
        self.hose = self.env["product.product"].create({
            "name": "Шланг", "type": "consu", "default_code": "HS-3"})
        Term = self.env["b2b.commission.term"]
        self.default_term = Term.create({"contract_id": self.contract.id, "percent": 10.0})
        Term.create({"contract_id": self.contract.id, "categ_id": self.tools.id, "percent": 15.0})
        self.Report = self.env["b2b.commission.report"].sudo(self.agent_user)

    def draft(self, period="2024-05-01"):
        return self.Report.create({"partner_id": self.agent.id, "contract_id": self.contract.id,
                                   "period": period})

    def sold(self, *lines):
        """Line values as the upload gives them: (product, qty, price, held), numbered from 1,
        the file's rows from 7."""
        return [{"sequence": number, "source_row": number + 6, "product_id": product.id,
                 "qty_sold": qty, "price_unit": price, "qty_consigned": held}
                for number, (product, qty, price, held) in enumerate(lines, 1)]

    @staticmethod
    def stored(report):
        report.invalidate_cache()
        report.line_ids.invalidate_cache()
        return [(line.sequence, line.source_row, line.product_id.default_code, line.qty_sold,
                 line.price_unit, line.qty_consigned, line.commission_percent, line.amount,
                 line.commission_amount, line.partner_id.id)
                for line in report.line_ids.sorted(lambda l: (l.sequence, l.id))]

    def test_the_lines_carry_their_amount_and_commission_and_the_report_its_totals(self):
        report = self.draft()
        # the drill (tools: 15 %) at two prices; the hose's price in tenths of a kopeck is
        # stored to the kopeck; the saw's commission of 150.015 rounds half up
        report._b2b_replace_lines(self.sold((self.drill, 2, 3000.0, 5), (self.hose, 3, 33.335, 10),
                                            (self.saw, 1.5, 1000.1, 4), (self.drill, 1, 2800.0, 5)))
        agent = self.agent.id
        self.assertEqual(self.stored(report), [
            (1, 7, "DR-1", 2.0, 3000.0, 5.0, 15.0, 6000.0, 900.0, agent),
            (2, 8, "HS-3", 3.0, 33.34, 10.0, 10.0, 100.02, 10.0, agent),
            (3, 9, "SAW-2", 1.5, 1000.1, 4.0, 10.0, 1500.15, 150.02, agent),
            (4, 10, "DR-1", 1.0, 2800.0, 5.0, 15.0, 2800.0, 420.0, agent)])
        self.assertEqual((report.amount_total, report.commission_total), (10400.17, 1480.02))
        # the same as the lines made one by one give, and the agent reads them
        by_one = self.Report.create({
            "partner_id": self.agent.id, "contract_id": self.contract.id, "period": "2024-04-01",
            "line_ids": [(0, 0, dict(vals)) for vals in self.sold(
                (self.drill, 2, 3000.0, 5), (self.hose, 3, 33.335, 10), (self.saw, 1.5, 1000.1, 4),
                (self.drill, 1, 2800.0, 5))]})
        by_one._b2b_apply_terms()
        self.assertEqual(self.stored(by_one), self.stored(report))
        self.assertEqual((by_one.amount_total, by_one.commission_total),
                         (report.amount_total, report.commission_total))
        view = self.Report.b2b_report_view(report.id)
        self.assertEqual([(line["sku"], line["percent"], line["commission"]) for line in view["lines"]],
                         [("DR-1", 15.0, 900.0), ("HS-3", 10.0, 10.0), ("SAW-2", 10.0, 150.02),
                          ("DR-1", 15.0, 420.0)])

    def test_a_new_set_replaces_the_lines_and_a_refused_set_leaves_them(self):
        report = self.draft()
        report._b2b_replace_lines(self.sold((self.drill, 2, 3000.0, 5), (self.hose, 3, 250.0, 10)))
        report._b2b_replace_lines(self.sold((self.saw, 1, 3500.0, 4)))
        kept = self.stored(report)
        self.assertEqual([line[2] for line in kept], ["SAW-2"])
        self.assertEqual((report.amount_total, report.commission_total), (3500.0, 350.0))
        # 4 + 3 drills sold of the 5 held, and a negative price: told, and nothing written even
        # before the request's transaction is rolled back
        with self.assertRaises(ValidationError) as caught:
            report._b2b_replace_lines(self.sold((self.drill, 4, 3000.0, 5), (self.hose, 1, -5.0, 10),
                                                (self.drill, 3, 2900.0, 5)))
        self.assertIn("the price cannot be negative", caught.exception.name)
        self.assertIn("7 sold on lines 1, 3 is more than the 5 held on consignment",
                      caught.exception.name)
        self.assertEqual(self.stored(report), kept)
        self.assertEqual((report.amount_total, report.commission_total), (3500.0, 350.0))
        # a submitted report's lines are not replaced
        self.Report.b2b_submit(report.id)
        with self.assertRaises(UserError):
            report._b2b_replace_lines(self.sold((self.hose, 1, 250.0, 10)))
        self.assertEqual(self.stored(report), kept)

    def test_the_work_does_not_grow_with_the_lines(self):
        report = self.draft()
        goods = (self.drill, self.saw, self.hose)

        def queries(count):
            # many lines of three goods, each a small part of the quantity held
            values = self.sold(*[(goods[n % 3], 0.01, 100.0 + n, 10) for n in range(count)])
            report.invalidate_cache()
            before = self.cr.sql_log_count
            report._b2b_replace_lines(values)
            return self.cr.sql_log_count - before
        queries(5)
        few, many = queries(10), queries(200)
        self.assertEqual(len(report.line_ids), 200)
        self.assertLessEqual(many, few + 2, "queries for 10 lines: %d, for 200: %d" % (few, many))
        self.assertLess(many, 60)

    def test_terms_changed_before_submission_apply_to_the_lines(self):
        report = self.draft()
        report._b2b_replace_lines(self.sold((self.drill, 2, 3000.0, 5), (self.hose, 4, 250.0, 10),
                                            (self.saw, 1, 3500.0, 4)))
        self.default_term.percent = 4.0
        self.Report.b2b_submit(report.id)
        self.assertEqual([line[6:9] for line in self.stored(report)],
                         [(15.0, 6000.0, 900.0), (4.0, 1000.0, 40.0), (4.0, 3500.0, 140.0)])
        self.assertEqual((report.state, report.amount_total, report.commission_total),
                         ("submitted", 10500.0, 1080.0))
