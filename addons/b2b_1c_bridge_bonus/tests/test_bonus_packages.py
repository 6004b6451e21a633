"""The bonus packages of 1C (bonus balances and prices, monthly plans; b2b_1c_bridge's
doc/exchange_contract.rst) sent by the 1C stand-in over real HTTP: each example package lands, the
same package twice changes nothing, and a bad record stops the file with a message naming the file,
the line and the element, leaving the database as it was."""
from odoo.addons.b2b_1c_bridge.tests.test_packages_exchange import (
    MUG, P1, P2, PackagesCase, example, line_of)
from odoo.addons.b2b_base.tools import business_date


class TestBonusPackages(PackagesCase):

    def test_bonus_balances_and_prices_land_once(self):
        counts = self.send("b2b_bonuses.xml")
        self.assertEqual((sum(counts[:2]), counts[2]), (4, 0), counts)
        Balance = "b2b.bonus.balance"
        alfa = self.search(Balance, [("partner_id", "=", self.alfa.id)])
        beta = self.search(Balance, [("partner_id", "=", self.beta.id)])
        self.assertEqual((alfa.points, alfa.balance_date, alfa.b2b_onec_id),
                         (4100.0, "2026-11-20", "5f1c2a10-0b01-11ee-9c00-000c29a1b2c3"))
        self.assertEqual((beta.points, beta.b2b_onec_id), (750.5, "5f1c2a10-0b04-11ee-9c00-000c29a1b2c3"))
        mug, mixer = self.products[MUG], self.products[P1]
        self.assertEqual((mug.b2b_bonus_only, mug.b2b_bonus_price), (True, 150.0))
        self.assertEqual((mixer.b2b_bonus_only, mixer.b2b_bonus_price), (False, 1200.0))
        self.assertEqual(self.send("b2b_bonuses.xml"), (0, 0, 4))

        bad = example("b2b_bonuses.xml").replace(
            "<ИдКонтрагента>5f1c2a10-0004".encode(), "<ИдКонтрагента>5f1c2a10-0002".encode()
        ).replace("<Баллы>4100".encode(), "<Баллы>9999".encode())
        reason = self.refused("b2b_bonuses.xml", bad)
        self.assertEqual(reason, "b2b_bonuses.xml, line %d, Остатки/Остаток/ИдКонтрагента: "
                                 "counterparty 5f1c2a10-0002-11ee-9c00-000c29a1b2c3 is not a "
                                 "dealer."
                         % line_of(bad, "5f1c2a10-0002"))
        self.assertEqual(alfa.points, 4100.0, "the balance read before the bad one is not kept")

    def test_monthly_plans_land_once_and_change_as_a_whole(self):
        self.assertEqual(self.send("b2b_plans.xml"), (2, 0, 0))
        plan = self.search("b2b.bonus.plan", [("b2b_onec_id", "=", "f1a00000-2026-4011-8000-000000000001")])
        self.assertEqual((plan.partner_id, plan.month, plan.name),
                         (self.alfa, "2026-11-01", "Товар месяца: ноябрь 2026, «Альфа-Дилер»"))
        self.assertEqual(sorted((l.product_tmpl_id.b2b_onec_id or l.group_name, l.qty_planned,
                                 l.amount_planned) for l in plan.line_ids),
                         [(P1, 40.0, 0.0), ("Смесители", 0.0, 250000.0)])
        self.assertEqual(plan.line_ids.mapped("categ_id"), self.group)
        beta_plan = self.search("b2b.bonus.plan", [("partner_id", "=", self.beta.id)])
        self.assertEqual(beta_plan.name, "ООО «Бета-Трейд» 11.2026")
        for login, plans in (("beta_admin", beta_plan), ("alfa_admin", plan)):
            user = self.ref("b2b_base.demo_user_%s" % login)
            self.assertEqual(self.xenv["b2b.bonus.plan"].sudo(user).search([]), plans,
                             "a dealer's users see only their dealers' plans")
            self.assertEqual(self.xenv["b2b.bonus.plan.line"].sudo(user).search([]), plans.line_ids)
        lines = self.search("b2b.bonus.plan.line")
        self.assertEqual(self.send("b2b_plans.xml"), (0, 0, 2))
        self.assertEqual(self.search("b2b.bonus.plan.line"), lines, "unchanged plans keep their lines")
        changed = example("b2b_plans.xml").replace(
            "<КоличествоПлан>40</КоличествоПлан>".encode(), "<КоличествоПлан>45</КоличествоПлан>".encode())
        self.assertEqual(self.send("b2b_plans.xml", changed), (0, 1, 1))
        self.assertEqual(sorted(plan.line_ids.mapped("qty_planned")), [0.0, 45.0])
        bad = example("b2b_plans.xml").replace(P2.encode(), b"9a1f2b3c-0000-4000-8000-00000000ffff")
        reason = self.refused("b2b_plans.xml", bad)
        self.assertEqual(reason, "b2b_plans.xml, line %d, План/Строки/Строка/ИдТовара: no product has "
                                 "the 1C id 9a1f2b3c-0000-4000-8000-00000000ffff."
                         % line_of(bad, "00000000ffff"))
        self.assertEqual(sorted(plan.line_ids.mapped("qty_planned")), [0.0, 45.0])

    def test_a_seasonal_commitment_from_1c_keeps_the_dealers_acceptance(self):
        self.assertEqual(self.send("b2b_plans.xml"), (2, 0, 0))
        monthly = self.search("b2b.bonus.plan", [("partner_id", "=", self.alfa.id)])
        season = self.search("b2b.bonus.plan", [("partner_id", "=", self.beta.id)])
        self.assertEqual((monthly.is_commitment, monthly.date_to), (False, "2026-11-30"))
        self.assertEqual((season.is_commitment, season.month, season.date_to),
                         (True, "2026-11-01", "2027-02-28"))
        user = self.ref("b2b_base.demo_user_beta_admin")
        self.xenv["b2b.bonus.plan"].sudo(user).b2b_accept(season.id)
        self.assertEqual(self.send("b2b_plans.xml"), (0, 0, 2))
        longer = example("b2b_plans.xml").replace(b"2027-02-28", b"2027-03-31")
        self.assertEqual(self.send("b2b_plans.xml", longer), (0, 1, 1))
        season.invalidate_cache()
        self.assertEqual((season.date_to, season.accepted_by), ("2027-03-31", user),
                         "1C's new version of the plan keeps the dealer's acceptance")

    def test_a_balance_from_1c_is_a_statement_in_the_history_and_reconciles(self):
        self.send("b2b_bonuses.xml")
        Move, Balance = "b2b.bonus.move", self.xenv["b2b.bonus.balance"]
        statements = self.search(Move, [("partner_id", "=", self.alfa.id), ("kind", "=", "statement")])
        latest = statements.sorted("id")[-1]
        self.assertEqual((latest.points, latest.name),
                         (4100.0, "5f1c2a10-0b01-11ee-9c00-000c29a1b2c3"))
        self.send("b2b_bonuses.xml")
        self.assertEqual(self.search(Move, [("partner_id", "=", self.alfa.id),
                                            ("kind", "=", "statement")]), statements,
                         "the same figure twice is one statement")
        # a bonus order 1C confirms after its statement of 2026-11-20 is not in that figure
        mug = self.products[MUG].product_variant_id
        order = self.xenv["sale.order"].create({
            "partner_id": self.alfa.id, "b2b_contract_id": self.c_alfa.id,
            "b2b_is_bonus_order": True,
            "order_line": [(0, 0, {"product_id": mug.id, "product_uom_qty": 2, "price_unit": 0.0})]})
        order.action_confirm()
        self.commit()
        self.assertEqual(Balance.b2b_dealer_summary(partner_id=self.alfa.id),
                         {"stated": 4100.0, "stated_date": "2026-11-20", "reserved": 0.0,
                          "available": 3800.0})
        # 1C's next statement counts the spend: the figures agree again
        today = business_date.today_string(self.env)  # the supplier's date, as 1C dates its figure
        stated = example("b2b_bonuses.xml").replace(
            "<Баллы>4100".encode(), "<Баллы>3800".encode()).replace(
            "<Дата>2026-11-20</Дата>".encode(), ("<Дата>%s</Дата>" % today).encode())
        self.assertEqual(self.send("b2b_bonuses.xml", stated), (0, 2, 2))
        Balance.invalidate_cache()
        self.assertEqual(Balance.b2b_dealer_summary(partner_id=self.alfa.id),
                         {"stated": 3800.0, "stated_date": today, "reserved": 0.0,
                          "available": 3800.0})
