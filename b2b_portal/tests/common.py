import json
import re
from contextlib import contextmanager

import odoo.tests
from odoo import SUPERUSER_ID, api

from odoo.addons.b2b_base.tests.common import DealerCase


class PortalCase(DealerCase):
    """The demo dealers of b2b_base, and helpers to work with carts as their users."""

    @classmethod
    def setUpClass(cls):
        super(PortalCase, cls).setUpClass()
        cls.u_manager_ivan = cls.env.ref("b2b_base.demo_user_manager_ivan")   # «Альфа», «Альфа-Юг»
        cls.u_manager_olga = cls.env.ref("b2b_base.demo_user_manager_olga")   # «Бета»

    def as_user(self, user, model, lang="en_US"):
        """``model`` as ``user`` would call it from the portal, in ``lang``."""
        return self.env[model].sudo(user).with_context(lang=lang)

    def cart_of(self, user, contract, lines=None):
        """The id of ``user``'s cart under ``contract``, holding ``lines`` [(product, qty)] if given."""
        Cart = self.as_user(user, "b2b.cart")
        cart_id = Cart.b2b_get_cart(contract.id)
        if lines is not None:
            Cart.b2b_set_lines(cart_id, [(p.id, q) for p, q in lines], replace=True)
        return cart_id

    def cart_lines(self, cart_id):
        """{product: qty} of a cart, read as superuser."""
        return {line.product_id: line.qty for line in self.env["b2b.cart"].browse(cart_id).line_ids}

    @contextmanager
    def refused(self, exception):
        """Expect ``exception`` and roll back what the refused call wrote, as a request would."""
        with self.assertRaises(exception) as caught:
            with self.cr.savepoint():
                yield caught
        self.env.cache.invalidate()


class PortalHttpCase(odoo.tests.HttpCase):
    """Dealer pages over real HTTP as the demo users (password = login).

    Data the requests must see is made with ``self.env``, on the registry's test cursor that the
    test server uses; it is rolled back when the test ends."""

    post_install = True
    at_install = False

    def setUp(self):
        super(PortalHttpCase, self).setUp()
        self.env = api.Environment(self.registry.test_cr, SUPERUSER_ID, {})
        ref = self.env.ref
        self.alfa = ref("b2b_base.demo_dealer_alfa")
        self.beta = ref("b2b_base.demo_dealer_beta")
        self.c_alfa = ref("b2b_base.demo_contract_alfa_main")
        self.c_alfa_retail = ref("b2b_base.demo_contract_alfa_retail")
        self.c_yug = ref("b2b_base.demo_contract_alfa_yug")
        self.c_beta = ref("b2b_base.demo_contract_beta_main")
        self.u_alfa_admin = ref("b2b_base.demo_user_alfa_admin")
        self.u_alfa_buyer = ref("b2b_base.demo_user_alfa_buyer")
        self.u_alfa_outlet = ref("b2b_base.demo_user_alfa_outlet")
        self.u_beta_admin = ref("b2b_base.demo_user_beta_admin")
        self.u_beta_buyer = ref("b2b_base.demo_user_beta_buyer")
        Product = self.env["product.product"]
        self.mixer = Product.search([("default_code", "=", "MIX-00001")])       # plain, in stock
        self.exclusive = Product.search([("default_code", "=", "ALF-00001")])   # «Альфа» only
        self.min_two = Product.search([("default_code", "=", "TWR-00001")])     # minimum 2
        self.by_six = Product.search([("default_code", "=", "ACC-00002")])      # multiples of 6

    def settle(self):
        """Wait until the test server is done with the last request. It answers before it closes
        the request's cursor, and closing the shared test cursor rolls back to the last commit:
        data the test writes in between would be lost."""
        self.registry.test_cr.acquire()
        self.registry.test_cr.release()

    @contextmanager
    def saved(self):
        """Changes the test makes between requests, kept for the requests that follow: the test
        server starts each request by rolling back to the last commit point of the shared test
        cursor (whose commit only moves that point; the test's transaction is still rolled back
        at the end)."""
        self.settle()
        yield
        self.registry.test_cr.commit()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (odoo.tests.common.PORT, path)

    def login(self, user):
        """Log in as ``user`` (a demo user: password = login).

        The test's HTTP session keeps its id across logins and Odoo caches session tokens by
        session id only: the previous user's token is forgotten first, or the next cache
        clearing (any change of goods or prices) would log this user out."""
        self.env["res.users"]._compute_session_token.clear_cache(self.env["res.users"])
        self.authenticate(user.login, user.login)

    def get(self, path, **kwargs):
        kwargs.setdefault("timeout", 60)
        return self.opener.get(self.url(path), **kwargs)

    def csrf_token(self, path="/my"):
        """A CSRF token of the current session, read from a portal page (its forms or the
        ``odoo.csrf_token`` every page of the web layout carries)."""
        page = self.get(path).text
        found = (re.search(r'name="csrf_token" value="([^"]+)"', page) or
                 re.search(r'csrf_token: "([^"]+)"', page))
        self.assertTrue(found, "no CSRF token on %s" % path)
        return found.group(1)

    def post(self, path, data=None, files=None, csrf_from="/my", **kwargs):
        """POST a form as the browser would (with the session's CSRF token)."""
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token(csrf_from))
        kwargs.setdefault("timeout", 120)
        return self.opener.post(self.url(path), data=data, files=files, **kwargs)

    def rpc(self, path, **params):
        """Call a JSON route (Odoo type="json"); returns (result, error data)."""
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}
        answer = self.opener.post(self.url(path), data=json.dumps(payload),
                                  headers={"Content-Type": "application/json"}, timeout=120)
        self.assertEqual(answer.status_code, 200, answer.text[:500])
        body = answer.json()
        return body.get("result"), body.get("error", {}).get("data", {})
