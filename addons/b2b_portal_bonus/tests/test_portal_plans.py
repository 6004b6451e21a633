from lxml import html

from odoo.addons.b2b_base.lib import numbers
from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_portal.tests.test_portal_cart import CartPageCase


class TestPortalPlans(CartPageCase):
    """The dealer's plans in the portal: «Альфа» plans 10 mixers this month and has bought 3 (a
    confirmed order), and has a seasonal commitment to accept; «Бета» has a plan of its own."""

    def setUp(self):
        super(TestPortalPlans, self).setUp()
        month = business_date.today(self.env).replace(day=1).isoformat()
        Plan = self.env["b2b.bonus.plan"]
        with self.saved():
            self.plan = Plan.create({
                "name": "Товар месяца: миксеры", "partner_id": self.alfa.id, "month": month,
                "line_ids": [(0, 0, {"product_tmpl_id": self.mixer.product_tmpl_id.id,
                                     "qty_planned": 10})]})
            self.commitment = Plan.create({
                "name": "Сезонное обязательство", "partner_id": self.alfa.id, "month": month,
                "is_commitment": True,
                "line_ids": [(0, 0, {"product_tmpl_id": self.by_six.product_tmpl_id.id,
                                     "qty_planned": 12})]})
            self.beta_plan = Plan.create({
                "name": "План Беты", "partner_id": self.beta.id, "month": month,
                "is_commitment": True,
                "line_ids": [(0, 0, {"product_tmpl_id": self.mixer.product_tmpl_id.id,
                                     "qty_planned": 50})]})
            order_id = self.env["sale.order"].sudo(self.u_alfa_buyer).b2b_place_order(
                self.c_alfa.id, [(self.mixer.id, 3)])
            self.env["sale.order"].browse(order_id).action_confirm()

    def plans_on(self, tree):
        return {int(node.get("data-plan-id")): node
                for node in tree.xpath(
                    "//div[contains(concat(' ', @class, ' '), ' o_b2b_plan ')]")}

    def days_left_text(self, node):
        return " ".join(node.xpath(".//*[contains(@class, 'o_b2b_plan_days_left')]")[0]
                        .text_content().split())

    def test_dashboard_and_plans_page_show_progress(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        tree = self.page("/my")
        shown = {int(node.get("data-plan-id")): node for node in tree.xpath(
            "//div[@id='o_b2b_dashboard_plans_panel']//div[contains(@class, 'o_b2b_dashboard_plan')]")}
        self.assertEqual(set(shown), {self.plan.id, self.commitment.id})
        self.assertEqual(shown[self.plan.id].xpath(".//*[contains(@class, 'o_b2b_plan_percent')]/@data-percent"),
                         ["30.0"])
        days = self.env["b2b.bonus.plan"].sudo(self.u_alfa_buyer).b2b_fulfilment(
            [self.plan.id])[0]["days_left"]
        self.assertGreaterEqual(days, 1)
        self.assertEqual(shown[self.plan.id].xpath(".//*[contains(@class, 'o_b2b_plan_days_left')]/@data-days"),
                         [str(days)])
        self.assertEqual(self.days_left_text(shown[self.plan.id]),
                         "%s left" % numbers.format_count(days, "days", "en_US"))
        self.assertTrue(shown[self.commitment.id].xpath(".//*[contains(@class, 'o_b2b_plan_to_accept')]"))
        plans = self.plans_on(self.page("/b2b/plans"))
        self.assertEqual(set(plans), {self.plan.id, self.commitment.id})
        line = plans[self.plan.id].xpath(".//tr[contains(@class, 'o_b2b_plan_line')]")[0]
        self.assertEqual(line.get("data-missing"), "7")
        self.assertTrue(plans[self.commitment.id].xpath(".//form[contains(@class, 'o_b2b_plan_accept_form')]"))
        # in Russian, the word agreeing with the number of days
        self.login(self.u_alfa_buyer)
        ru = self.plans_on(self.page("/ru_RU/b2b/plans"))
        self.assertEqual(self.days_left_text(ru[self.plan.id]),
                         "до конца: %s" % numbers.format_count(days, "days", "ru_RU"))
        # «Бета»'s user sees its own plan only
        self.login(self.u_beta_buyer, lang="en_US")
        self.assertEqual(set(self.plans_on(self.page("/b2b/plans"))), {self.beta_plan.id})
        self.assertNotIn("Товар месяца: миксеры", self.get("/my").text)

    def test_missing_quantity_goes_into_the_cart_in_one_click(self):
        with self.saved():
            cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 1)])
        self.login(self.u_alfa_buyer, lang="en_US")
        self.use_contract(self.c_alfa)
        line = self.plan.line_ids
        answer = self.post("/b2b/plans/fill", {"plan_id": self.plan.id, "line_id": line.id},
                           allow_redirects=False, csrf_from="/b2b/plans")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 8})
        tree = self.page("/b2b/plans")
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_plans_notice')]//strong/text()"), ["1"])
        # another dealer's plan cannot fill a cart
        self.login(self.u_beta_buyer, lang="en_US")
        answer = self.post("/b2b/plans/fill", {"plan_id": self.plan.id, "line_id": line.id},
                           allow_redirects=False, csrf_from="/b2b/plans")
        self.assertEqual(answer.status_code, 404)

    def test_commitment_is_accepted_once_by_its_own_dealer(self):
        # «Бета»'s user cannot accept «Альфа»'s commitment
        self.login(self.u_beta_admin, lang="en_US")
        answer = self.post("/b2b/plans/accept", {"plan_id": self.commitment.id},
                           allow_redirects=False, csrf_from="/b2b/plans")
        self.assertEqual(answer.status_code, 404)
        # nor with no plan or a plan that does not exist
        for plan_id in ("", "x", "999999999"):
            answer = self.post("/b2b/plans/accept", {"plan_id": plan_id},
                               allow_redirects=False, csrf_from="/b2b/plans")
            self.assertEqual(answer.status_code, 404, plan_id)
        self.settle()
        self.commitment.invalidate_cache()
        self.assertFalse(self.commitment.accepted_on)
        self.login(self.u_alfa_admin, lang="en_US")
        answer = self.post("/b2b/plans/accept", {"plan_id": self.commitment.id},
                           allow_redirects=False, csrf_from="/b2b/plans")
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        self.settle()
        self.commitment.invalidate_cache()
        self.assertEqual(self.commitment.accepted_by, self.u_alfa_admin)
        plans = self.plans_on(self.page("/b2b/plans"))
        self.assertTrue(plans[self.commitment.id].xpath(".//*[contains(@class, 'o_b2b_plan_accepted')]"))
        self.assertFalse(plans[self.commitment.id].xpath(".//form[contains(@class, 'o_b2b_plan_accept_form')]"))
        # a second acceptance is refused with the reason
        answer = self.post("/b2b/plans/accept", {"plan_id": self.commitment.id}, csrf_from="/b2b/plans")
        error = html.fromstring(answer.text).xpath("//*[contains(@class, 'o_b2b_error')]/text()")
        self.assertTrue(error and "already accepted" in error[0], error)
