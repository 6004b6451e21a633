from odoo.exceptions import AccessError, UserError

from .common import CommissionCase


class TestCommissionFlow(CommissionCase):

    def test_agent_drafts_and_submits_accountant_approves(self):
        report = self.report()
        self.assertEqual(report.state, "draft")
        self.assertEqual(report.line_ids.mapped("amount"), [6000.0, 3500.0])
        self.assertEqual(report.amount_total, 9500.0)
        report.action_submit()
        self.assertEqual(report.state, "submitted")
        self.assertTrue(report.submit_date)
        report.sudo(self.accountant).action_approve()
        self.assertEqual(report.state, "approved")
        self.assertEqual(report.decision_user_id, self.accountant)
        self.assertTrue(report.decision_date)

    def test_agent_edits_the_draft_and_the_total_follows(self):
        report = self.report()
        report.line_ids[0].write({"qty_sold": 4})
        report.write({"line_ids": [(0, 0, {"product_id": self.env["product.product"].create(
            {"name": "Лобзик"}).id, "qty_sold": 2, "price_unit": 1250.0})]})
        self.assertEqual(report.amount_total, 8000.0 + 3500.0 + 2500.0)

    def test_submitted_report_is_frozen_for_the_agent(self):
        report = self.report()
        report.action_submit()
        with self.refused((AccessError, UserError)):
            report.line_ids[0].write({"qty_sold": 1})
        with self.refused((AccessError, UserError)):
            report.write({"period": "2024-04-01"})
        with self.refused((AccessError, UserError)):
            report.line_ids[0].unlink()
        self.assertEqual(report.line_ids[0].qty_sold, 3)
        self.assertEqual(report.period, "2024-05-01")
        # and the supplier's staff cannot change its goods either
        with self.refused(UserError) as caught:
            report.line_ids[0].sudo(self.manager).write({"qty_sold": 1})
        self.assertIn("can be changed only while it is a draft", caught.exception.name)

    def test_agent_cannot_approve_own_report(self):
        report = self.report()
        with self.refused(UserError) as caught:
            report.write({"state": "approved"})  # straight from draft
        self.assertIn("cannot go from Draft to Approved", caught.exception.name)
        report.action_submit()
        with self.refused(AccessError):
            report.action_approve()
        self.assertEqual(report.state, "submitted")

    def test_only_accountants_decide(self):
        report = self.report()
        report.action_submit()
        with self.refused(AccessError) as caught:
            report.sudo(self.manager).action_approve()
        self.assertIn("Only accountants approve or reject", caught.exception.name)
        with self.refused(AccessError):
            report.sudo(self.manager).action_reject("не нравится")
        self.assertEqual(report.state, "submitted")

    def test_rejection_needs_a_reason_and_the_agent_corrects_and_resubmits(self):
        report = self.report()
        report.action_submit()
        with self.refused(UserError) as caught:
            report.sudo(self.accountant).action_reject("  ")
        self.assertIn("Say why report", caught.exception.name)
        self.assertEqual(report.state, "submitted")

        wizard = self.env["b2b.commission.report.reject"].sudo(self.accountant).create({
            "report_id": report.id, "reason": "Пила продана по другой цене"})
        wizard.action_reject()
        self.assertEqual(report.state, "rejected")
        self.assertEqual(report.reject_reason, "Пила продана по другой цене")
        self.assertEqual(report.decision_user_id, self.accountant)

        with self.refused((AccessError, UserError)):
            report.line_ids[1].write({"price_unit": 3300.0})  # not before it is a draft again
        report.action_reset_to_draft()
        self.assertEqual(report.state, "draft")
        self.assertFalse(report.decision_user_id)
        report.line_ids[1].write({"price_unit": 3300.0})
        report.action_submit()
        report.sudo(self.accountant).action_approve()
        self.assertEqual(report.state, "approved")
        self.assertEqual(report.amount_total, 9300.0)
        self.assertFalse(report.reject_reason)

    def test_approved_report_is_final(self):
        report = self.report()
        report.action_submit()
        report.sudo(self.accountant).action_approve()
        Admin = self.env.ref("base.user_root")
        for user in (self.accountant, self.manager):
            with self.refused((AccessError, UserError)):
                report.sudo(user).write({"state": "draft"})
            with self.refused((AccessError, UserError)):
                report.sudo(user).unlink()
        with self.refused(UserError):
            report.sudo(Admin).write({"state": "rejected", "reject_reason": "поздно"})
        self.assertEqual(report.state, "approved")

    def test_decision_stamps_are_not_written_by_hand(self):
        report = self.report()
        with self.refused(UserError):
            report.write({"decision_user_id": self.accountant.id})
        with self.refused(UserError):
            report.write({"reject_reason": "сам себе отказал"})
        self.assertFalse(report.decision_user_id)
        self.assertFalse(report.reject_reason)

    def test_supplier_manager_submits_for_own_dealer(self):
        report = self.report(user=self.manager)
        report.action_submit()
        self.assertEqual(report.state, "submitted")
