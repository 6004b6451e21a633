import json
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError
from odoo.tests import common
from odoo.tools import mute_logger

from .standin import bitrix24_standin

TOKEN = "r7t0kenFromBitrix24outbound"


class TestEventIntake(common.HttpCase):
    """Bitrix24 (the local stand-in) posts outbound events to Odoo's HTTP server.

    In Odoo 11 the HTTP requests of an HttpCase run in the registry's test cursor, not in
    ``self.cr``; the test reads and writes through that same cursor (``shared_env``) so that it sees
    what the requests stored, and everything is rolled back at the end.
    """

    def setUp(self):
        super(TestEventIntake, self).setUp()
        self.set_token(TOKEN)
        self.portal = bitrix24_standin().Bitrix24StandIn().start()
        self.addCleanup(self.portal.stop)
        self.url = "http://%s:%s/b2b/bitrix/event" % (common.HOST, common.PORT)

    @contextmanager
    def shared_env(self):
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def set_token(self, token):
        with self.shared_env() as env:
            env["ir.config_parameter"].set_param("b2b_bitrix_bridge.application_token", token)

    def events(self, domain=()):
        """[(event, record id, state, domain, event time, payload)] of the stored events."""
        with self.shared_env() as env:
            return [(e.event, e.record_id, e.state, e.domain, e.event_time, e.payload)
                    for e in env["b2b.bitrix.event"].search(list(domain), order="id")]

    def send(self, deal_id=123, token=TOKEN, ts=1700000000, event="ONCRMDEALUPDATE"):
        return self.portal.send_event(self.url, event, {"FIELDS": {"ID": deal_id}}, token, ts=ts)

    def test_deal_update_is_recorded_with_the_deal_id(self):
        status, body = self.send(deal_id=123)
        self.assertEqual((status, body), (200, "OK"))
        events = self.events()
        self.assertEqual(len(events), 1)
        event, record_id, state, domain, event_time, payload = events[0]
        self.assertEqual((event, record_id, state), ("ONCRMDEALUPDATE", 123, "new"))
        self.assertEqual(domain, self.portal.domain)
        self.assertEqual(event_time, "2023-11-14 22:13:20")
        posted = json.loads(payload)
        self.assertEqual(posted["data[FIELDS][ID]"], "123")
        self.assertEqual(posted["auth[member_id]"], self.portal.member_id)
        self.assertNotIn(TOKEN, payload)  # the secret is not kept

    def test_wrong_or_missing_token_is_refused_and_nothing_stored(self):
        with mute_logger("odoo.addons.b2b_bitrix_bridge.controllers.event_intake"):
            status, _body = self.send(token="guessed-token")
            self.assertEqual(status, 403)
            status, _body = self.send(token="")
            self.assertEqual(status, 403)
            status, _body = self.send(token=TOKEN[:-1])
            self.assertEqual(status, 403)
        self.assertEqual(self.events(), [])

    def test_no_token_configured_refuses_everything(self):
        self.set_token("")
        with mute_logger("odoo.addons.b2b_bitrix_bridge.controllers.event_intake"):
            status, _body = self.send(token="")
        self.assertEqual(status, 403)
        self.assertEqual(self.events(), [])

    def test_duplicate_delivery_is_stored_once(self):
        self.assertEqual(self.send(deal_id=55, ts=1700000100)[0], 200)
        self.assertEqual(self.send(deal_id=55, ts=1700000100)[0], 200)
        self.assertEqual(len(self.events([("record_id", "=", 55)])), 1)
        # a later change of the same deal is a new event
        self.assertEqual(self.send(deal_id=55, ts=1700000200)[0], 200)
        self.assertEqual(len(self.events([("record_id", "=", 55)])), 2)

    def test_malformed_event_is_refused_with_located_message(self):
        with mute_logger("odoo.addons.b2b_bitrix_bridge.controllers.event_intake"):
            status, body = self.send(deal_id="12; drop table")
        self.assertEqual(status, 400)
        self.assertIn("data[FIELDS][ID]", body)
        self.assertIn("не является id записи", body)
        self.assertEqual(self.events(), [])

    def test_get_is_not_an_intake(self):
        response = self.url_open(self.url)
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(self.events(), [])


class TestEventAccess(common.TransactionCase):

    def setUp(self):
        super(TestEventAccess, self).setUp()
        self.event = self.env["b2b.bitrix.event"]._record_delivery({
            "event": "ONCRMDEALUPDATE", "data[FIELDS][ID]": "9", "ts": "1700000000"})[0]
        Users = self.env["res.users"].with_context(no_reset_password=True)
        self.portal_user = Users.create({
            "name": "Дилер Портал", "login": "bitrix-portal-user",
            "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])]})
        self.employee = Users.create({
            "name": "Сотрудник", "login": "bitrix-employee",
            "groups_id": [(6, 0, [self.env.ref("base.group_user").id])]})
        self.b2b_admin = Users.create({
            "name": "B2B Admin", "login": "bitrix-b2b-admin",
            "groups_id": [(6, 0, [self.env.ref("b2b_base.group_b2b_admin").id])]})

    def test_portal_user_cannot_read_events(self):
        Event = self.env["b2b.bitrix.event"].sudo(self.portal_user)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Event.search([])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Event.browse(self.event.id).read(["event", "payload"])

    def test_internal_user_without_b2b_admin_cannot_read_events(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["b2b.bitrix.event"].sudo(self.employee).search([])

    def test_b2b_admin_reads_events_but_cannot_forge_them(self):
        Event = self.env["b2b.bitrix.event"].sudo(self.b2b_admin)
        self.assertEqual(Event.search([("id", "=", self.event.id)]).record_id, 9)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            Event.create({"event": "ONCRMDEALADD", "delivery_key": "x", "payload": "{}"})
