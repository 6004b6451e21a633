import io
import re
import xml.etree.ElementTree as ET

import openpyxl
from lxml import html

from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_portal.lib import stats as rules

from .test_portal_cart import CartPageCase

SVG = "{http://www.w3.org/2000/svg}"


class StatsCase(CartPageCase):
    """Confirmed, draft and cancelled orders of «Альфа» (three contracts: А-001/2026, А-002/2026 of
    «Альфа Розница», АЮ-001/2026 of its subsidiary «Альфа-Юг») nine and eight months ago, and one
    order of «Бета» with an amount and a product no order of «Альфа» has."""

    def setUp(self):
        super(StatsCase, self).setUp()
        Product = self.env["product.product"]
        self.bath = Product.search([("default_code", "=", "BTH-00004")])
        self.beta_only = Product.search([("default_code", "=", "INS-00019")])
        self.assertTrue(self.bath and self.beta_only)
        self.today = business_date.today(self.env)
        current = rules.month_start(self.today)
        self.m1, self.m2 = rules.add_months(current, -9), rules.add_months(current, -8)
        retail = self.c_alfa_retail.partner_id
        with self.saved():
            self.order(self.c_alfa, self.m1, [(self.mixer, 10, 1000), (self.bath, 2, 20000)])
            self.order(self.c_alfa_retail, self.m2, [(self.mixer, 5, 1000)], partner=retail)
            self.order(self.c_yug, self.m2, [(self.by_six, 6, 500)])
            self.order(self.c_alfa, self.m1, [(self.mixer, 100, 1000)], state="draft")
            self.order(self.c_alfa, self.m2, [(self.bath, 9, 1000)], state="cancel")
            self.order(self.c_beta, self.m1, [(self.beta_only, 10, 7777.77)])
            self.order(self.c_beta, current, [(self.beta_only, 10, 7777.77)])
        self.period = "month_from=%s&month_to=%s" % (rules.month_value(self.m1),
                                                     rules.month_value(self.m2))

    def order(self, contract, month, lines, state="sale", partner=None):
        """An order under ``contract`` on the 10th of ``month`` at noon (Moscow), in ``state``,
        with [(product, qty, price)] and no taxes (the amounts are the test's own)."""
        order = self.env["sale.order"].create({
            "partner_id": (partner or contract.partner_id).id,
            "b2b_contract_id": contract.id,
            "date_order": "%s 09:00:00" % month.replace(day=10).isoformat(),
            "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": qty,
                                   "price_unit": price, "tax_id": [(6, 0, [])]})
                           for product, qty, price in lines],
        })
        order.write({"state": state})
        return order

    def page(self, path):
        answer = self.get(path)
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        self.text = answer.text
        return html.fromstring(answer.text)

    def stats(self, query=""):
        return self.page("/b2b/stats?" + (query or self.period))

    def figures(self, tree, css):
        """{name: amount} of a breakdown table of the page."""
        return {" ".join(row.xpath(".//td[contains(@class, 'o_b2b_stats_name')]")[0]
                         .text_content().split()):
                float(row.xpath(".//td[contains(@class, 'o_b2b_stats_amount')]/@data-value")[0])
                for row in tree.xpath("//table[contains(@class, '%s')]//tr[contains(@class, "
                                      "'o_b2b_stats_row')]" % css)}

    def months(self, tree):
        return {row.get("data-month"): float(row.xpath(".//td[contains(@class, "
                                                       "'o_b2b_stats_amount')]/@data-value")[0])
                for row in tree.xpath("//tr[contains(@class, 'o_b2b_stats_month')]")}

    def total(self, tree):
        found = tree.xpath("//*[contains(@class, 'o_b2b_stats_total')]/@data-value")
        return float(found[0]) if found else 0.0

    def svg(self, css):
        """The chart ``css`` of the last page, parsed as the XML it must be."""
        found = re.search(r'<div class="[^"]*\b%s\b[^"]*">\s*(<svg .*?</svg>)' % css, self.text,
                          re.DOTALL)
        self.assertTrue(found, "no chart %s" % css)
        return ET.fromstring(found.group(1))


class TestPortalStats(StatsCase):

    def test_page_adds_up_the_confirmed_orders_of_the_contracts_the_admin_acts_for(self):
        self.login(self.u_alfa_admin, lang="en_US")
        tree = self.stats()
        self.assertEqual(self.total(tree), 58000.0, "50 000 + 5 000 + «Альфа-Юг»'s 3 000; drafts, "
                                                    "cancelled orders and «Бета» left out")
        self.assertEqual(self.months(tree), {rules.month_label(self.m1): 50000.0,
                                             rules.month_label(self.m2): 8000.0})
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_stats_order_count')]")[0].text, "3")
        groups = self.figures(tree, "o_b2b_stats_groups")
        self.assertEqual(groups, {self.bath.categ_id.name: 40000.0,
                                  self.mixer.categ_id.name: 15000.0,
                                  self.by_six.categ_id.name: 3000.0})
        self.assertEqual(self.figures(tree, "o_b2b_stats_contracts"), {
            self.c_alfa.display_name: 50000.0, self.c_alfa_retail.display_name: 5000.0,
            self.c_yug.display_name: 3000.0})
        self.assertEqual(self.figures(tree, "o_b2b_stats_entities"), {
            self.alfa.name: 50000.0, self.c_alfa_retail.partner_id.name: 5000.0,
            self.c_yug.partner_id.name: 3000.0})
        top = tree.xpath("//table[contains(@class, 'o_b2b_stats_top')]//tr[contains(@class, "
                         "'o_b2b_stats_row')]")
        self.assertEqual([row.xpath("./td")[0].text for row in top],
                         ["BTH-00004", "MIX-00001", "ACC-00002"], "largest amount first")
        self.assertEqual(" ".join(top[1].xpath("./td")[2].text_content().split())[:2], "15")
        self.assertEqual(top[0].xpath("./td")[3].text, "40,000.00", "the portal's money format")
        # the chart by month: one bar per month, the value over each bar, no script
        chart = self.svg("o_b2b_stats_chart_months")
        self.assertEqual(chart.get("width"), "100%")
        labels = [n.text for n in chart.iter(SVG + "text") if n.get("class") == "o_b2b_chart_label"]
        self.assertEqual(labels, [rules.month_short(self.m1), rules.month_short(self.m2)])
        values = [n.text for n in chart.iter(SVG + "text") if n.get("class") == "o_b2b_chart_value"]
        self.assertEqual(values, ["50,000", "8,000"])
        self.assertNotIn("<script", tree.xpath("//div[@id='o_b2b_stats']")[0].text_content())
        groups_chart = self.svg("o_b2b_stats_chart_groups")
        self.assertEqual(len(list(groups_chart.iter(SVG + "rect"))), 3)
        # the Services menu leads here
        self.assertTrue(tree.xpath("//ul[@id='o_b2b_nav_services_menu']/li/a[@href='/b2b/stats']"))

    def test_role_scopes_buyer_and_outlet(self):
        self.login(self.u_alfa_buyer, lang="en_US")
        self.assertEqual(self.total(self.stats()), 58000.0, "a buyer: every contract of the dealer")
        self.login(self.u_alfa_outlet, lang="en_US")
        tree = self.stats()
        self.assertEqual(self.total(tree), 5000.0, "an outlet user: its one contract")
        self.assertEqual(set(self.figures(tree, "o_b2b_stats_contracts")),
                         {self.c_alfa_retail.display_name})
        self.assertEqual(self.get("/b2b/stats?contract_id=%d" % self.c_alfa.id).status_code, 404)

    def test_filters_period_and_contract(self):
        self.login(self.u_alfa_admin, lang="en_US")
        only_m2 = "month_from=%s&month_to=%s" % ((rules.month_value(self.m2),) * 2)
        tree = self.stats(only_m2)
        self.assertEqual(self.total(tree), 8000.0)
        self.assertEqual(list(self.months(tree)), [rules.month_label(self.m2)])
        tree = self.stats(self.period + "&contract_id=%d" % self.c_alfa.id)
        self.assertEqual(self.total(tree), 50000.0)
        self.assertEqual(tree.xpath("//select[@id='o_b2b_stats_contract']/option[@selected]/@value"),
                         [str(self.c_alfa.id)])
        # the default period: the last 12 months, the orders of nine months ago included
        tree = self.stats("x=1")
        self.assertEqual(len(self.months(tree)), 12)
        self.assertEqual(self.months(tree)[rules.month_label(self.m1)], 50000.0)
        # another dealer's contract: not found; a bad month: the reason, next to the filter
        self.assertEqual(self.get("/b2b/stats?contract_id=%d" % self.c_beta.id).status_code, 404)
        tree = self.stats("month_from=2026-13&month_to=%s" % rules.month_value(self.m2))
        self.assertEqual(tree.xpath("//div[@id='o_b2b_stats_error']")[0].text.strip(),
                         "The first month «2026-13» is not a month: enter it as YYYY-MM or MM.YYYY.")
        self.assertFalse(tree.xpath("//*[contains(@class, 'o_b2b_stats_total')]"))
        self.login(self.u_alfa_admin)
        answer = self.get("/ru_RU/b2b/stats?month_from=весна")
        self.assertIn("Первый месяц «весна» — не месяц", answer.text)

    def test_xlsx_has_the_same_figures_as_numbers(self):
        self.login(self.u_alfa_admin, lang="en_US")
        answer = self.get("/b2b/stats/export.xlsx?" + self.period)
        self.assertEqual(answer.status_code, 200)
        self.assertIn("spreadsheetml", answer.headers["Content-Type"])
        book = openpyxl.load_workbook(io.BytesIO(answer.content))
        self.assertEqual(book.sheetnames[:5], ["By month", "By product group", "By contract",
                                               "By legal entity", "Top goods"])
        months = [[c.value for c in row] for row in book["By month"].iter_rows()]
        self.assertIn(["RUB", rules.month_label(self.m1), 50000.0, 1, 12.0], months)
        self.assertIn(["Total", None, 58000.0, 3, None], months)
        top = [[c.value for c in row] for row in book["Top goods"].iter_rows()]
        self.assertIn(["RUB", "BTH-00004", self.bath.name, 2.0, self.bath.uom_id.name, 40000.0,
                       round(100 * 40000 / 58000.0, 1)], top)
        contracts = [[c.value for c in row] for row in book["By contract"].iter_rows()]
        self.assertIn(["RUB", self.c_yug.display_name, 3000.0, 1, round(100 * 3000 / 58000.0, 1)],
                      contracts)
        # headers in the user's language
        self.login(self.u_alfa_admin)
        answer = self.get("/ru_RU/b2b/stats/export.xlsx?" + self.period)
        book = openpyxl.load_workbook(io.BytesIO(answer.content))
        self.assertEqual(book.sheetnames[0], "По месяцам")
        self.assertEqual([c.value for c in book["По месяцам"][4]][:3], ["Валюта", "Месяц", "Сумма"])
        # and the page in Russian
        page = self.get("/ru_RU/b2b/stats?" + self.period).text
        for text in ("<h2>Закупки</h2>", "<h4>По товарным группам</h4>", "Скачать xlsx"):
            self.assertIn(text, page)

    def test_another_dealers_purchases_never_appear(self):
        marks = ("INS-00019", self.beta_only.name, "77,777", "77 777", "77777")
        for user in (self.u_alfa_admin, self.u_alfa_buyer, self.u_alfa_outlet):
            self.login(user, lang="en_US")
            for path in ("/b2b/stats?" + self.period, "/b2b/stats", "/my"):
                text = self.get(path).text
                for mark in marks:
                    self.assertNotIn(mark, text, "%s on %s of %s" % (mark, path, user.login))
            answer = self.get("/b2b/stats/export.xlsx?" + self.period)
            book = openpyxl.load_workbook(io.BytesIO(answer.content))
            cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
                     if c.value is not None]
            for mark in marks:
                self.assertFalse([c for c in cells if mark in c], mark)
        # the control: «Бета»'s own user sees it
        self.login(self.u_beta_admin, lang="en_US")
        tree = self.stats()
        self.assertEqual(self.total(tree), 77777.7)
        self.assertIn("INS-00019", self.get("/b2b/stats?" + self.period).text)


class TestDashboardStats(StatsCase):

    def current_bar(self):
        tree = self.page("/my")
        chart = self.svg("o_b2b_dashboard_stats_chart")
        labels = [n.text for n in chart.iter(SVG + "text") if n.get("class") == "o_b2b_chart_label"]
        self.assertEqual(len(labels), rules.DASHBOARD_MONTHS)
        self.assertEqual(labels[-1], rules.month_short(self.today))
        self.assertTrue(tree.xpath("//div[@id='o_b2b_dashboard_stats']//a[@href='/b2b/stats']"))
        bar = [g for g in chart.iter(SVG + "g") if g.get("class") == "o_b2b_chart_bar"][-1]
        return float(bar.find(SVG + "rect").get("height")), bar.find(SVG + "title").text

    def test_dashboard_charts_the_last_months(self):
        self.login(self.u_alfa_admin, lang="en_US")
        _height, title = self.current_bar()
        with self.saved():
            self.order(self.c_alfa, rules.month_start(self.today), [(self.mixer, 3, 4115)])
        new_height, new_title = self.current_bar()
        self.assertGreater(new_height, 0)
        before = float(title.split(": ")[1].replace(",", ""))
        self.assertEqual(new_title, "%s: %s" % (rules.month_short(self.today),
                                                "{:,.0f}".format(before + 12345)))
