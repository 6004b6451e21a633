import datetime

from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_bonus.lib import plans
from odoo.addons.b2b_portal.tests.test_portal_cart import CartPageCase


class TestPlanReminders(CartPageCase):
    """The daily reminder of a plan of the month not fulfilled in its last days: «Альфа» plans
    10 mixers and has bought 3; «Бета» has bought all it planned."""

    def setUp(self):
        super(TestPlanReminders, self).setUp()
        today = business_date.today(self.env)
        self.month_end = plans.month_end(today.replace(day=1))
        Plan = self.env["b2b.bonus.plan"]
        with self.saved():
            self.env.cr.execute("DELETE FROM b2b_notification")
            self.plan = Plan.create({
                "name": "Товар месяца: миксеры", "partner_id": self.alfa.id,
                "month": today.replace(day=1).isoformat(),
                "line_ids": [(0, 0, {"product_tmpl_id": self.mixer.product_tmpl_id.id,
                                     "qty_planned": 10})]})
            self.beta_plan = Plan.create({
                "name": "План Беты", "partner_id": self.beta.id,
                "month": today.replace(day=1).isoformat(),
                "line_ids": [(0, 0, {"product_tmpl_id": self.mixer.product_tmpl_id.id,
                                     "qty_planned": 1})]})
            for user, contract, qty in ((self.u_alfa_buyer, self.c_alfa, 3),
                                        (self.u_beta_buyer, self.c_beta, 1)):
                order_id = self.env["sale.order"].sudo(user).b2b_place_order(
                    contract.id, [(self.mixer.id, qty)])
                self.env["sale.order"].browse(order_id).action_confirm()
            self.env.cr.execute("DELETE FROM b2b_notification")

    def reminders(self, user):
        return self.env["b2b.notification"].search(
            [("user_id", "=", user.id), ("kind", "=", "plan")])

    def test_reminded_once_in_the_last_days_unless_fulfilled(self):
        Plan = self.env["b2b.bonus.plan"]
        with self.saved():
            Plan.b2b_cron_remind_plans(today=self.month_end - datetime.timedelta(days=5))
        self.assertFalse(self.reminders(self.u_alfa_admin), "too early in the month")
        with self.saved():
            Plan.b2b_cron_remind_plans(today=self.month_end - datetime.timedelta(days=1))
            Plan.b2b_cron_remind_plans(today=self.month_end)
        note = self.reminders(self.u_alfa_admin)
        self.assertEqual(note.mapped("title"), ["План «Товар месяца: миксеры» выполнен на 30%"])
        self.assertIn("2", note.body)
        self.assertEqual(len(self.reminders(self.u_alfa_buyer)), 1)
        self.assertFalse(self.reminders(self.u_beta_admin) | self.reminders(self.u_beta_buyer),
                         "«Бета» fulfilled its plan")
        self.assertTrue(self.plan.b2b_reminded_on)
        # plan reminders come by e-mail only to those who ask for them
        self.assertFalse(self.env["mail.mail"].search([
            ("subject", "=", note.title), ("recipient_ids", "in", self.u_alfa_admin.partner_id.ids)]))
        self.login(self.u_alfa_admin)
        self.assertIn("Товар месяца: миксеры", self.get("/b2b/notifications").text)
