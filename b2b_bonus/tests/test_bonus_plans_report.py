from .test_bonus_plans import PlanCase


class TestPlanFulfilmentReport(PlanCase):
    """Sales > Bonuses > Plan Fulfilment: one row per dealer and plan line with the same figures
    the dealer sees; a manager sees only the dealers they look after."""

    def setUp(self):
        super(TestPlanFulfilmentReport, self).setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.other_manager = Users.create({
            "name": "Ольга Менеджер", "login": "plan-other-manager",
            "email": "plan-other-manager@example.com",
            "groups_id": [(6, 0, [self.env.ref("b2b_base.group_b2b_manager").id])]})
        self.accountant = Users.create({
            "name": "Бухгалтер", "login": "plan-accountant", "email": "plan-accountant@example.com",
            "groups_id": [(6, 0, [self.env.ref("b2b_base.group_b2b_accountant").id])]})
        self.other_dealer.b2b_manager_id = self.other_manager
        self.other_plan = self.env["b2b.bonus.plan"].create({
            "name": "Товар месяца: май", "partner_id": self.other_dealer.id,
            "month": "2024-05-01",
            "line_ids": [(0, 0, {"product_tmpl_id": self.drill.product_tmpl_id.id,
                                 "qty_planned": 4.0})]})

    def rows(self, user):
        return self.env["b2b.bonus.plan.fulfilment"].sudo(user).search([])

    def test_rows_have_the_dealers_figures(self):
        self.confirmed("2024-05-31 20:59:00", [(self.drill, 3), (self.saw, 2)])
        self.confirmed("2024-05-31 21:00:00", [(self.drill, 5)])  # June 1st in Moscow
        self.confirmed("2024-05-12 10:00:00", [(self.drill, 1)], partner=self.other_dealer)
        dealer_view = self.fulfilment()[self.plan.id]
        report = {row.id: row for row in self.rows(self.accountant)}
        for line in (self.drill_line, self.group_line):
            seen = self.line(dealer_view, line)
            row = report[line.id]
            self.assertEqual((row.qty_done, row.amount_done, row.percent),
                             (seen["qty_done"], seen["amount_done"], seen["percent"]))
            self.assertEqual((row.partner_id, row.manager_id, row.month),
                             (self.dealer, self.salesman, "2024-05-01"))
        self.assertEqual(report[self.drill_line.id].qty_done, 3.0)
        self.assertEqual(report[self.other_plan.line_ids.id].percent, 25.0)

    def test_managers_see_only_their_dealers(self):
        mine = self.rows(self.salesman)
        self.assertEqual(mine.mapped("partner_id"), self.dealer)
        self.assertEqual(self.rows(self.other_manager).mapped("partner_id"), self.other_dealer)
        self.assertIn(self.other_dealer, self.rows(self.accountant).mapped("partner_id"))
        self.assertIn(self.dealer, self.rows(self.accountant).mapped("partner_id"))
        # the pivot and the graph group the same rows
        groups = self.env["b2b.bonus.plan.fulfilment"].sudo(self.salesman).read_group(
            [("month", "=", "2024-05-01")], ["manager_id", "percent", "amount_planned"], ["manager_id"])
        self.assertEqual([g["manager_id"][0] for g in groups], [self.salesman.id])
        self.assertEqual(groups[0]["amount_planned"], 5000.0)

    def test_acceptance_shows_in_the_report(self):
        self.plan.write({"is_commitment": True, "date_to": "2024-08-31"})
        self.env["b2b.bonus.plan"].sudo(self.dealer_user).b2b_accept(self.plan.id)
        row = self.rows(self.salesman).filtered(lambda r: r.id == self.drill_line.id)
        self.assertEqual(row.accepted_by, self.dealer_user)
        self.assertEqual(row.date_to, "2024-08-31")

    def test_supplier_chooses_shipments_in_the_settings(self):
        settings = self.env["res.config.settings"].create({"b2b_plan_source": "shipments"})
        settings.execute()
        self.assertEqual(self.env["b2b.bonus.plan"]._b2b_source(), "shipments")
        self.confirmed("2024-05-10 09:00:00", [(self.drill, 5)])
        self.assertEqual(self.rows(self.salesman).filtered(
            lambda r: r.id == self.drill_line.id).qty_done, 0.0)
        self.assertEqual(self.env["res.config.settings"].create({}).b2b_plan_source, "shipments")
