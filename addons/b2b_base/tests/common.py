import json
from contextlib import contextmanager

import odoo.tests
from odoo import SUPERUSER_ID, api
from odoo.tests.common import SavepointCase, TransactionCase


class DealerJsonRpcCase(odoo.tests.HttpCase):
    """Calls the web client's JSON-RPC (/web/dataset/call_kw) as a logged-in user.

    The HTTP server works on the registry's test cursor, so ``self.env`` is on that cursor: data
    the requests must see is made there, and is rolled back with it when the test ends."""

    post_install = True
    at_install = False

    def setUp(self):
        super(DealerJsonRpcCase, self).setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})

    def call(self, model, method, *args, **kwargs):
        """Call like the web client (which sends the user's language in the context); returns
        (result, error data)."""
        kwargs.setdefault("context", {"lang": "ru_RU", "tz": "Europe/Moscow"})
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs}}
        answer = self.opener.post("http://127.0.0.1:%d/web/dataset/call_kw" % odoo.tests.common.PORT,
                                  data=json.dumps(payload),
                                  headers={"Content-Type": "application/json"}, timeout=120)
        self.status = answer.status_code
        self.assertIn(answer.status_code, (200, 403, 503))
        body = answer.json()
        return body.get("result"), body.get("error", {}).get("data", {})

    def assertRefused(self, error):
        """A refusal by the access rules (200 with an access error)."""
        self.assertEqual(self.status, 200, "expected the access rules to refuse, got %r" % (error,))
        self.assertIn(error.get("name"), ("odoo.exceptions.AccessError", "odoo.exceptions.except_orm"),
                      "expected an access error, got %r" % (error,))

    def assertGated(self, error, model, method):
        """A refusal of a dealer's user by the RPC gate (403), before any record is read."""
        self.assertEqual(self.status, 403, "%s.%s was not refused by the gate: %r" % (model, method, error))
        self.assertEqual(error.get("exception_type"), "access_error")
        self.assertIn("%s.%s" % (model, method), error.get("message", ""))


class RefusalCase(TransactionCase):
    """A test case that checks a refused operation left nothing behind."""

    @contextmanager
    def refused(self, exception):
        """Expect ``exception`` and roll back what the refused call wrote, as a request would."""
        with self.assertRaises(exception) as caught:
            with self.cr.savepoint():
                yield caught
        self.env.cache.invalidate()


class DealerCase(SavepointCase):
    """Demo dealers, contracts and users (see demo/b2b_demo.xml) and helpers to act as them."""

    @classmethod
    def setUpClass(cls):
        super(DealerCase, cls).setUpClass()
        ref = cls.env.ref
        cls.alfa = ref("b2b_base.demo_dealer_alfa")
        cls.alfa_retail = ref("b2b_base.demo_entity_alfa_retail")
        cls.yug = ref("b2b_base.demo_dealer_alfa_yug")
        cls.beta = ref("b2b_base.demo_dealer_beta")
        cls.c_alfa = ref("b2b_base.demo_contract_alfa_main")
        cls.c_alfa_retail = ref("b2b_base.demo_contract_alfa_retail")
        cls.c_yug = ref("b2b_base.demo_contract_alfa_yug")
        cls.c_beta = ref("b2b_base.demo_contract_beta_main")
        cls.c_beta_special = ref("b2b_base.demo_contract_beta_special")
        cls.u_alfa_admin = ref("b2b_base.demo_user_alfa_admin")
        cls.u_alfa_buyer = ref("b2b_base.demo_user_alfa_buyer")
        cls.u_alfa_outlet = ref("b2b_base.demo_user_alfa_outlet")
        cls.u_yug_admin = ref("b2b_base.demo_user_yug_admin")
        cls.u_beta_admin = ref("b2b_base.demo_user_beta_admin")
        cls.u_beta_buyer = ref("b2b_base.demo_user_beta_buyer")
        cls.pt_wholesale = ref("b2b_base.demo_price_type_wholesale")
        cls.pt_large = ref("b2b_base.demo_price_type_large")
        cls.pt_dealer = ref("b2b_base.demo_price_type_dealer")
        cls.pt_rrp = ref("b2b_base.demo_price_type_rrp")
        Product = cls.env["product.product"]
        cls.mixer = Product.search([("default_code", "=", "MIX-00001")])         # plain, in stock
        cls.sink = Product.search([("default_code", "=", "SNK-00001")])
        cls.exclusive = Product.search([("default_code", "=", "ALF-00001")])     # «Альфа» only
        cls.forbidden = Product.search([("default_code", "=", "SHW-00001")])     # i=4: not in NSK
        cls.min_two = Product.search([("default_code", "=", "TWR-00001")])       # minimum 2
        cls.by_six = Product.search([("default_code", "=", "ACC-00002")])        # multiples of 6

    def price(self, product, price_type):
        return self.env["b2b.price"].search([
            ("product_id", "=", product.id), ("price_type_id", "=", price_type.id)]).price

    @classmethod
    def place(cls, user, contract, lines):
        """Place an order as ``user``; returns the order (read as superuser)."""
        order_id = cls.env["sale.order"].sudo(user).b2b_place_order(
            contract.id, [(p.id, q) for p, q in lines])
        return cls.env["sale.order"].browse(order_id)
