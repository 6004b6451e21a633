from lxml import html

from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_portal.tests.test_portal_cart import CartPageCase


class TestCommissionNotifications(CartPageCase):
    """An approved commission report is in the agent's notification feed («Альфа-Дилер» is a
    commission agent in b2b_commission's demo)."""

    def setUp(self):
        super(TestCommissionNotifications, self).setUp()
        month = business_date.today(self.env).strftime("%Y-%m")
        Report = self.env["b2b.commission.report"]
        with self.saved():
            self.env.cr.execute("DELETE FROM b2b_notification")
            self.env.cr.execute(
                "DELETE FROM b2b_commission_report WHERE partner_id = %s AND period >= %s",
                (self.alfa.id, month + "-01"))
            self.env.cache.invalidate()
            self.report = Report.sudo(self.u_alfa_admin).create({
                "partner_id": self.alfa.id, "contract_id": self.c_alfa.id,
                "period": month + "-01",
                "line_ids": [(0, 0, {"product_id": self.mixer.id, "qty_sold": 2,
                                     "qty_consigned": 7, "price_unit": 1500})]}).sudo()
            self.report.action_submit()

    def feed_titles(self, user):
        return self.env["b2b.notification"].search(
            [("user_id", "=", user.id), ("kind", "=", "commission")]).mapped("title")

    def test_approval_is_in_the_agents_feed_in_russian(self):
        self.assertFalse(self.feed_titles(self.u_alfa_admin), "a submitted report is not news")
        with self.saved():
            self.report.action_approve()
        self.assertEqual(self.feed_titles(self.u_alfa_admin),
                         ["Отчёт комиссионера %s согласован" % self.report.name])
        self.assertFalse(self.feed_titles(self.u_beta_admin))
        self.login(self.u_alfa_admin)
        page = html.fromstring(self.get("/b2b/notifications").text)
        link = page.xpath("//li[contains(@class, 'o_b2b_notification')]/a/@href")[0]
        opened = self.get(link, allow_redirects=False)
        self.assertTrue(opened.headers["Location"].endswith(
            "/b2b/commission/report/%d" % self.report.id))

    def test_rejection_is_not_told_in_the_feed(self):
        with self.saved():
            self.report.action_reject("Цены не совпадают.")
        self.assertFalse(self.feed_titles(self.u_alfa_admin))
