import time

from odoo.exceptions import AccessError, UserError

from odoo.addons.b2b_base.tests.common import DealerJsonRpcCase
from odoo.addons.b2b_base.tools import business_date

from .common import BonusCase


class LedgerCase(BonusCase):
    """BonusCase with the dealer's buyer as a portal user placing orders in the portal."""

    def setUp(self):
        super(LedgerCase, self).setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        portal = self.env.ref("base.group_portal")
        self.dealer_user = Users.create({
            "name": "Пётр Закупщик", "login": "bonus-ledger-buyer",
            "email": "bonus-ledger-buyer@example.com", "partner_id": self.buyer.id,
            "groups_id": [(6, 0, [portal.id])], "b2b_role": "buyer"})
        self.cap = self.env["product.product"].sudo(self.b2b_admin).create({
            "name": "Кепка", "type": "consu", "list_price": 0.0,
            "b2b_bonus_only": True, "b2b_bonus_price": 100.0})

    def place(self, lines, user=None):
        order_id = self.env["sale.order"].sudo(user or self.dealer_user).b2b_place_bonus_order(
            self.contract.id, [(product.id, qty) for product, qty in lines])
        return self.env["sale.order"].browse(order_id)

    def summary(self, user=None, **kwargs):
        return self.env["b2b.bonus.balance"].sudo(user or self.dealer_user).b2b_dealer_summary(
            **kwargs)

    def history(self, user=None):
        return [(move.kind, move.points, move.order_id.name or False)
                for move in self.env["b2b.bonus.move"].sudo(user or self.dealer_user).search(
                    [], order="id")]


class TestBonusLedger(LedgerCase):

    def test_placing_reserves_the_points_until_1c_confirms(self):
        order = self.place([(self.mug, 2), (self.cap, 1)])  # 300 + 100
        self.assertTrue(order.b2b_is_bonus_order)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.b2b_origin, "portal")
        self.assertEqual(order.b2b_bonus_points_total, 400.0)
        self.assertEqual(order.amount_total, 0.0)  # never a money price
        self.assertEqual(order.b2b_bonus_points_reserved, 400.0)
        self.assertEqual(self.summary(), {"stated": 1000.0, "stated_date": "2024-05-01",
                                          "reserved": 400.0, "available": 600.0})
        self.assertEqual(self.history(), [("statement", 1000.0, False),
                                          ("reserve", 400.0, order.name)])
        # 1C confirms the order: the reservation becomes a spend
        order.sudo().action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual((order.b2b_bonus_points_reserved, order.b2b_bonus_points_spent),
                         (0.0, 400.0))
        self.assertEqual(self.summary(), {"stated": 1000.0, "stated_date": "2024-05-01",
                                          "reserved": 0.0, "available": 600.0})
        self.assertEqual(self.history()[-1], ("spend", 400.0, order.name))

    def test_short_points_are_refused_and_nothing_is_created(self):
        self.place([(self.mug, 4)])  # 600 of 1000 reserved
        orders = self.env["sale.order"].search_count([])
        with self.refused(UserError) as caught:
            self.place([(self.mug, 3)])  # 450 > 400
        self.assertEqual(caught.exception.name,
                         "The bonus order costs 450 points, 400 available: 50 short.")
        self.assertEqual(self.env["sale.order"].search_count([]), orders)
        self.assertEqual(len(self.history()), 2)
        self.assertEqual(self.summary()["available"], 400.0)

    def test_short_points_message_in_russian(self):
        Order = self.env["sale.order"].sudo(self.dealer_user).with_context(lang="ru_RU")
        with self.refused(UserError) as caught:
            Order.b2b_place_bonus_order(self.contract.id, [(self.mug.id, 7)])
        self.assertEqual(caught.exception.name,
                         "Бонусный заказ стоит 1050 баллов, доступно 1000: не хватает 50.")

    def test_money_goods_are_not_sold_for_points(self):
        with self.refused(UserError) as caught:
            self.place([(self.mug, 1), (self.drill, 1)])
        self.assertIn("line 2, product Дрель: this product is not sold for bonus points",
                      caught.exception.name)
        self.assertEqual(self.summary()["reserved"], 0.0)

    def test_cancelling_a_placed_order_releases_its_points(self):
        order = self.place([(self.mug, 2)])
        order.sudo().action_cancel()
        self.assertEqual(order.b2b_bonus_points_reserved, 0.0)
        self.assertEqual(self.summary()["available"], 1000.0)
        self.assertEqual(self.history()[-1], ("release", 300.0, order.name))

    def test_cancelling_a_confirmed_order_gives_the_spent_points_back(self):
        order = self.place([(self.mug, 2)])
        order.sudo().action_confirm()
        order.sudo().action_cancel()
        self.assertEqual(self.summary()["available"], 1000.0)
        self.assertEqual([kind for kind, _p, _o in self.history()],
                         ["statement", "reserve", "spend", "release"])

    def test_a_new_statement_from_1c_reconciles(self):
        spent = self.place([(self.mug, 2)])          # 300
        spent.sudo().action_confirm()
        held = self.place([(self.cap, 1)])            # 100, not confirmed yet
        self.assertEqual(self.summary()["available"], 600.0)
        # 1C states today's balance: its figure counts the 300 spent, not the open 100
        today = business_date.today_string(self.env)  # the supplier's date, as 1C dates its figure
        self.balance.sudo(self.b2b_admin).write({"points": 700.0, "balance_date": today})
        self.assertEqual(self.summary(), {"stated": 700.0, "stated_date": today,
                                          "reserved": 100.0, "available": 600.0})
        # an order 1C confirms after its statement is not in 1C's figure yet
        held.sudo().action_confirm()
        self.assertEqual(self.summary()["available"], 600.0)
        later = self.place([(self.mug, 1)])
        later.sudo().action_confirm()
        self.assertEqual(self.summary(), {"stated": 700.0, "stated_date": today,
                                          "reserved": 0.0, "available": 450.0})
        # a spend 1C counted and a cancellation after the statement gives the points back
        spent.sudo().action_cancel()
        self.assertEqual(self.summary()["available"], 750.0)

    def test_a_statement_of_an_earlier_day_does_not_count_todays_spends(self):
        order = self.place([(self.mug, 2)])
        order.sudo().action_confirm()
        self.balance.sudo(self.b2b_admin).write({"points": 1000.0, "balance_date": "2024-06-01"})
        self.assertEqual(self.summary()["available"], 700.0)

    def test_order_under_another_legal_entity_spends_the_dealers_points(self):
        entity = self.env["res.partner"].create({
            "name": "ООО «Бонус-Розница»", "is_company": True, "b2b_entity_of_id": self.dealer.id})
        contract = self.contract_for(entity)
        order_id = self.env["sale.order"].sudo(self.dealer_user).b2b_place_bonus_order(
            contract.id, [(self.mug.id, 2)])
        order = self.env["sale.order"].browse(order_id)
        self.assertEqual(order.partner_id, entity)
        self.assertEqual(self.summary()["reserved"], 300.0)
        order.sudo().action_confirm()
        order.sudo().action_cancel()
        self.assertEqual(self.history()[1:], [("reserve", 300.0, order.name),
                                              ("spend", 300.0, order.name),
                                              ("release", 300.0, order.name)])
        self.assertEqual(self.summary()["available"], 1000.0)

    def test_backend_bonus_order_spends_at_confirmation(self):
        order = self.order([(self.mug, 2)])
        self.assertEqual(self.summary()["reserved"], 0.0)
        order.action_confirm()
        self.assertEqual(self.history()[-1], ("spend", 300.0, order.name))
        self.assertEqual(self.summary()["available"], 700.0)
        # the spend counts against the points the dealer's portal orders can reserve
        with self.refused(UserError) as caught:
            self.place([(self.mug, 5)])
        self.assertEqual(caught.exception.name,
                         "The bonus order costs 750 points, 700 available: 50 short.")

    def test_a_manager_changing_a_placed_order_resizes_its_reservation(self):
        order = self.place([(self.mug, 2)])  # 300 reserved of 1000
        manager = self.env["sale.order"].sudo(self.salesman).browse(order.id)
        mug_line = manager.order_line
        mug_line.write({"product_uom_qty": 4})  # 600
        self.assertEqual(order.b2b_bonus_points_reserved, 600.0)
        self.assertEqual(self.summary()["available"], 400.0)
        manager.write({"order_line": [(0, 0, {"product_id": self.cap.id, "product_uom_qty": 1})]})
        self.assertEqual((order.b2b_bonus_points_reserved, self.summary()["available"]), (700.0, 300.0))
        mug_line.unlink()
        self.assertEqual((order.b2b_bonus_points_reserved, self.summary()["available"]), (100.0, 900.0))
        self.assertEqual(self.history()[1:], [("reserve", 300.0, order.name),
                                              ("reserve", 300.0, order.name),
                                              ("reserve", 100.0, order.name),
                                              ("release", 600.0, order.name)])
        # 1C confirms what the order holds now
        order.sudo().action_confirm()
        self.assertEqual(self.history()[-1], ("spend", 100.0, order.name))
        self.assertEqual(self.summary()["available"], 900.0)

    def test_a_change_beyond_the_available_points_is_refused_and_nothing_changes(self):
        order = self.place([(self.mug, 2)])   # 300
        other = self.place([(self.mug, 4)])   # 600: 100 left
        line = self.env["sale.order"].sudo(self.salesman).browse(order.id).order_line
        with self.refused(UserError) as caught:
            line.with_context(lang="ru_RU").write({"product_uom_qty": 3})  # 450 > 300 + 100
        self.assertEqual(caught.exception.name, "Бонусный заказ %s:\n"
                         "Бонусный заказ стоит 450 баллов, доступно 400: не хватает 50." % order.name)
        self.assertEqual(line.product_uom_qty, 2)
        self.assertEqual((order.b2b_bonus_points_reserved, other.b2b_bonus_points_reserved),
                         (300.0, 600.0))
        self.assertEqual(self.summary()["available"], 100.0)
        self.assertEqual(len(self.history()), 3)


class TestBonusLedgerAccess(LedgerCase):

    def setUp(self):
        super(TestBonusLedgerAccess, self).setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.other_dealer = self.env["res.partner"].create({
            "name": "ООО «Другой дилер»", "is_company": True, "b2b_is_dealer": True})
        self.other_balance = self.env["b2b.bonus.balance"].create({
            "partner_id": self.other_dealer.id, "points": 50.0, "balance_date": "2024-05-02"})
        other_contact = self.env["res.partner"].create({
            "name": "Иван Другой", "parent_id": self.other_dealer.id})
        self.other_user = Users.create({
            "name": "Иван Другой", "login": "bonus-ledger-other",
            "email": "bonus-ledger-other@example.com", "partner_id": other_contact.id,
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])], "b2b_role": "buyer"})
        self.place([(self.mug, 1)])

    def test_dealer_user_reads_only_own_dealers_history(self):
        Move = self.env["b2b.bonus.move"]
        mine = Move.sudo(self.dealer_user).search([])
        self.assertEqual(set(mine.mapped("partner_id").ids), {self.dealer.id})
        self.assertEqual(len(mine), 2)
        theirs = Move.sudo(self.other_user).search([])
        self.assertEqual(theirs.mapped("partner_id"), self.other_dealer)
        with self.refused(AccessError):
            mine.sudo(self.other_user).read(["points"])

    def test_nobody_writes_the_history_by_hand(self):
        move = self.env["b2b.bonus.move"].search([("partner_id", "=", self.dealer.id)], limit=1)
        for user in (self.dealer_user, self.salesman, self.b2b_admin):
            with self.refused(AccessError):
                move.sudo(user).write({"points": 1.0})
            with self.refused(AccessError):
                self.env["b2b.bonus.move"].sudo(user).create({
                    "partner_id": self.dealer.id, "kind": "statement", "points": 5000.0})
            with self.refused(AccessError):
                move.sudo(user).unlink()

    def test_summary_of_another_dealer_is_refused_to_a_dealer_user(self):
        self.assertEqual(self.summary(user=self.other_user)["stated"], 50.0)
        with self.refused(AccessError):
            self.summary(user=self.other_user, partner_id=self.dealer.id)
        # the supplier's salesman names the dealer
        self.assertEqual(self.summary(user=self.salesman, partner_id=self.dealer.id),
                         {"stated": 1000.0, "stated_date": "2024-05-01",
                          "reserved": 150.0, "available": 850.0})

    def test_other_dealers_user_cannot_place_under_this_contract(self):
        with self.refused(AccessError):
            self.place([(self.mug, 1)], user=self.other_user)


class TestBonusSummaryRpc(DealerJsonRpcCase):
    """The portal's pages ask for the points over JSON-RPC as the dealer's user."""

    def test_dealer_user_reads_own_points_and_not_another_dealers(self):
        alfa = self.env.ref("b2b_base.demo_dealer_alfa")
        self.authenticate("alfa.buyer", "alfa.buyer")
        summary, error = self.call("b2b.bonus.balance", "b2b_dealer_summary")
        self.assertFalse(error)
        self.assertEqual(summary, {"stated": 3200.0, "stated_date": time.strftime("%Y-%m-01"),
                                   "reserved": 0.0, "available": 3200.0})
        # the history is read through the portal's pages, never through Odoo's generic RPC
        result, error = self.call("b2b.bonus.move", "search_read", [], ["points"])
        self.assertGated(error, "b2b.bonus.move", "search_read")
        self.authenticate("beta.admin", "beta.admin")
        result, error = self.call("b2b.bonus.balance", "b2b_dealer_summary", alfa.id)
        self.assertRefused(error)
        self.assertIsNone(result)
