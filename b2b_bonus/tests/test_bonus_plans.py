from odoo import fields
from odoo.exceptions import AccessError, UserError

from odoo.addons.b2b_base.tests.common import DealerJsonRpcCase
from odoo.addons.b2b_base.tools import business_date

from .common import BonusCase


class PlanCase(BonusCase):
    """The dealer's plan for May 2024 (the supplier works in Moscow, UTC+3): 10 drills and 5000 of
    the «Инструмент» group; a dealer's user of that dealer and one of another dealer."""

    def setUp(self):
        super(PlanCase, self).setUp()
        self.env.user.company_id.partner_id.tz = "Europe/Moscow"
        Users = self.env["res.users"].with_context(no_reset_password=True)
        portal = self.env.ref("base.group_portal")
        self.dealer_user = Users.create({
            "name": "Пётр Закупщик", "login": "plan-dealer-admin", "b2b_role": "admin",
            "email": "plan-dealer-admin@example.com", "partner_id": self.buyer.id,
            "groups_id": [(6, 0, [portal.id])]})
        self.other_dealer = self.env["res.partner"].create({
            "name": "ООО «Другой дилер»", "is_company": True, "b2b_is_dealer": True})
        self.other_user = Users.create({
            "name": "Иван Другой", "login": "plan-other-dealer", "b2b_role": "admin",
            "email": "plan-other-dealer@example.com",
            "partner_id": self.env["res.partner"].create({
                "name": "Иван Другой", "parent_id": self.other_dealer.id}).id,
            "groups_id": [(6, 0, [portal.id])]})
        self.tools = self.env["product.category"].create({"name": "Инструмент"})
        self.saws = self.env["product.category"].create({"name": "Пилы", "parent_id": self.tools.id})
        self.saw = self.env["product.product"].create({
            "name": "Пила", "type": "consu", "list_price": 500.0, "categ_id": self.saws.id})
        self.env["b2b.price"].create({
            "product_id": self.saw.id, "price_type_id": self.price_type.id, "price": 500.0})
        Plan = self.env["b2b.bonus.plan"].sudo(self.b2b_admin)
        self.plan = Plan.create({
            "name": "Товар месяца: май", "partner_id": self.dealer.id, "month": "2024-05-01",
            "line_ids": [(0, 0, {"product_tmpl_id": self.drill.product_tmpl_id.id,
                                 "qty_planned": 10.0}),
                         (0, 0, {"categ_id": self.tools.id, "amount_planned": 5000.0})]})
        self.drill_line, self.group_line = self.plan.line_ids

    def confirmed(self, when, lines, partner=None):
        """A money order of the dealer placed at ``when`` (UTC) and confirmed."""
        order = self.order(lines, bonus=False, partner=partner, user=self.env.user)
        order.sudo().write({"date_order": when})
        order.sudo().action_confirm()
        return order

    def fulfilment(self, user=None, plan_ids=None):
        Plan = self.env["b2b.bonus.plan"].sudo(user or self.dealer_user)
        rows = Plan.b2b_fulfilment([self.plan.id] if plan_ids is None else plan_ids)
        return {row["id"]: row for row in rows}

    def line(self, row, line):
        return next(l for l in row["lines"] if l["id"] == line.id)


class TestPlanFields(PlanCase):

    def test_period_ends_with_the_month_unless_set(self):
        self.assertEqual(self.plan.date_to, "2024-05-31")
        february = self.env["b2b.bonus.plan"].create({
            "name": "Февраль", "partner_id": self.dealer.id, "month": "2024-02-01"})
        self.assertEqual(february.date_to, "2024-02-29")
        february.month = "2024-03-01"
        self.assertEqual(february.date_to, "2024-03-31")
        season = self.env["b2b.bonus.plan"].create({
            "name": "Сезон", "partner_id": self.dealer.id, "month": "2024-03-01",
            "date_to": "2024-08-31", "is_commitment": True})
        self.assertEqual(season.date_to, "2024-08-31")

    def test_dealer_accepts_own_commitment_once(self):
        self.plan.write({"is_commitment": True, "date_to": "2024-08-31"})
        before = fields.Datetime.now()
        answer = self.env["b2b.bonus.plan"].sudo(self.dealer_user).b2b_accept(self.plan.id)
        self.assertEqual(self.plan.accepted_by, self.dealer_user)
        self.assertGreaterEqual(self.plan.accepted_on, before)
        self.assertEqual(answer["accepted_on"], self.plan.accepted_on)
        with self.refused(UserError) as caught:
            self.env["b2b.bonus.plan"].sudo(self.dealer_user).b2b_accept(self.plan.id)
        self.assertIn("already accepted by Пётр Закупщик", caught.exception.name)
        self.assertEqual(self.plan.accepted_by, self.dealer_user)

    def test_another_dealer_cannot_accept(self):
        self.plan.is_commitment = True
        with self.refused(AccessError):
            self.env["b2b.bonus.plan"].sudo(self.other_user).b2b_accept(self.plan.id)
        with self.refused(AccessError):
            self.env["b2b.bonus.plan"].sudo(self.other_user).b2b_fulfilment([self.plan.id])
        with self.refused(AccessError):  # supplier staff accept nothing for a dealer
            self.env["b2b.bonus.plan"].sudo(self.salesman).b2b_accept(self.plan.id)
        self.assertFalse(self.plan.accepted_on)

    def test_a_monthly_plan_is_not_accepted(self):
        with self.refused(UserError) as caught:
            self.env["b2b.bonus.plan"].sudo(self.dealer_user).b2b_accept(self.plan.id)
        self.assertIn("not a seasonal commitment", caught.exception.name)
        self.assertFalse(self.plan.accepted_by)


class TestPlanFulfilment(PlanCase):

    def test_orders_of_the_last_day_count_and_of_the_next_day_do_not(self):
        # 23:59 of May 31st in Moscow is 20:59 UTC; 00:00 of June 1st there is 21:00 UTC of May 31st
        self.confirmed("2024-05-31 20:59:00", [(self.drill, 3)])
        self.confirmed("2024-05-31 21:00:00", [(self.drill, 5)])
        # 00:00 of May 1st in Moscow (21:00 UTC of April 30th) counts, a minute before does not
        self.confirmed("2024-04-30 21:00:00", [(self.drill, 1)])
        self.confirmed("2024-04-30 20:59:00", [(self.drill, 7)])
        row = self.fulfilment()[self.plan.id]
        drill = self.line(row, self.drill_line)
        self.assertEqual(drill["qty_done"], 4.0)
        self.assertEqual(drill["percent"], 40.0)
        self.assertEqual(drill["missing_qty"], 6.0)
        self.assertEqual(drill["product_id"], self.drill.id)
        self.assertEqual(drill["target"], "Дрель")

    def test_quantities_ordered_in_another_unit_count_in_the_products_unit(self):
        order = self.order([(self.drill, 1)], bonus=False, user=self.env.user)
        order.order_line.product_uom = self.env.ref("product.product_uom_dozen")
        order.sudo().write({"date_order": "2024-05-10 09:00:00"})
        order.sudo().action_confirm()
        self.confirmed("2024-05-11 09:00:00", [(self.drill, 3)])
        drill = self.line(self.fulfilment()[self.plan.id], self.drill_line)
        self.assertEqual((drill["qty_done"], drill["percent"], drill["missing_qty"]),
                         (15.0, 150.0, 0.0))

    def test_groups_count_their_subgroups_and_quotations_and_bonus_orders_do_not(self):
        order = self.confirmed("2024-05-10 09:00:00", [(self.saw, 4), (self.drill, 2)])
        saws = order.order_line.filtered(lambda l: l.product_id == self.saw).price_subtotal
        self.order([(self.saw, 100)], bonus=False).sudo().write({"date_order": "2024-05-10 09:00:00"})
        self.confirmed("2024-05-11 09:00:00", [(self.drill, 1)], partner=self.other_dealer)
        row = self.fulfilment()[self.plan.id]
        group = self.line(row, self.group_line)
        drill = self.line(row, self.drill_line)
        self.assertEqual(group["target"], "Инструмент")
        self.assertFalse(group["product_id"])
        # the saws only (their amount without tax): the drill is not in the group
        self.assertEqual(group["amount_done"], saws)
        self.assertEqual(group["percent"], round(100.0 * saws / 5000.0, 1))
        self.assertEqual(drill["qty_done"], 2.0)
        self.assertEqual(row["percent"], round((20.0 + group["percent"]) / 2, 1))
        self.assertEqual((row["month"], row["date_to"]), ("2024-05-01", "2024-05-31"))
        self.assertEqual(row["days_left"], 0)

    def test_group_from_the_1c_id_of_a_category(self):
        self.tools.b2b_onec_id = "grp-tools"
        self.group_line.write({"categ_id": False, "group_onec_id": "grp-tools",
                               "group_name": "Инструмент (1С)"})
        order = self.confirmed("2024-05-10 09:00:00", [(self.saw, 1)])
        group = self.line(self.fulfilment()[self.plan.id], self.group_line)
        self.assertTrue(order.amount_untaxed)
        self.assertEqual(group["amount_done"], order.amount_untaxed)
        self.assertEqual(group["target"], "Инструмент (1С)")

    def test_default_is_the_current_month_and_running_commitments(self):
        today = business_date.today(self.env)
        month = today.strftime("%Y-%m-01")
        Plan = self.env["b2b.bonus.plan"]
        current = Plan.create({"name": "Сейчас", "partner_id": self.dealer.id, "month": month})
        season = Plan.create({"name": "Сезон", "partner_id": self.dealer.id, "is_commitment": True,
                              "month": "2024-01-01", "date_to": "2099-12-31"})
        Plan.create({"name": "Чужой", "partner_id": self.other_dealer.id, "month": month})
        rows = self.env["b2b.bonus.plan"].sudo(self.dealer_user).b2b_fulfilment()
        self.assertEqual(sorted(row["id"] for row in rows), sorted((current | season).ids))
        self.assertTrue(all(row["days_left"] >= 1 for row in rows))

    def test_shipments_when_the_supplier_chooses_them(self):
        self.env["ir.config_parameter"].set_param("b2b_bonus.plan_source", "shipments")
        order = self.confirmed("2024-05-10 09:00:00", [(self.drill, 5)])
        self.assertEqual(self.line(self.fulfilment()[self.plan.id], self.drill_line)["qty_done"], 0.0)
        picking = order.picking_ids
        for move in picking.move_lines:
            move.quantity_done = 2.0
        picking.with_context(cancel_backorder=True).action_done()
        picking.move_lines.filtered(lambda m: m.state == "done").write({"date": "2024-05-20 10:00:00"})
        drill = self.line(self.fulfilment()[self.plan.id], self.drill_line)
        self.assertEqual(drill["qty_done"], 2.0)
        # valued at the order's price
        self.assertEqual(drill["amount_done"], 2 * order.order_line.price_reduce)
        self.env["ir.config_parameter"].set_param("b2b_bonus.plan_source", "orders")
        self.assertEqual(self.line(self.fulfilment()[self.plan.id], self.drill_line)["qty_done"], 5.0)


class TestPlanDealerApi(DealerJsonRpcCase):
    """The portal calls the plans' dealer API through Odoo's RPC as the dealer's user; the rest of
    the model stays closed to dealers."""

    def setUp(self):
        super(TestPlanDealerApi, self).setUp()
        self.alfa = self.env.ref("b2b_base.demo_dealer_alfa")
        self.season = self.env["b2b.bonus.plan"].create({
            "name": "Сезон: садовая техника", "partner_id": self.alfa.id, "is_commitment": True,
            "month": business_date.today(self.env).strftime("%Y-%m-01"), "date_to": "2099-08-31"})
        self.authenticate("alfa.admin", "alfa.admin")

    def test_dealer_accepts_and_reads_fulfilment_over_rpc(self):
        rows, error = self.call("b2b.bonus.plan", "b2b_fulfilment")
        self.assertFalse(error)
        self.assertIn(self.season.id, [row["id"] for row in rows])
        answer, error = self.call("b2b.bonus.plan", "b2b_accept", self.season.id)
        self.assertFalse(error)
        self.season.invalidate_cache()
        self.assertEqual(self.season.accepted_by.login, "alfa.admin")
        self.assertEqual(answer["accepted_on"], self.season.accepted_on)
        # the dealer cannot write the acceptance by hand
        _result, error = self.call("b2b.bonus.plan", "write", [self.season.id],
                                   {"accepted_on": False})
        self.assertGated(error, "b2b.bonus.plan", "write")
