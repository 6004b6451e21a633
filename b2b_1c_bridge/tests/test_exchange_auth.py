import hashlib

from odoo.exceptions import AccessError
from odoo.tools import mute_logger

from .common import CONTROLLER_LOGGER, ExchangeCase


class TestExchangeAuth(ExchangeCase):

    def test_checkauth_opens_a_session_and_its_cookie_is_reused(self):
        client = self.client()
        answer = client.checkauth("catalog")
        self.assertEqual(answer.status, 200)
        self.assertEqual(answer.verdict, "success")
        name, value = answer.lines
        self.assertEqual(name, "b2b_1c_exchange")
        self.assertGreaterEqual(len(value), 40)
        self.assertNotIn(name, answer.headers.get("Set-Cookie", ""),
                         "the exchange cookie travels in the body only")
        session = self.sessions()
        self.assertEqual(len(session), 1)
        self.assertEqual(session.exchange_type, "catalog")
        self.assertEqual(session.state, "open")
        self.assertEqual(session.token_hash, hashlib.sha256(value.encode()).hexdigest())
        stored = " ".join(str(session[f] or "") for f in ("token_hash", "log", "name", "remote_addr"))
        self.assertNotIn(value, stored, "the cookie value is stored hashed only")

        init = client.init("catalog")
        self.assertEqual(init.status, 200)
        self.assertEqual(init.text, "zip=yes\nfile_limit=52428800\n")
        self.refresh()
        self.assertEqual(session.call_count, 2)
        self.assertIn("init: zip=yes", session.log)

    def test_each_checkauth_is_a_new_session(self):
        first = self.client()
        first.checkauth("catalog")
        second = self.client()
        second.checkauth("sale")
        self.assertNotEqual(first.cookie, second.cookie)
        self.assertEqual(sorted(self.sessions().mapped("exchange_type")), ["catalog", "sale"])
        self.assertEqual(first.init("catalog").status, 200)

    def test_wrong_password_is_refused(self):
        client = self.client(password="not-the-password")
        with mute_logger(CONTROLLER_LOGGER, "odoo.addons.base.res.res_users"):
            answer = client.checkauth("catalog")
        self.assertEqual(answer.status, 401)
        self.assertEqual(answer.verdict, "failure")
        self.assertEqual(answer.lines[0], "Wrong login or password.")
        self.assertEqual(answer.lines[1], "Неверный логин или пароль.")
        self.assertIn("Basic", answer.headers.get("WWW-Authenticate", ""))
        self.assertIsNone(client.cookie)
        self.assertFalse(self.sessions())

    def test_no_credentials_is_refused(self):
        client = self.client()
        with mute_logger(CONTROLLER_LOGGER):
            answer = client.call("catalog", "checkauth")
        self.assertEqual((answer.status, answer.verdict), (401, "failure"))
        self.assertIn("HTTP Basic", answer.lines[0])

    def test_users_outside_the_exchange_group_are_refused(self):
        Users = self.xenv["res.users"]
        Users.create({"name": "Clerk", "login": "clerk", "password": "clerk-pass",
                      "groups_id": [(6, 0, [self.xenv.ref("base.group_user").id])]})
        Users.create({"name": "Dealer", "login": "dealer-x", "password": "dealer-pass",
                      "groups_id": [(6, 0, [self.xenv.ref("base.group_portal").id, self.group.id])]})
        self.commit()
        for login, password in (("clerk", "clerk-pass"), ("dealer-x", "dealer-pass"), ("admin", "admin")):
            with mute_logger(CONTROLLER_LOGGER):
                answer = self.client(login, password).checkauth("catalog")
            self.assertEqual((answer.status, answer.verdict), (401, "failure"), login)
            if login != "admin" or answer.lines[0] != "Wrong login or password.":
                self.assertIn('in the group "1C exchange"', answer.lines[0], login)
        self.refresh()
        self.assertFalse(self.xenv["b2b.onec.exchange.session"].search([]))

    def test_calls_without_a_valid_cookie_are_refused(self):
        client = self.client()
        with mute_logger(CONTROLLER_LOGGER):
            answer = client.init("catalog")
            self.assertEqual((answer.status, answer.verdict), (403, "failure"))
            self.assertIn("checkauth", answer.lines[0])
            client.cookie = ("b2b_1c_exchange", "forged-token")
            answer = client.call("catalog", "file", "import.xml", body=b"<a/>")
            self.assertEqual((answer.status, answer.verdict), (403, "failure"))
        self.assertFalse(self.files())

    def test_expired_session_is_refused_and_closed(self):
        client = self.client()
        client.checkauth("catalog")
        session = self.sessions()
        session.write({"date_last": "2000-01-01 00:00:00"})
        self.commit()
        with mute_logger(CONTROLLER_LOGGER):
            answer = client.init("catalog")
        self.assertEqual((answer.status, answer.verdict), (403, "failure"))
        self.assertIn("expired", answer.lines[0])
        self.refresh()
        self.assertEqual(session.state, "done")
        self.assertTrue(session.date_end)

    def test_cron_closes_sessions_onec_stopped_calling(self):
        client = self.client()
        client.checkauth("catalog")
        session = self.sessions()
        Session = self.xenv["b2b.onec.exchange.session"]
        self.assertEqual(Session._cron_close_expired(), 0)
        session.write({"date_last": "2000-01-01 00:00:00"})
        self.assertEqual(Session._cron_close_expired(), 1)
        self.assertEqual(session.state, "done")

    def test_unknown_type_or_mode_is_refused(self):
        client = self.connected()
        with mute_logger(CONTROLLER_LOGGER):
            answer = client.call("catalog", "explode")
            self.assertEqual((answer.status, answer.verdict), (200, "failure"))
            self.assertIn("Unknown mode explode", answer.lines[0])
            self.assertIn("Неизвестный режим explode", answer.lines[1])
            answer = client.call("gossip", "init")
            self.assertEqual(answer.verdict, "failure")
            self.assertIn("Unknown exchange type gossip", answer.lines[0])
            answer = self.client().call("gossip", "checkauth", basic_auth=True)
            self.assertEqual(answer.verdict, "failure")
        session = self.sessions()
        self.assertEqual(session.error_count, 2)
        self.assertIn("Unknown exchange type gossip", session.last_error)

    def test_backend_access(self):
        """B2B administrators read the exchange log; they do not change it; the exchange user
        itself has no access to the backend records."""
        self.connected()
        admin = self.xenv["res.users"].create({
            "name": "B2B admin", "login": "b2b-admin-1c",
            "groups_id": [(6, 0, [self.xenv.ref("b2b_base.group_b2b_admin").id])]})
        session = self.sessions()
        self.assertEqual(session.sudo(admin).read(["state"])[0]["state"], "open")
        self.assertEqual(len(session.sudo(admin).search([])), 1)
        with self.assertRaises(AccessError):
            session.sudo(admin).write({"state": "done"})
        with self.assertRaises(AccessError):
            session.sudo(self.exchange_user).read(["state"])
        with self.assertRaises(AccessError):
            self.xenv["b2b.onec.exchange.file"].sudo(self.exchange_user).search([])
