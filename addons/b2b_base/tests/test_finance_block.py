"""The shipment block: set by debt over 45 days overdue, refuses to validate the dealer's
deliveries, a one-time accountant override, lifted by payment; the stored debt state."""
import datetime
from datetime import timedelta

from odoo import fields
from odoo.addons.b2b_base.tools import business_date
from odoo.exceptions import AccessError, UserError

from .test_finance_ledger import FinanceCase


class TestShipmentBlock(FinanceCase):

    @classmethod
    def setUpClass(cls):
        super(TestShipmentBlock, cls).setUpClass()
        cls.today = business_date.today(cls.env)
        cls.ivan = cls.env.ref("b2b_base.demo_user_manager_ivan")
        cls.goods = cls.env["product.product"].create({
            "name": "Смеситель (тест отгрузки)", "type": "consu", "default_code": "BLOCK-1"})

    def ago(self, days):
        return fields.Date.to_string(self.today - timedelta(days=days))

    def delivery(self, partner):
        out = self.env.ref("stock.picking_type_out")
        customers = self.env.ref("stock.stock_location_customers")
        picking = self.env["stock.picking"].create({
            "partner_id": partner.id, "picking_type_id": out.id,
            "location_id": out.default_location_src_id.id, "location_dest_id": customers.id,
            "move_lines": [(0, 0, {
                "name": self.goods.name, "product_id": self.goods.id, "product_uom_qty": 2,
                "product_uom": self.goods.uom_id.id, "location_id": out.default_location_src_id.id,
                "location_dest_id": customers.id})]})
        picking.action_confirm()
        return picking

    def validate(self, picking):
        for move in picking.move_lines:
            move.quantity_done = move.product_uom_qty
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model"):
            self.env[result["res_model"]].browse(result["res_id"]).process()
        return picking.state

    def messages(self, record):
        return " ".join(record.message_ids.mapped("body"))

    def test_45_days_is_not_blocked_46_is(self):
        self.post(self.c_yug, "shipment", self.ago(66), debit=700)            # due 45 days ago
        self.assertEqual((self.yug.b2b_overdue_amount, self.yug.b2b_overdue_days), (700.0, 45))
        self.assertFalse(self.yug.b2b_shipment_blocked)
        self.assertEqual(self.validate(self.delivery(self.yug)), "done")
        # the next day's cron finds the same debt 46 days overdue
        tomorrow = self.today + timedelta(days=1)
        self.Ledger._b2b_recompute_debt(dealers=self.yug, as_of=tomorrow)
        self.assertTrue(self.yug.b2b_shipment_blocked)
        self.assertEqual(self.yug.b2b_overdue_days, 46)
        self.assertEqual(self.yug.b2b_debt_date, fields.Date.to_string(tomorrow))
        self.assertTrue(self.c_yug.b2b_shipment_blocked)

    def test_debt_notice_of_each_dealer_user(self):
        """What the portal's pop-up reads on every page: the stored state of the user's dealer
        for its administrators and buyers, of the user's contract for an outlet user, nothing
        for anyone else."""
        self.post(self.c_alfa, "shipment", self.ago(80), debit=700, due=self.ago(59))
        dealer_state = {"b2b_overdue_amount": 700.0, "b2b_overdue_days": 59,
                        "b2b_shipment_blocked": True}
        self.assertEqual(self.u_alfa_admin._b2b_debt_notice(), dealer_state)
        self.assertEqual(self.u_alfa_buyer._b2b_debt_notice(), dealer_state)
        # the outlet's own contract owes nothing yet
        self.assertEqual(self.u_alfa_outlet._b2b_debt_notice(), {
            "b2b_overdue_amount": 0.0, "b2b_overdue_days": 0, "b2b_shipment_blocked": False})
        self.post(self.c_alfa_retail, "shipment", self.ago(30), debit=120, due=self.ago(9))
        self.assertEqual(self.u_alfa_outlet._b2b_debt_notice(), {
            "b2b_overdue_amount": 120.0, "b2b_overdue_days": 9, "b2b_shipment_blocked": False})
        self.assertEqual(self.u_alfa_buyer._b2b_debt_notice()["b2b_overdue_amount"], 820.0)
        # another dealer's users see their own dealer's state; staff and admin have none
        self.assertEqual(self.u_beta_buyer._b2b_debt_notice()["b2b_overdue_amount"], 0.0)
        self.assertIsNone(self.ivan._b2b_debt_notice())
        self.assertIsNone(self.env.ref("base.user_root")._b2b_debt_notice())

    def test_block_override_once_and_lift(self):
        self.post(self.c_yug, "shipment", self.ago(67), debit=1000, doc="YUG-1")   # due 46 days ago
        self.post(self.c_yug, "payment", self.ago(50), credit=250)
        self.assertTrue(self.yug.b2b_shipment_blocked, "stored on the dealer")
        self.assertTrue(self.c_yug.b2b_shipment_blocked, "and on the contract")
        self.assertEqual((self.yug.b2b_debt_balance, self.yug.b2b_overdue_amount,
                          self.yug.b2b_overdue_days, self.yug.b2b_debt_source),
                         (750.0, 750.0, 46, "computed"))
        self.assertFalse(self.alfa.b2b_shipment_blocked, "the holding head has its own debts")
        self.assertIn("Shipments stopped", self.messages(self.yug))

        # orders are still accepted; their delivery is not validated
        order = self.place(self.u_yug_admin, self.c_yug, [(self.mixer, 1)])
        order.action_confirm()
        picking = order.picking_ids
        self.assertEqual(picking.picking_type_code, "outgoing")
        self.assertTrue(picking.b2b_shipment_blocked)
        with self.assertRaises(UserError) as caught:
            with self.cr.savepoint():
                self.validate(picking)
        message = caught.exception.name
        self.assertIn(self.yug.name, message)
        self.assertIn("750.00", message)
        self.assertIn("46 days", message)
        self.assertNotEqual(picking.state, "done")
        # action_done is guarded as well (the path the transfer wizards take)
        with self.assertRaises(UserError):
            with self.cr.savepoint():
                picking.action_done()

        # only an accountant may allow it, and only with a reason
        with self.assertRaises(AccessError):
            self.env["b2b.block.override.wizard"].sudo(self.ivan).create(
                {"picking_id": picking.id, "reason": "свой дилер"}).action_grant()
        with self.assertRaises(UserError):
            self.env["b2b.block.override.wizard"].sudo(self.accountant).create(
                {"picking_id": picking.id, "reason": "   "}).action_grant()
        wizard = self.env["b2b.block.override.wizard"].sudo(self.accountant).create(
            {"picking_id": picking.id, "reason": "Платёжное поручение получено"})
        self.assertEqual((wizard.dealer_id, wizard.overdue_amount, wizard.overdue_days),
                         (self.yug, 750.0, 46))
        wizard.action_grant()
        self.assertTrue(picking.b2b_block_override)
        self.assertIn("Платёжное поручение получено", self.messages(picking))
        self.assertIn("Платёжное поручение получено", self.messages(self.yug))
        self.assertEqual(self.validate(picking), "done", "the override lets it through once")
        self.assertFalse(picking.b2b_block_override, "used up")

        # the next delivery is stopped again
        second = self.delivery(self.yug)
        with self.assertRaises(UserError):
            with self.cr.savepoint():
                self.validate(second)
        self.assertNotEqual(second.state, "done")

        # the dealer pays: the block lifts by itself, in the same transaction
        self.post(self.c_yug, "payment", self.ago(0), credit=750)
        self.assertFalse(self.yug.b2b_shipment_blocked)
        self.assertFalse(self.c_yug.b2b_shipment_blocked)
        self.assertEqual(self.yug.b2b_debt_balance, 0.0)
        self.assertIn("Shipment block lifted", self.messages(self.yug))
        self.assertEqual(self.validate(second), "done")

    def test_onec_summary_sets_and_lifts_the_block(self):
        self.post(self.c_beta, "shipment", self.ago(20), debit=300)
        self.assertFalse(self.beta.b2b_shipment_blocked)
        Summary = self.env["b2b.overdue.summary"]
        Summary.b2b_upsert_summary([{"contract_id": self.c_beta.id, "date": self.ago(0),
                                     "balance": 300, "overdue_4": 300, "overdue_days": 60,
                                     "b2b_onec_id": "beta-sum"}])
        self.assertTrue(self.beta.b2b_shipment_blocked)
        self.assertEqual((self.beta.b2b_debt_source, self.beta.b2b_overdue_days), ("1c", 60))
        with self.assertRaises(UserError):
            with self.cr.savepoint():
                self.validate(self.delivery(self.beta))
        Summary.b2b_upsert_summary([{"contract_id": self.c_beta.id, "date": self.ago(0),
                                     "balance": 300, "not_due": 300, "b2b_onec_id": "beta-sum"}])
        self.assertFalse(self.beta.b2b_shipment_blocked)

    def test_incoming_and_other_partners_not_blocked(self):
        self.post(self.c_beta, "shipment", self.ago(100), debit=300)
        self.assertTrue(self.beta.b2b_shipment_blocked)
        stranger = self.env["res.partner"].create({"name": "Частное лицо"})
        self.assertEqual(self.validate(self.delivery(stranger)), "done")
        receipt_type = self.env.ref("stock.picking_type_in")
        receipt = self.env["stock.picking"].create({
            "partner_id": self.beta.id, "picking_type_id": receipt_type.id,
            "location_id": self.env.ref("stock.stock_location_suppliers").id,
            "location_dest_id": receipt_type.default_location_dest_id.id,
            "move_lines": [(0, 0, {
                "name": "x", "product_id": self.goods.id, "product_uom_qty": 1,
                "product_uom": self.goods.uom_id.id,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": receipt_type.default_location_dest_id.id})]})
        receipt.action_confirm()
        self.assertEqual(self.validate(receipt), "done", "a return from the dealer is not a shipment")

    def test_cron_recomputes_every_dealer(self):
        self.post(self.c_beta, "shipment", self.ago(100), debit=300)
        self.beta.sudo().write({"b2b_shipment_blocked": False, "b2b_debt_date": self.ago(3)})
        self.Ledger.b2b_cron_recompute_debt()
        self.assertTrue(self.beta.b2b_shipment_blocked)
        self.assertEqual(self.beta.b2b_debt_date, self.ago(0))
        cron = self.env.ref("b2b_base.ir_cron_b2b_recompute_debt")
        self.assertEqual((cron.interval_type, cron.interval_number), ("days", 1))


class TestBusinessDate(FinanceCase):
    """One "today" for the dealer, the accountant and the nightly job: the supplier's date."""

    def set_company_tz(self, tz):
        self.env.user.company_id.partner_id.tz = tz

    def test_today_is_the_suppliers_date_whoever_asks(self):
        # 11:00 UTC is already the next day on Kiritimati (UTC+14), still the same on Pago Pago
        # (UTC-11)
        now = datetime.datetime(2026, 3, 10, 11, 0)
        self.u_yug_admin.partner_id.tz = "Pacific/Pago_Pago"
        as_dealer = self.env(user=self.u_yug_admin.id, context={"tz": "Pacific/Pago_Pago"})
        as_job = self.env(context={})
        self.set_company_tz("Pacific/Kiritimati")
        for env in (self.env, as_dealer, as_job):
            self.assertEqual(business_date.today(env, now), datetime.date(2026, 3, 11))
        self.set_company_tz("Pacific/Pago_Pago")
        for env in (self.env, as_dealer, as_job):
            self.assertEqual(business_date.today(env, now), datetime.date(2026, 3, 10))
        self.set_company_tz(False)      # no time zone set: UTC
        self.assertEqual(business_date.today(as_dealer, datetime.datetime(2026, 3, 10, 23, 59)),
                         datetime.date(2026, 3, 10))

    def test_dealer_in_another_time_zone_sees_the_days_the_block_counts(self):
        self.set_company_tz("Europe/Moscow")
        self.u_yug_admin.partner_id.tz = "Pacific/Pago_Pago"     # a day behind Moscow at times
        today = business_date.today(self.env)
        self.post(self.c_yug, "shipment", fields.Date.to_string(today - timedelta(days=67)),
                  debit=900)                                        # due 46 days ago
        self.assertTrue(self.yug.b2b_shipment_blocked)
        self.assertEqual(self.yug.b2b_overdue_days, 46)
        seen = self.Ledger.sudo(self.u_yug_admin).with_context(tz="Pacific/Pago_Pago").b2b_aging(
            self.c_yug.ids)[self.c_yug.id]
        self.assertEqual((seen["oldest_days"], seen["overdue"]), (46, 900.0))
