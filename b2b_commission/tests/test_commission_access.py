from odoo.exceptions import AccessError, UserError

from .common import CommissionCase


class TestCommissionAccess(CommissionCase):

    def test_portal_user_of_another_dealer_reads_nothing(self):
        report = self.report()
        Report = self.env["b2b.commission.report"].sudo(self.other_agent_user)
        Line = self.env["b2b.commission.report.line"].sudo(self.other_agent_user)
        self.assertFalse(Report.search([]))
        self.assertFalse(Line.search([]))
        with self.refused(AccessError):
            report.sudo(self.other_agent_user).read(["amount_total"])
        with self.refused(AccessError):
            report.line_ids.sudo(self.other_agent_user).read(["qty_sold"])

    def test_portal_user_cannot_report_for_another_dealer(self):
        with self.refused(AccessError):
            self.report(user=self.other_agent_user, agent=self.agent)
        report = self.report()
        with self.refused(AccessError):
            report.sudo(self.other_agent_user).write({"period": "2024-03-01"})
        with self.refused(AccessError):
            self.env["b2b.commission.report.line"].sudo(self.other_agent_user).create({
                "report_id": report.id, "product_id": self.drill.id, "qty_sold": 100})
        with self.refused(AccessError):
            report.sudo(self.other_agent_user).unlink()
        self.assertEqual(len(report.line_ids), 2)

    def test_portal_user_reads_own_reports_in_every_state(self):
        report = self.report()
        report.action_submit()
        Report = self.env["b2b.commission.report"].sudo(self.agent_user)
        self.assertEqual(Report.search([]), report)
        self.assertEqual(report.sudo(self.agent_user).state, "submitted")
        self.assertEqual(len(self.env["b2b.commission.report.line"].sudo(self.agent_user).search([])), 2)

    def test_portal_user_deletes_own_draft_only(self):
        draft = self.report(period="2024-04-01")
        submitted = self.report(period="2024-05-01")
        submitted.action_submit()
        with self.refused(UserError) as caught:
            submitted.unlink()
        self.assertIn("only draft reports can be changed", caught.exception.name)
        draft.unlink()
        self.assertFalse(draft.exists())
        self.assertTrue(submitted.exists())

    def test_manager_sees_reports_of_own_dealers_only(self):
        report = self.report()
        other = self.report(user=self.other_agent_user, agent=self.other_agent)
        seen = self.env["b2b.commission.report"].sudo(self.manager).search([])
        self.assertIn(report, seen)
        self.assertNotIn(other, seen)
        self.assertFalse(self.env["b2b.commission.report"].sudo(self.other_manager).search([]))

    def test_accountant_sees_all_reports_but_creates_none(self):
        report = self.report()
        other = self.report(user=self.other_agent_user, agent=self.other_agent)
        seen = self.env["b2b.commission.report"].sudo(self.accountant).search([])
        self.assertIn(report, seen)
        self.assertIn(other, seen)
        with self.refused(AccessError):
            self.report(user=self.accountant, period="2024-01-01")
