"""Bitrix24's queue of offline events (the local stand-in, over real HTTP): what the event route
missed reaches the orders and the merchandising requests, once."""
import time

from odoo.tools import mute_logger

from .common import BitrixHttpCase

EVENT_LOG = "odoo.addons.b2b_bitrix_bridge.models.b2b_bitrix_event"


class OfflineCase(BitrixHttpCase):
    """The application subscribed as at its installation (online and offline events), an order
    of «Альфа» with its deal, a merchandising request of «Альфа» with its lead."""

    def setUp(self):
        super(OfflineCase, self).setUp()
        outcome = self.env["b2b.bitrix.api"]._b2b_subscribe()
        self.assertTrue(all(ok for _what, ok, _detail in outcome), outcome)
        ref = self.env.ref
        self.alfa = ref("b2b_base.demo_dealer_alfa")
        products = self.env["product.product"].search(
            [("default_code", "!=", False), ("sale_ok", "=", True)], limit=2, order="default_code")
        self.order = self.env["sale.order"].create({
            "partner_id": self.alfa.id,
            "b2b_contract_id": ref("b2b_base.demo_contract_alfa_main").id,
            "b2b_author_id": ref("b2b_base.demo_user_alfa_admin").id,
            "order_line": [(0, 0, {"product_id": p.id, "product_uom_qty": 2, "price_unit": 100.0})
                           for p in products]})
        self.order._b2b_bitrix_send()
        self.deal_id = self.order.b2b_bitrix_deal_id
        self.assertTrue(self.deal_id)
        self.lead_id = self.env["b2b.bitrix.api"]._b2b_call(
            "crm.lead.add", {"fields": {"TITLE": "Стойка для смесителей", "STATUS_ID": "NEW"}})
        self.request = self.env["b2b.merch.request"].sudo().create({
            "b2b_dealer_id": self.alfa.id, "outlet_name": "Магазин «Уют»",
            "wanted": "Стойка для смесителей",
            "author_id": ref("b2b_base.demo_user_alfa_buyer").id})
        self.request.write({"state": "sent", "bitrix_status": "NEW", "bitrix_entity": "lead",
                            "bitrix_id": self.lead_id})
        # the making of the deal, delivered and read from the queue: nothing left behind
        self.run_events()
        self.pull()
        self.assertEqual(self.portal.offline_entries(), [])
        # Bitrix24 stamps changes to the second: the manager's change comes a second later
        time.sleep(1.1)

    def run_events(self):
        """Wait for the online deliveries, then handle what was recorded (the queued jobs)."""
        with self.unlocked():
            deliveries = self.portal.flush_events(timeout=10)
        self.env["b2b.bitrix.event"].search([("state", "=", "new")], order="id")._b2b_process()
        return deliveries

    def pull(self):
        summary = self.env["b2b.bitrix.event"]._b2b_offline_pull()
        self.env["b2b.bitrix.event"].search([("state", "=", "new")], order="id")._b2b_process()
        return summary

    def rows(self, event, record_id):
        return self.env["b2b.bitrix.event"].search([("event", "=", event),
                                                    ("record_id", "=", record_id)])


class TestOfflineEvents(OfflineCase):

    def test_what_the_route_missed_reaches_the_order_and_the_request(self):
        self.portal.drop_events = True       # Odoo's event route was down
        self.portal.manager_update_deal(self.deal_id, fields={"STAGE_ID": "LOSE"})
        self.portal.manager_update_lead(self.lead_id, {"STATUS_ID": "IN_PROCESS"})
        self.run_events()
        self.assertEqual(len(self.portal.dropped), 2)
        self.assertEqual((self.order.state, self.request.state), ("draft", "sent"))
        summary = self.pull()
        self.assertEqual(self.order.state, "cancel", "the manager's cancellation reached the order")
        self.assertEqual((self.request.state, self.request.bitrix_status), ("in_progress",
                                                                            "IN_PROCESS"))
        self.assertEqual((summary["recorded"], summary["cleared"], summary["error"]), (2, 2, False))
        self.assertEqual(self.portal.offline_entries(), [], "cleared in Bitrix24")
        offline = self.env["b2b.bitrix.event"].search([("source", "=", "offline")])
        self.assertEqual(sorted(offline.mapped("event")), ["ONCRMDEALUPDATE", "ONCRMLEADUPDATE"])
        self.assertEqual(set(offline.mapped("state")), {"done"})
        self.assertFalse(self.env["ir.config_parameter"].get_param(
            "b2b_bitrix_bridge.offline_process_id"))

    def test_a_plan_without_kept_offline_events_reads_and_deletes_them(self):
        """Bitrix24 plans without "extended offline events" cannot keep the queue until it is
        cleared: it is read and deleted at once, and what is read reaches the order."""
        self.portal.offline_extended = False
        self.portal.drop_events = True
        before = len(self.portal.methods_called())
        self.portal.manager_update_deal(self.deal_id, fields={"STAGE_ID": "LOSE"})
        self.run_events()
        summary = self.pull()
        self.assertEqual(summary["mode"], "read and delete")
        self.assertEqual((summary["recorded"], summary["error"]), (1, False))
        self.assertEqual(self.order.state, "cancel", "the manager's cancellation reached the order")
        self.assertEqual(self.portal.offline_entries(), [])
        self.assertEqual(self.portal.methods_called()[before:][:2], ["feature.get", "event.offline.get"])
        self.assertNotIn("event.offline.clear", self.portal.methods_called()[before:])

    def test_a_pull_that_fails_before_clearing_loses_nothing_and_handles_once(self):
        self.portal.drop_events = True
        self.portal.manager_update_deal(self.deal_id, fields={"STAGE_ID": "LOSE"})
        self.portal.force_error("ACCESS_DENIED", "Access denied!", status=403,
                                method="event.offline.clear")
        with mute_logger(EVENT_LOG):
            summary = self.env["b2b.bitrix.event"]._b2b_offline_pull()
        self.assertIn("ACCESS_DENIED", summary["error"])
        entries = self.portal.offline_entries()
        self.assertEqual([(name, record) for name, record, _process in entries],
                         [("ONCRMDEALUPDATE", str(self.deal_id))], "still in Bitrix24's queue")
        self.assertTrue(entries[0][2], "taken by the failed read")
        # the next run reads the same events again, clears them, handles the change once
        summary = self.pull()
        self.assertEqual((summary["recorded"], summary["handled_already"], summary["cleared"]),
                         (0, 1, 1))
        self.assertEqual(self.portal.offline_entries(), [])
        self.assertEqual(self.order.state, "cancel")
        offline = self.rows("ONCRMDEALUPDATE", self.deal_id).filtered(
            lambda e: e.source == "offline")
        self.assertEqual(len(offline), 1)
        self.assertEqual(offline.state, "done")
        self.assertEqual(self.pull()["recorded"], 0, "nothing more in the queue")

    def test_an_event_seen_online_and_offline_is_handled_once(self):
        self.portal.manager_update_lead(self.lead_id, {"STATUS_ID": "IN_PROCESS"})
        self.assertEqual(self.run_events(), [("ONCRMLEADUPDATE", 200)])
        self.assertEqual(self.request.state, "in_progress")
        notes = len(self.request.message_ids)
        handled = self.rows("ONCRMLEADUPDATE", self.lead_id)
        self.assertEqual((len(handled), handled.source, handled.state), (1, "online", "done"))
        self.assertEqual(len(self.portal.offline_entries()), 1, "the queue has it too")
        summary = self.pull()
        self.assertEqual((summary["recorded"], summary["handled_already"], summary["cleared"]),
                         (0, 1, 1))
        self.assertEqual(self.rows("ONCRMLEADUPDATE", self.lead_id), handled, "handled once")
        self.assertEqual(len(self.request.message_ids), notes, "the dealer is told once")
        self.assertEqual(self.portal.offline_entries(), [])


class TestOfflineEventsNeedAnAdministrator(BitrixHttpCase):

    def test_an_installation_by_a_non_administrator_is_named_by_the_connection_test(self):
        self.portal.add_user(12, "Пётр", "Обычный", "petr@standin.test")
        self.env["b2b.bitrix.token"]._b2b_install(self.portal.install_app(user_id=12))
        outcome = {what: (ok, detail) for what, ok, detail in
                   self.env["b2b.bitrix.api"]._b2b_subscribe()}
        self.assertEqual(outcome["ONCRMDEALUPDATE"], (True, "subscribed"), "online events bound")
        ok, detail = outcome["ONCRMDEALUPDATE (offline)"]
        self.assertFalse(ok)
        self.assertIn("administrator", detail)
        checks = {what: (ok, detail) for what, ok, detail in
                  self.env["b2b.bitrix.api"]._b2b_check()}
        self.assertEqual(checks["Event subscription"], (True, "complete"))
        ok, detail = checks["Offline events"]
        self.assertFalse(ok)
        self.assertIn("ONCRMDEALADD, ONCRMDEALUPDATE, ONCRMLEADUPDATE", detail)
        self.assertIn("Пётр Обычный, who is not a Bitrix24 administrator", detail)
        action = self.env["b2b.bitrix.api"].action_test_connection()
        self.assertIn("✘ Offline events", self.env["b2b.bitrix.check"].browse(
            action["res_id"]).result)
        # the scheduled read is refused too, and says so without failing
        with mute_logger(EVENT_LOG):
            summary = self.env["b2b.bitrix.event"]._b2b_offline_pull()
        self.assertIn("ACCESS_DENIED", summary["error"])
        # an administrator presses "Subscribe to events": now complete
        self.env["b2b.bitrix.token"]._b2b_install(self.portal.install_app())
        self.env["b2b.bitrix.api"]._b2b_subscribe()
        checks = {what: (ok, detail) for what, ok, detail in
                  self.env["b2b.bitrix.api"]._b2b_check()}
        self.assertEqual(checks["Offline events"], (True, "complete"))
