import io

import openpyxl

from odoo.addons.b2b_portal.lib import stats as rules
from odoo.addons.b2b_portal.tests.test_portal_stats import StatsCase


class TestStatsPlans(StatsCase):
    """The statistics page shows the fulfilment of «Альфа»'s monthly plans of its period: nine
    months ago 20 mixers planned and 10 bought (50 %), eight months ago 5 baths planned and none
    bought; «Бета»'s plan is never shown to «Альфа»."""

    def setUp(self):
        super(TestStatsPlans, self).setUp()
        Plan = self.env["b2b.bonus.plan"]
        with self.saved():
            Plan.create({"name": "Товар месяца: смесители", "partner_id": self.alfa.id,
                         "month": self.m1.isoformat(),
                         "line_ids": [(0, 0, {"product_tmpl_id": self.mixer.product_tmpl_id.id,
                                              "qty_planned": 20})]})
            Plan.create({"name": "Товар месяца: ванны", "partner_id": self.alfa.id,
                         "month": self.m2.isoformat(),
                         "line_ids": [(0, 0, {"product_tmpl_id": self.bath.product_tmpl_id.id,
                                              "qty_planned": 5})]})
            Plan.create({"name": "План Беты на смесители", "partner_id": self.beta.id,
                         "month": self.m1.isoformat(),
                         "line_ids": [(0, 0, {"product_tmpl_id": self.mixer.product_tmpl_id.id,
                                              "qty_planned": 1})]})

    def test_plan_history_on_the_page_and_in_the_file(self):
        self.login(self.u_alfa_admin, lang="en_US")
        tree = self.stats()
        shown = [(row.get("data-month"), row.xpath("./td")[1].text, row.get("data-percent"))
                 for row in tree.xpath("//tr[contains(@class, 'o_b2b_stats_plan')]")]
        self.assertEqual(shown, [(rules.month_label(self.m1), "Товар месяца: смесители", "50.0"),
                                 (rules.month_label(self.m2), "Товар месяца: ванны", "0.0")])
        chart = self.svg("o_b2b_stats_chart_plans")
        self.assertEqual([n.text for n in chart.iter("{http://www.w3.org/2000/svg}text")
                          if n.get("class") == "o_b2b_chart_value"], ["50%"])
        self.assertNotIn("План Беты", self.text)
        answer = self.get("/b2b/stats/export.xlsx?" + self.period)
        book = openpyxl.load_workbook(io.BytesIO(answer.content))
        rows = [[c.value for c in row] for row in book["Plan fulfilment"].iter_rows()]
        self.assertIn([rules.month_label(self.m1), "Товар месяца: смесители", 50.0], rows)
        self.assertFalse([row for row in rows if "План Беты" in str(row)])
        # a period without plans says so
        tree = self.stats("month_from=%s&month_to=%s" % ((rules.month_value(self.today),) * 2))
        self.assertTrue(tree.xpath("//*[contains(@class, 'o_b2b_stats_no_plans')]"))

    def test_orders_paid_with_points_are_no_purchase(self):
        with self.saved():
            bonus = self.order(self.c_alfa, self.m1, [(self.mixer, 1, 999)])
            self.env.cr.execute("UPDATE sale_order SET b2b_is_bonus_order = TRUE WHERE id = %s",
                                (bonus.id,))
        self.login(self.u_alfa_admin, lang="en_US")
        self.assertEqual(self.total(self.stats()), 58000.0)
