from odoo.exceptions import UserError, ValidationError

from .common import CommissionCase


class TestCommissionRules(CommissionCase):

    def test_one_report_per_agent_per_month(self):
        first = self.report(period="2024-05-17")
        self.assertEqual(first.period, "2024-05-01")  # kept as the month's first day
        with self.refused(ValidationError) as caught:
            self.report(period="2024-05-31")
        self.assertEqual(caught.exception.name,
                         'The commission agent "ООО «Комиссионер»" already has a report for 05.2024.')
        self.assertEqual(self.env["b2b.commission.report"].search_count(
            [("partner_id", "=", self.agent.id)]), 1)
        # another month, or another agent in the same month, is fine
        self.report(period="2024-06-01")
        self.report(user=self.other_agent_user, agent=self.other_agent, period="2024-05-01")

    def test_one_report_per_month_message_in_russian(self):
        self.report()
        Report = self.env["b2b.commission.report"].sudo(self.agent_user).with_context(lang="ru_RU")
        with self.refused(ValidationError) as caught:
            Report.create({"partner_id": self.agent.id, "period": "2024-05-10"})
        self.assertEqual(caught.exception.name,
                         "У комиссионера «ООО «Комиссионер»» уже есть отчет за 05.2024.")

    def test_month_not_yet_begun_is_refused(self):
        with self.refused(ValidationError) as caught:
            self.report(period="2999-01-01")
        self.assertIn("The month 01.2999 has not begun yet.", caught.exception.name)

    def test_only_commission_agents_report(self):
        dealer = self.env["res.partner"].create({
            "name": "ООО «Просто дилер»", "is_company": True, "b2b_is_dealer": True})
        with self.refused(ValidationError) as caught:
            self.report(user=self.env.user, agent=dealer)
        self.assertIn('"ООО «Просто дилер»" is not a commission agent.', caught.exception.name)

    def test_only_a_dealer_company_is_a_commission_agent(self):
        Partner = self.env["res.partner"]
        with self.refused(ValidationError):
            Partner.create({"name": "Не дилер", "is_company": True, "b2b_commission_agent": True})
        contact = self.agent_user.partner_id
        with self.refused(ValidationError):
            contact.write({"b2b_commission_agent": True})
        self.assertFalse(contact.b2b_commission_agent)

    def test_sold_more_than_consigned_is_refused_with_line_and_product(self):
        with self.refused(ValidationError) as caught:
            self.report(lines=[(self.drill, 3, 2000.0, 5), (self.saw, 7, 3500.0, 4)])
        self.assertIn("line 2, product Пила: 7 sold is more than the 4 held on consignment",
                      caught.exception.name)
        self.assertFalse(self.env["b2b.commission.report"].search([("partner_id", "=", self.agent.id)]))

    def test_negative_quantity_is_refused_and_changes_nothing(self):
        report = self.report()
        with self.refused(ValidationError) as caught:
            report.line_ids[0].write({"qty_sold": -2})
        self.assertIn("line 1, product Дрель: the quantity sold cannot be negative (got -2)",
                      caught.exception.name)
        self.assertEqual(report.line_ids[0].qty_sold, 3)
        self.assertEqual(report.amount_total, 9500.0)

    def test_located_line_message_in_russian(self):
        report = self.report().with_context(lang="ru_RU")
        with self.refused(ValidationError) as caught:
            report.line_ids[1].with_context(lang="ru_RU").write({"qty_sold": -1})
        self.assertIn("строка 2, товар Пила: проданное количество не может быть отрицательным "
                      "(указано -1)", caught.exception.name)

    def test_empty_report_cannot_be_submitted(self):
        report = self.report(lines=[])
        with self.refused(UserError) as caught:
            report.action_submit()
        self.assertIn("The report has no lines", caught.exception.name)
        self.assertEqual(report.state, "draft")

    def test_one_product_at_several_prices_is_several_lines_within_what_is_held(self):
        report = self.report(lines=[(self.drill, 3, 2000.0, 5), (self.saw, 1, 3500.0, 1),
                                    (self.drill, 2, 1800.0, 5)])
        self.assertEqual(report.line_ids.mapped("price_unit"), [2000.0, 3500.0, 1800.0])
        self.assertEqual(report.amount_total, 13100.0)

    def test_sold_more_than_held_over_a_products_lines_is_refused_naming_them(self):
        with self.refused(ValidationError) as caught:
            self.report(lines=[(self.drill, 3, 2000.0, 5), (self.saw, 1, 3500.0, 1),
                               (self.drill, 3, 1800.0, 5)])
        self.assertIn("line 3, product Дрель: 6 sold on lines 1, 3 is more than the 5 held on "
                      "consignment", caught.exception.name)
        self.assertFalse(self.env["b2b.commission.report"].search([("partner_id", "=", self.agent.id)]))
