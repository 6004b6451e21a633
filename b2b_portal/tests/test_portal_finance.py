import io
import re

import openpyxl

from odoo.addons.b2b_base.tools.rule_messages import translate

from .finance_common import FinanceHttpCase


class TestPortalFinance(FinanceHttpCase):
    """The finance page over real HTTP as the demo dealers: balances and aging of the contracts a
    user acts for, the ledger of a period with its running balance, its xlsx export, the debt
    pop-up of every portal page, the dashboard block and the navigation."""

    def make_alfa_debts(self):
        """«Альфа»'s main contract: 1000 due 50 days ago (over 45 days overdue: shipments stop),
        500 not yet due, a payment of 300 (settles the oldest debt first); its retail contract:
        200 three days overdue. «Бета» owes 9876.54, ten days overdue."""
        with self.saved():
            self.old = self.post_line(self.c_alfa, "shipment", -70, debit=1000, due=-50, number="РН-70")
            self.recent = self.post_line(self.c_alfa, "shipment", -10, debit=500, due=20, number="РН-10")
            self.payment = self.post_line(self.c_alfa, "payment", -5, credit=300, number="ПП-5")
            self.retail = self.post_line(self.c_alfa_retail, "shipment", -33, debit=200, due=-3)
            self.post_line(self.c_beta, "shipment", -40, debit=9876.54, due=-10, number="BETA-1")

    # ------------------------------------------------------------------ balances and aging
    def test_balances_and_aging_of_the_users_contracts(self):
        self.make_alfa_debts()
        self.login(self.u_alfa_admin)
        html = self.page("/b2b/finance")
        rows = self.aging_rows(html)
        # «Альфа»'s administrator acts for «Альфа» (both legal entities) and «Альфа-Юг»
        self.assertEqual(set(rows), {self.c_alfa.id, self.c_alfa_retail.id, self.c_yug.id})
        main = rows[self.c_alfa.id]
        self.assertEqual(self.value(main, "o_b2b_finance_balance"), 1200.0)
        self.assertEqual(self.value(main, "o_b2b_finance_not_due"), 500.0)
        self.assertEqual(self.value(main, "o_b2b_finance_overdue"), 700.0)
        self.assertEqual(self.last_bucket(main), 700.0, "1000 - 300 paid, over 45 days overdue")
        self.assertIn('data-blocked="1"', main)
        self.assertIn('o_b2b_finance_oldest_days">50<', main)
        retail = rows[self.c_alfa_retail.id]
        self.assertEqual(self.value(retail, "o_b2b_finance_balance"), 200.0)
        self.assertEqual(self.bucket(retail, 1), 200.0, "three days overdue: the 1-6 days bucket")
        self.assertEqual(self.last_bucket(retail), 0.0)
        self.assertIn('data-blocked="0"', retail)
        self.assertEqual(self.value(rows[self.c_yug.id], "o_b2b_finance_balance"), 0.0)
        # the total of the dealer's contracts, and the shipment block told
        total = self.section(html, "o_b2b_finance_aging_total")
        self.assertEqual(self.value(total, "o_b2b_finance_balance"), 1400.0)
        self.assertEqual(self.value(total, "o_b2b_finance_overdue"), 900.0)
        self.assertIn('id="o_b2b_finance_blocked"', html)
        # «Бета»'s 9876.54 in any of its written forms (not a bare "9876", which a CSRF token or
        # an asset hash in the page may carry)
        self.assertIsNone(re.search(r"9[\s\u00a0\u202f,]?876[.,]54", html),
                          "another dealer's figures never show")
        self.assertNotIn("BETA-1", html)
        self.assertNotIn("o_b2b_finance_source_onec", html)

    def test_onec_summary_is_shown_with_its_marker(self):
        self.make_alfa_debts()
        with self.saved():
            self.env["b2b.overdue.summary"].create({
                "contract_id": self.c_alfa_retail.id, "date": self.day(0), "balance": 4321.0,
                "not_due": 4000.0, "overdue_1": 0.0, "overdue_2": 321.0, "overdue_3": 0.0,
                "overdue_4": 0.0, "overdue_days": 9})
        self.login(self.u_alfa_buyer)
        rows = self.aging_rows(self.page("/b2b/finance"))
        retail = rows[self.c_alfa_retail.id]
        self.assertIn('data-source="1c"', retail)
        self.assertIn("o_b2b_finance_source_onec", retail)
        self.assertEqual(self.value(retail, "o_b2b_finance_balance"), 4321.0)
        self.assertEqual(self.bucket(retail, 7), 321.0)
        self.assertIn('data-source="computed"', rows[self.c_alfa.id])

    def test_outlet_user_sees_only_its_contract(self):
        self.make_alfa_debts()
        self.login(self.u_alfa_outlet)
        html = self.page("/b2b/finance")
        self.assertEqual(set(self.aging_rows(html)), {self.c_alfa_retail.id})
        self.assertNotIn("o_b2b_finance_aging_total", html)
        # its ledger only: the main contract's lines are not shown, and asking for them is a 404
        self.assertEqual([line[0] for line in self.ledger_lines(html)], self.retail.ids)
        self.assertNotIn("1200.00", html)
        self.page("/b2b/finance?contract_id=%d" % self.c_alfa.id, status=404)
        self.page("/b2b/finance/ledger.xlsx?contract_id=%d" % self.c_alfa.id, status=404)
        # the retail contract is not blocked: no notice for this outlet
        self.assertNotIn('id="o_b2b_finance_blocked"', html)

    def test_beta_never_sees_alfa_figures(self):
        self.make_alfa_debts()
        self.login(self.u_beta_admin)
        html = self.page("/b2b/finance")
        rows = self.aging_rows(html)
        self.assertEqual(set(rows), {self.c_beta.id, self.c_beta_special.id})
        self.assertEqual(self.value(rows[self.c_beta.id], "o_b2b_finance_balance"), 9876.54)
        for forged in (self.c_alfa, self.c_alfa_retail, self.c_yug):
            self.page("/b2b/finance?contract_id=%d" % forged.id, status=404)
            self.page("/b2b/finance/ledger.xlsx?contract_id=%d&date_from=%s" % (forged.id, self.day(-100)),
                      status=404)
        self.page("/b2b/finance?contract_id=abc", status=404)
        self.assertNotIn("РН-70", html)
        self.assertNotIn("1200.00", html)

    # ------------------------------------------------------------------ ledger
    def test_ledger_period_opening_running_balance_and_closing(self):
        self.make_alfa_debts()
        self.login(self.u_alfa_buyer)
        html = self.page("/b2b/finance?contract_id=%d&date_from=%s&date_to=%s"
                         % (self.c_alfa.id, self.day(-20), self.day(0)))
        self.assertIn('data-contract-id="%d"' % self.c_alfa.id,
                      re.search(r'o_b2b_finance_ledger_contract"[^>]*', html).group(0))
        # the shipment 70 days ago is before the period: it is the opening balance
        self.assertEqual(self.value(self.section(html, "o_b2b_finance_opening"), "o_b2b_finance_running"),
                         1000.0)
        self.assertEqual(self.ledger_lines(html), [
            (self.recent.id, 500.0, 0.0, 1500.0),
            (self.payment.id, 0.0, 300.0, 1200.0),
        ])
        turnover = self.section(html, "o_b2b_finance_turnover")
        self.assertEqual((self.value(turnover, "o_b2b_finance_debit"),
                          self.value(turnover, "o_b2b_finance_credit")), (500.0, 300.0))
        self.assertEqual(self.value(self.section(html, "o_b2b_finance_closing"), "o_b2b_finance_running"),
                         1200.0)
        self.assertIn("ПП-5", html)

        # a period holding only the old shipment
        html = self.page("/b2b/finance?contract_id=%d&date_from=%s&date_to=%s"
                         % (self.c_alfa.id, self.day(-80), self.day(-60)))
        self.assertEqual(self.ledger_lines(html), [(self.old.id, 1000.0, 0.0, 1000.0)])
        self.assertEqual(self.value(self.section(html, "o_b2b_finance_opening"), "o_b2b_finance_running"), 0.0)

        # the default period (the last 90 days) holds all three lines
        self.assertEqual([line[0] for line in self.ledger_lines(self.page(
            "/b2b/finance?contract_id=%d" % self.c_alfa.id))],
            [self.old.id, self.recent.id, self.payment.id])

    def test_bad_period_is_told_and_shows_no_ledger(self):
        self.make_alfa_debts()
        self.login(self.u_alfa_buyer)
        html = self.page("/b2b/finance?contract_id=%d&date_from=2024-13-40&date_to=%s"
                         % (self.c_alfa.id, self.day(0)))
        error = re.search(r'class="alert alert-danger o_b2b_error">(.*?)</div>', html, re.S)
        self.assertTrue(error, html[:500])
        self.assertIn("2024-13-40", error.group(1), "the message names the bad value")
        self.assertNotIn("o_b2b_finance_ledger_table", html)
        html = self.page("/b2b/finance?contract_id=%d&date_from=%s&date_to=%s"
                         % (self.c_alfa.id, self.day(0), self.day(-10)))
        self.assertIn("o_b2b_error", html)
        self.assertNotIn("o_b2b_finance_line", html)
        # the balances are still shown
        self.assertIn(self.c_alfa.id, self.aging_rows(html))

    def test_ledger_xlsx_export(self):
        self.make_alfa_debts()
        self.login(self.u_alfa_admin)
        params = "contract_id=%d&date_from=%s&date_to=%s" % (self.c_alfa.id, self.day(-20), self.day(0))
        self.assertIn("/b2b/finance/ledger.xlsx?%s" % params.replace("&", "&amp;"),
                      self.page("/b2b/finance?" + params))
        answer = self.get("/b2b/finance/ledger.xlsx?" + params)
        self.assertEqual(answer.status_code, 200, answer.text[:300])
        self.assertIn("spreadsheetml", answer.headers["Content-Type"])
        self.assertIn(".xlsx", answer.headers["Content-Disposition"])
        sheet = openpyxl.load_workbook(io.BytesIO(answer.content)).active
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        header_text = translate(self.env(context={"lang": "ru_RU"}), "Debit (owed)")
        header = next(i for i, row in enumerate(rows) if row[3] == header_text)
        opening, first, second, turnover, closing = rows[header + 1:header + 6]
        self.assertEqual(opening[5], 1000.0)
        self.assertEqual((first[2], first[3], first[5]), ("РН-10", 500.0, 1500.0))
        self.assertEqual(first[0].date().isoformat(), self.day(-10))
        self.assertEqual((second[2], second[4], second[5]), ("ПП-5", 300.0, 1200.0))
        self.assertEqual((turnover[3], turnover[4]), (500.0, 300.0))
        self.assertEqual(closing[5], 1200.0)
        # amounts are spreadsheet numbers, not texts
        self.assertTrue(all(isinstance(value, (int, float)) for value in (first[3], second[4], closing[5])))
        # the kinds in the user's language (Russian for the demo users)
        self.assertEqual(first[1], dict(self.Line.with_context(lang="ru_RU")._fields["kind"]
                                        ._description_selection(self.env(context={"lang": "ru_RU"})))["shipment"])

    # ------------------------------------------------------------------ debt pop-up
    def popup(self, html):
        found = re.search(r'<div id="o_b2b_debt_popup"[^>]*>', html)
        return found and found.group(0)

    def test_popup_on_every_page_while_overdue_and_gone_after_payment(self):
        self.make_alfa_debts()
        self.login(self.u_alfa_buyer)
        for path in ("/my", "/b2b/catalog", "/b2b/cart", "/b2b/orders", "/b2b/finance", "/my/account"):
            popup = self.popup(self.page(path))
            self.assertTrue(popup, "no debt pop-up on %s" % path)
            # the dealer's overdue: 700 on the main contract and 200 on the retail one
            self.assertIn('data-amount="900.00"', popup)
            self.assertIn('data-days="50"', popup)
            self.assertIn('data-blocked="1"', popup)
        html = self.page("/my")
        self.assertIn("o_b2b_debt_popup_blocked", html)
        self.assertIn('for="o_b2b_debt_popup_dismiss"', html, "a close button")
        # «Бета» is overdue too, but not blocked; its users see their own figures
        self.login(self.u_beta_buyer)
        popup = self.popup(self.page("/my"))
        self.assertIn('data-amount="9876.54"', popup)
        self.assertIn('data-blocked="0"', popup)
        self.assertNotIn("o_b2b_debt_popup_blocked", self.page("/b2b/catalog"))

        # «Альфа» pays everything: the pop-up is gone with the next page
        with self.saved():
            self.post_line(self.c_alfa, "payment", 0, credit=1200)
            self.post_line(self.c_alfa_retail, "payment", 0, credit=200)
        self.login(self.u_alfa_buyer)
        for path in ("/my", "/b2b/catalog", "/b2b/finance"):
            html = self.page(path)
            self.assertFalse(self.popup(html), path)
        self.assertNotIn('id="o_b2b_finance_blocked"', html)

    def test_no_popup_without_overdue_debt(self):
        with self.saved():
            # a debt not yet due is no reason for a pop-up
            self.post_line(self.c_alfa, "shipment", -5, debit=750, due=25)
        self.login(self.u_alfa_admin)
        html = self.page("/my")
        self.assertFalse(self.popup(html))
        self.assertNotIn("o_b2b_debt_popup_dismiss", html)

    def test_popup_reads_the_stored_state_and_outlets_their_contract(self):
        """The pop-up shows the stored debt state (no aging computed for a page): an overdue
        state stored on the dealer shows even with no ledger line; an outlet user sees the
        state of its own contract, not the dealer's."""
        with self.saved():
            self.alfa.write({"b2b_overdue_amount": 123.45, "b2b_overdue_days": 7,
                             "b2b_shipment_blocked": False})
        self.login(self.u_alfa_admin)
        popup = self.popup(self.page("/b2b/orders"))
        self.assertIn('data-amount="123.45"', popup)
        self.assertIn('data-days="7"', popup)
        self.login(self.u_alfa_outlet)
        self.assertFalse(self.popup(self.page("/my")), "the retail contract owes nothing")
        with self.saved():
            self.c_alfa_retail.write({"b2b_overdue_amount": 55.0, "b2b_overdue_days": 60,
                                      "b2b_shipment_blocked": True})
        popup = self.popup(self.page("/my"))
        self.assertIn('data-amount="55.00"', popup)
        self.assertIn('data-blocked="1"', popup)

    def test_no_popup_for_the_suppliers_staff(self):
        self.make_alfa_debts()
        self.login(self.env.ref("b2b_base.demo_user_manager_ivan"))
        answer = self.get("/my")
        self.assertFalse(self.popup(answer.text))

    # ------------------------------------------------------------------ navigation, dashboard
    def test_navigation_and_dashboard_block(self):
        self.make_alfa_debts()
        self.login(self.u_alfa_admin)
        html = self.page("/my")
        self.assertIn('href="/b2b/finance"', re.search(r'<nav class="o_b2b_navbar.*?</nav>', html, re.S).group(0))
        panel = re.search(r'id="o_b2b_dashboard_finance_panel"(.*?)</table>', html, re.S)
        self.assertTrue(panel, "the dashboard's finance block")
        rows = dict(re.findall(r'o_b2b_dashboard_finance_row" data-contract-id="(\d+)"(.*?)</tr>',
                               panel.group(1), re.S))
        self.assertEqual(self.value(rows[str(self.c_alfa.id)], "o_b2b_dashboard_balance"), 1200.0)
        self.assertEqual(self.value(rows[str(self.c_alfa.id)], "o_b2b_dashboard_overdue"), 700.0)
        self.assertIn("o_b2b_dashboard_blocked", rows[str(self.c_alfa.id)])
        self.assertEqual(self.value(rows[str(self.c_alfa_retail.id)], "o_b2b_dashboard_overdue"), 200.0)
        finance = self.page("/b2b/finance")
        self.assertIn("o_b2b_nav_finance", re.search(r'<li class="active o_b2b_nav_finance"', finance).group(0))
        for tab in ("/b2b/acts", "/b2b/documents"):
            self.assertIn('href="%s"' % tab, finance)
        self.login(self.u_beta_admin)
        html = self.page("/my")
        self.assertNotIn('data-contract-id="%d"' % self.c_alfa.id, html)
        self.assertNotIn("1200.00", html)
