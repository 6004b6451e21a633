import odoo.tests
from odoo.exceptions import UserError
from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from ..tools import dealer_requests
from .common import DealerJsonRpcCase


class TestDealerRequestBound(DealerJsonRpcCase):
    """A dealer's request that runs past its time bound (setting b2b_base.dealer_request_seconds)
    is stopped with a clear page or message, in the dealer's language; supplier staff are not
    bounded, and the dealer's next request within the bound works."""

    def setUp(self):
        super(TestDealerRequestBound, self).setUp()
        self.param = self.env["ir.config_parameter"]

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (odoo.tests.common.PORT, path)

    def test_dealer_page_past_its_bound(self):
        self.authenticate("alfa.admin", "alfa.admin")
        page = self.opener.get(self.url("/my"), timeout=60)
        self.assertEqual(page.status_code, 200)
        # a bound no request can keep: the dealer's next request is stopped at its first query
        self.param.set_param("b2b_base.dealer_request_seconds", "0.000001")
        page = self.opener.get(self.url("/my"), timeout=60)
        self.assertEqual(page.status_code, 503)
        self.assertIn("Запрос выполнялся дольше 1e-06 с и был остановлен; ничего из него не сохранено",
                      page.text)
        # a JSON call answers with the same message
        result, error = self.call("res.users", "has_group", "base.group_portal")
        self.assertIsNone(result)
        self.assertEqual(error["exception_type"], "user_error")
        self.assertIn("Запрос выполнялся дольше", error["arguments"][0])
        # supplier staff work on
        self.authenticate("manager.ivan", "manager.ivan")
        result, error = self.call("res.partner", "search_count", [])
        self.assertFalse(error)
        self.assertGreater(result, 0)
        # with a bound a request can keep, the dealer works on
        self.param.set_param("b2b_base.dealer_request_seconds", "30")
        self.authenticate("alfa.admin", "alfa.admin")
        page = self.opener.get(self.url("/my"), timeout=60)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Анна Смирнова", page.text)


class TestStatementBound(TransactionCase):
    """Within a dealer's request PostgreSQL stops a single statement that would run past the
    bound (statement_timeout), so one slow query cannot hold the worker either."""

    post_install = True
    at_install = False

    def test_slow_statement_is_stopped(self):
        dealer = self.env.ref("b2b_base.demo_user_alfa_admin")
        self.env["ir.config_parameter"].set_param("b2b_base.dealer_request_seconds", "0.2")
        env = self.env(user=dealer.id)
        # (Odoo logs the cancelled statement as a bad query)
        with self.assertRaises(dealer_requests.DealerRequestTimeout), mute_logger("odoo.sql_db"):
            with self.cr.savepoint():
                dealer_requests.start_bound(env)
                try:
                    self.cr.execute("SELECT pg_sleep(5)")
                finally:
                    dealer_requests.end_bound()
        # the bound ended with the request: the same cursor runs as long as it needs
        self.cr.execute("SELECT pg_sleep(0.3)")

    def test_setting(self):
        """Sales ▸ Settings: the time limit of a dealer's request, at least a second."""
        Settings = self.env["res.config.settings"]
        self.assertEqual(Settings.create({}).b2b_dealer_request_seconds, 30)
        Settings.create({"b2b_dealer_request_seconds": 45}).execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param("b2b_base.dealer_request_seconds"), "45")
        with self.assertRaises(UserError):
            with self.cr.savepoint():
                Settings.create({"b2b_dealer_request_seconds": 0}).execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param("b2b_base.dealer_request_seconds"), "45")
