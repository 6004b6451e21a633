"""Portal orders as deals in Bitrix24 (the local stand-in, over real HTTP) and back."""
from odoo.tests import common
from odoo.tools import mute_logger

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job

from .common import BitrixHttpCase


class BitrixCase(BitrixHttpCase):
    """A dealer order of «Альфа» and the stand-in's events posted to Odoo's event route."""

    def setUp(self):
        super(BitrixCase, self).setUp()
        self.handler = "http://%s:%s/b2b/bitrix/event" % (common.HOST, common.PORT)
        self.portal.outgoing_webhook(self.handler, ["ONCRMDEALUPDATE"])
        ref = self.env.ref
        self.alfa = ref("b2b_base.demo_dealer_alfa")
        self.products = self.env["product.product"].search(
            [("default_code", "!=", False), ("sale_ok", "=", True)], limit=3, order="default_code")
        self.order = self.env["sale.order"].create({
            "partner_id": self.alfa.id,
            "b2b_contract_id": ref("b2b_base.demo_contract_alfa_main").id,
            "b2b_author_id": ref("b2b_base.demo_user_alfa_admin").id,
            "order_line": [(0, 0, {"product_id": p.id, "product_uom_qty": q, "price_unit": 100.0 * q})
                           for p, q in zip(self.products[:2], (2, 5))]})

    def queued(self, order=None):
        order = order or self.order
        return self.env["queue.job"].search([
            ("func_string", "=", "sale.order(%d,)._b2b_bitrix_push()" % order.id),
            ("state", "=", "pending")])

    def run_events(self):
        """Wait for the stand-in's events, then run the jobs their intake queued."""
        with self.unlocked():
            deliveries = self.portal.flush_events(timeout=10)
        self.env["b2b.bitrix.event"].search([("state", "=", "new")], order="id")._b2b_process()
        return deliveries

    def deal(self):
        return self.portal.deals[self.order.b2b_bitrix_deal_id]

    def rows(self):
        return [(r["PRODUCT_NAME"], r["QUANTITY"], r["PRICE"])
                for r in self.portal.product_rows[self.order.b2b_bitrix_deal_id]]


class TestOrdersToDeals(BitrixCase):

    def test_a_dealer_order_becomes_one_deal_with_its_rows(self):
        self.assertTrue(self.queued(), "placing the order queues its deal")
        self.order._b2b_bitrix_send()
        deal = self.deal()
        self.assertEqual(deal["ORIGINATOR_ID"], "b2b_portal")
        self.assertEqual(deal["ORIGIN_ID"], "sale.order:%d" % self.order.id)
        self.assertEqual(deal["STAGE_ID"], "NEW")
        self.assertIn(self.order.name, deal["TITLE"])
        self.assertEqual(float(deal["OPPORTUNITY"]), self.order.amount_total)
        company = self.portal.companies[int(deal["COMPANY_ID"])]
        self.assertEqual(company["TITLE"], self.alfa.name)
        p1, p2 = self.products[:2]
        self.assertEqual(self.rows(), [("[%s] %s" % (p1.default_code, p1.name), 2.0, 200.0),
                                       ("[%s] %s" % (p2.default_code, p2.name), 5.0, 500.0)])
        self.assertEqual(self.order.b2b_bitrix_sync, "done")
        # nothing changed: nothing is sent again
        calls = len(self.portal.requests)
        self.order._b2b_bitrix_send()
        self.assertEqual(len(self.portal.requests), calls)
        self.assertEqual(len(self.portal.deals), 1)

    def test_a_changed_order_updates_its_deal_and_replaces_the_rows(self):
        self.order._b2b_bitrix_send()
        deal_id = self.order.b2b_bitrix_deal_id
        self.order.order_line[0].unlink()
        self.order.write({"order_line": [(0, 0, {"product_id": self.products[2].id,
                                                  "product_uom_qty": 7, "price_unit": 10.0})]})
        self.order.action_confirm()
        self.assertTrue(self.queued())
        self.order._b2b_bitrix_send()
        self.assertEqual(self.order.b2b_bitrix_deal_id, deal_id)
        self.assertEqual(len(self.portal.deals), 1)
        self.assertEqual(self.deal()["STAGE_ID"], "EXECUTING")
        self.assertEqual([name for name, _q, _p in self.rows()],
                         ["[%s] %s" % (p.default_code, p.name) for p in self.products[1:3]])

    def test_a_retried_job_finds_the_deal_its_first_attempt_made(self):
        self.order._b2b_bitrix_send()
        deal_id = self.order.b2b_bitrix_deal_id
        # the first attempt made the deal, then its transaction was lost
        self.order.write({"b2b_bitrix_deal_id": 0, "b2b_bitrix_sent_hash": False})
        self.order._b2b_bitrix_send()
        self.assertEqual(self.order.b2b_bitrix_deal_id, deal_id)
        self.assertEqual(len(self.portal.deals), 1)

    def test_bitrix24_busy_or_down_retries_the_job_and_loses_nothing(self):
        for error, status in (("QUERY_LIMIT_EXCEEDED", 503), ("OPERATION_TIME_LIMIT", 429),
                              ("INTERNAL_SERVER_ERROR", 500)):
            self.portal.force_error(error, "busy", status=status)
            with self.assertRaises(RetryableJobError, msg=error), \
                    mute_logger("odoo.addons.b2b_bitrix_bridge.models.sale_order"):
                self.order._b2b_bitrix_push()
            self.assertFalse(self.portal.deals, error)
        self.portal.go_down()
        try:
            with self.assertRaises(RetryableJobError):
                self.order._b2b_bitrix_push()
        finally:
            self.portal.come_back()
        self.order._b2b_bitrix_push()
        self.assertEqual(len(self.portal.deals), 1)
        self.assertEqual(self.order.b2b_bitrix_sync, "done")

    def test_open_orders_made_before_the_connection_become_deals_once(self):
        """The supplier connects Bitrix24 with orders already in the portal: "Send open orders"
        makes one deal per open order, in jobs of many orders, and nothing twice."""
        unsent = self.order.with_context(b2b_bitrix_no_push=True)
        earlier = unsent.copy({"partner_id": self.alfa.id})
        for _n in range(20):
            unsent.copy({"partner_id": self.alfa.id})
        cancelled = unsent.copy({"partner_id": self.alfa.id})
        cancelled.action_cancel()
        self.assertFalse(self.queued(earlier), "made while Bitrix24 was not connected")
        count = self.env["res.config.settings"].create({}).action_b2b_bitrix_send_orders()
        jobs = self.env["queue.job"].search([("identity_key", "like", "b2b_bitrix_existing:%"),
                                             ("state", "=", "pending")])
        queued = self.env["sale.order"].union(*(Job.load(self.env, j.uuid).recordset for j in jobs))
        self.assertIn(self.order, queued)
        self.assertIn(earlier, queued)
        self.assertNotIn(cancelled, queued, "a cancelled order is no one's work")
        self.assertIn("%d queued" % len(queued),
                      self.env["b2b.bitrix.check"].browse(count["res_id"]).result)
        requests = len(self.portal.requests)
        for job in jobs:
            Job.load(self.env, job.uuid).perform()
        self.assertTrue(all(queued.mapped("b2b_bitrix_deal_id")))
        self.assertEqual(set(queued.mapped("b2b_bitrix_sync")), {"done"})
        self.assertEqual(len(self.portal.deals), len(queued))
        self.assertLess(len(self.portal.requests) - requests, len(queued),
                        "orders travel in batch requests, not one request each")
        self.assertEqual(self.env["sale.order"]._b2b_bitrix_send_existing(), 0)

    def test_expired_access_token_is_refreshed_once_and_the_call_made(self):
        self.portal.expire_access_tokens()
        refreshes = self.portal.refreshes
        result = self.env["b2b.bitrix.api"]._b2b_call("event.get", {}, app=True)
        self.assertIsInstance(result, list)
        self.assertEqual(self.portal.refreshes, refreshes + 1)
        stored = self.env["b2b.bitrix.token"]._b2b_tokens()
        self.assertEqual(stored["refresh_token"], self.portal.current_refresh_token())


class TestDealsToOrders(BitrixCase):

    def setUp(self):
        super(TestDealsToOrders, self).setUp()
        # what is said of a manager's change is in the manager's language
        self.alfa.b2b_manager_id.lang = "ru_RU"
        self.order._b2b_bitrix_send()
        self.run_events()  # the echoes of making the deal

    def test_our_own_update_echoing_back_changes_nothing(self):
        self.order.write({"note": "Доставка до 12:00"})
        self.order._b2b_bitrix_send()
        deliveries = self.run_events()
        self.assertTrue(deliveries, "Bitrix24 sends an event for the portal's own update")
        event = self.env["b2b.bitrix.event"].search([], order="id desc", limit=1)
        self.assertIn("отклик на собственное изменение", event.result)  # the manager's Russian
        self.assertEqual(len(self.order.order_line), 2)

    def test_a_manager_change_of_stage_and_rows_reaches_the_order(self):
        p1, p2 = self.products[:2]
        self.portal.manager_update_deal(self.order.b2b_bitrix_deal_id, fields={"STAGE_ID": "PREPARATION"},
                                        rows=[{"PRODUCT_NAME": "[%s] %s" % (p1.default_code, p1.name),
                                               "PRICE": 200.0, "QUANTITY": 4}])
        self.run_events()
        self.assertEqual(self.order.state, "sent", self.env["b2b.bitrix.event"].search([]).mapped(
            lambda e: (e.event, e.record_id, e.state, e.result)))
        self.assertEqual([(l.product_id, l.product_uom_qty) for l in self.order.order_line], [(p1, 4.0)])
        self.assertIn("изменён вслед за изменением сделки", self.order.message_ids[0].body)

    def test_rows_that_cannot_be_lines_are_told_to_the_manager_in_the_managers_language(self):
        p1 = self.products[0]
        self.portal.manager_update_deal(self.order.b2b_bitrix_deal_id, rows=[
            {"PRODUCT_NAME": "[%s] %s" % (p1.default_code, p1.name), "PRICE": 200.0, "QUANTITY": 4},
            {"PRODUCT_NAME": "Доставка", "PRICE": 500.0, "QUANTITY": 1}])
        self.run_events()
        self.assertEqual(len(self.order.order_line), 2, "a row the order cannot take changes nothing")
        note = self.order.message_ids[0].body
        self.assertIn("не применено к заказу", note)
        self.assertIn("строка 2, товар Доставка: в названии строки нет артикула", note)

    def test_an_event_with_a_wrong_token_changes_nothing(self):
        with self.unlocked():
            status, _body = self.portal.send_event(self.handler, "ONCRMDEALUPDATE",
                                                   {"FIELDS": {"ID": self.order.b2b_bitrix_deal_id}},
                                                   "not-the-token")
        self.assertEqual(status, 403)
        self.assertFalse(self.env["b2b.bitrix.event"].search([("state", "=", "new")]))

    def test_an_order_past_editing_is_kept_and_the_manager_told(self):
        self.order.action_confirm()
        self.order._b2b_bitrix_send()
        self.run_events()
        self.portal.manager_update_deal(self.order.b2b_bitrix_deal_id, rows=[])
        self.run_events()
        self.assertEqual(len(self.order.order_line), 2)
        note = self.order.message_ids[0]
        self.assertIn("больше не допускает изменений", note.body)
        manager = self.alfa.b2b_manager_id
        self.assertIn(manager.partner_id, note.partner_ids)

    def test_a_lost_event_is_caught_by_the_reconciliation(self):
        self.portal.drop_events = True
        self.portal.manager_update_deal(self.order.b2b_bitrix_deal_id, fields={"STAGE_ID": "LOSE"})
        self.run_events()
        self.assertEqual(self.order.state, "draft")
        self.env["sale.order"]._b2b_bitrix_reconcile()
        self.assertEqual(self.order.state, "cancel")
