from odoo.exceptions import AccessError, UserError, ValidationError

from .common import DealerCase


class TestQuarterReports(DealerCase):
    """1C's quarterly commitment reports of special-conditions contracts."""

    @classmethod
    def setUpClass(cls):
        super(TestQuarterReports, cls).setUpClass()
        cls.Report = cls.env["b2b.quarter.report"]

    def report_vals(self, **extra):
        vals = {
            "b2b_onec_id": "q-beta-2026-2", "contract_id": self.c_beta_special.id,
            "year": 2026, "quarter": 2, "date": "2026-07-05",
            "commitment_amount": 600000, "actual_amount": 450000, "installment_days": 45,
            "note": "Сезонный товар",
            "lines": [
                {"group": "Смесители", "plan": 300000, "actual": 330000},
                {"group": "Мойки", "plan": 200000, "actual": 100000},
                {"group": "Аксессуары", "plan": 100000, "actual": 20000},
            ],
        }
        vals.update(extra)
        return vals

    def test_intake_and_fulfilment(self):
        report = self.Report.b2b_upsert_quarter_report(self.report_vals())
        self.assertEqual((report.contract_id, report.dealer_id, report.year, report.quarter),
                         (self.c_beta_special, self.beta, 2026, "2"))
        self.assertAlmostEqual(report.fulfilment_percent, 75.0)
        self.assertEqual(report.line_ids.mapped("group"), ["Смесители", "Мойки", "Аксессуары"])
        self.assertEqual(report.line_ids.mapped("percent"), [110.0, 50.0, 20.0])
        self.assertEqual(report.installment_days, 45)

    def test_same_report_twice_changes_nothing(self):
        report = self.Report.b2b_upsert_quarter_report(self.report_vals())
        lines, write_date = report.line_ids, report.write_date
        again = self.Report.b2b_upsert_quarter_report(self.report_vals())
        self.assertEqual(again, report)
        self.assertEqual(self.Report.search_count([("b2b_onec_id", "=", "q-beta-2026-2")]), 1)
        self.assertEqual(report.line_ids, lines, "the lines were kept, not recreated")
        self.assertEqual(report.write_date, write_date)

    def test_newer_report_replaces_lines(self):
        report = self.Report.b2b_upsert_quarter_report(self.report_vals())
        old_lines = report.line_ids
        newer = self.report_vals(actual_amount=630000, lines=[
            {"group": "Смесители", "plan": 300000, "actual": 400000},
            {"group": "Мойки", "plan": 300000, "actual": 230000}])
        self.assertEqual(self.Report.b2b_upsert_quarter_report(newer), report)
        self.assertFalse(old_lines.exists())
        self.assertEqual(len(report.line_ids), 2)
        self.assertEqual(report.line_ids.mapped("percent"), [133.33, 76.67])
        self.assertAlmostEqual(report.fulfilment_percent, 105.0)

    def test_only_special_conditions_contracts(self):
        before = self.Report.search_count([])
        with self.assertRaises(ValidationError) as caught:
            with self.cr.savepoint():
                self.Report.b2b_upsert_quarter_report(self.report_vals(
                    b2b_onec_id="q-beta-main", contract_id=self.c_beta.id))
        self.assertIn(self.c_beta.name, caught.exception.name)
        self.assertIn("special conditions", caught.exception.name)
        self.assertEqual(self.Report.search_count([]), before)

    def test_bad_reports_refused(self):
        before = (self.Report.search_count([]),
                  self.env["b2b.quarter.report.line"].search_count([]))
        for vals, words in [
            (self.report_vals(quarter=5), "quarter must be 1, 2, 3 or 4"),
            (self.report_vals(b2b_onec_id=""), "no 1C id"),
            (self.report_vals(actual_amount=-1), "cannot be negative"),
            (self.report_vals(lines=[{"group": "", "plan": 1, "actual": 1}]), "line 1"),
            (self.report_vals(contract_id=0), "contract is unknown"),
            (self.report_vals(lines=[{"group": "X", "plan": 1, "fact": 1}]), "unknown fields fact"),
        ]:
            with self.assertRaises(UserError) as caught:
                with self.cr.savepoint():
                    self.Report.b2b_upsert_quarter_report(vals)
            self.assertIn(words, caught.exception.name)
        # one report per contract and quarter, even under another 1C id
        self.Report.b2b_upsert_quarter_report(self.report_vals())
        with self.assertRaises(UserError) as caught:
            with self.cr.savepoint():
                self.Report.b2b_upsert_quarter_report(self.report_vals(b2b_onec_id="q-other"))
        self.assertIn("already has the report q-beta-2026-2", caught.exception.name)
        self.assertEqual(self.Report.search_count([]), before[0] + 1)

    def test_dealer_visibility(self):
        report = self.Report.b2b_upsert_quarter_report(self.report_vals())
        self.assertEqual(self.Report.sudo(self.u_beta_buyer).search([]), report)
        self.assertEqual(len(report.line_ids.sudo(self.u_beta_admin).read(["group"])), 3)
        with self.assertRaises(AccessError):
            report.sudo(self.u_alfa_admin).read(["actual_amount"])
        self.assertFalse(self.env["b2b.quarter.report.line"].sudo(self.u_alfa_admin).search([]))
        with self.assertRaises(AccessError):
            self.Report.sudo(self.u_beta_admin).b2b_upsert_quarter_report(
                self.report_vals(b2b_onec_id="q-forged", quarter=3))
