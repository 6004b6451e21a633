import json

import requests

import odoo.tests
from odoo.osv import expression
from odoo.tests.common import TransactionCase

from .common import DealerJsonRpcCase

# A looping domain would hold the request for ever: the client gives up after this many seconds,
# so that the test fails instead of hanging the suite.
ANSWER_TIMEOUT = 30


class TestHierarchyDomainsOverRpc(DealerJsonRpcCase):
    """A user sends child_of / parent_of on a partner's commercial partner (a company's commercial
    partner is the company itself) through the web client's JSON-RPC: the server answers with the
    partners the user may see, instead of searching the same ids without end (Odoo 11's expression
    engine, fixed in the compatibility layer, runtime/b2b_compat). Supplier staff can send any
    domain; a dealer's user is refused by the RPC gate before any search."""

    def setUp(self):
        super(TestHierarchyDomainsOverRpc, self).setUp()
        ref = self.env.ref
        self.alfa = ref("b2b_base.demo_dealer_alfa")
        self.beta = ref("b2b_base.demo_dealer_beta")
        self.alfa_admin = ref("b2b_base.demo_user_alfa_admin").partner_id
        self.authenticate("manager.ivan", "manager.ivan")  # «Альфа»'s manager

    def search(self, domain):
        """res.partner's search_read over /web/dataset/call_kw, as the web client calls it: (the ids
        found, the error's data)."""
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "model": "res.partner", "method": "search_read", "args": [domain, ["id"]],
            "kwargs": {"context": {"lang": "ru_RU", "tz": "Europe/Moscow"}}}}
        try:
            answer = self.opener.post(
                "http://127.0.0.1:%d/web/dataset/call_kw" % odoo.tests.common.PORT,
                data=json.dumps(payload), headers={"Content-Type": "application/json"},
                timeout=ANSWER_TIMEOUT)
        except requests.exceptions.Timeout:
            self.fail("no answer to %r within %d s" % (domain, ANSWER_TIMEOUT))
        self.status = answer.status_code
        body = answer.json()
        if "error" in body:
            return None, body["error"].get("data", {})
        return sorted(row["id"] for row in body["result"]), {}

    def search_ids(self, domain):
        """The ids res.partner's search_read finds over /web/dataset/call_kw; it must not fail."""
        ids, error = self.search(domain)
        self.assertFalse(error, "%r: %r" % (domain, error))
        return ids

    def test_child_of_commercial_partner(self):
        company = self.search_ids([("commercial_partner_id", "=", self.alfa.id)])
        self.assertIn(self.alfa.id, company)
        self.assertIn(self.alfa_admin.id, company)
        self.assertEqual(self.search_ids([("commercial_partner_id", "child_of", self.alfa.id)]), company)

    def test_parent_of_commercial_partner(self):
        self.assertEqual(self.search_ids([("commercial_partner_id", "parent_of", self.alfa.id)]),
                         [self.alfa.id])
        self.assertEqual(self.search_ids([("commercial_partner_id", "parent_of", self.alfa_admin.id)]),
                         sorted([self.alfa.id, self.alfa_admin.id]))

    def test_dealer_is_refused_at_once(self):
        self.authenticate("alfa.admin", "alfa.admin")
        for operator in ("child_of", "parent_of"):
            ids, error = self.search([("commercial_partner_id", operator, self.beta.id)])
            self.assertIsNone(ids)
            self.assertGated(error, "res.partner", "search_read")


class TestHierarchyDomainsAsBefore(TransactionCase):
    """On hierarchies without a cycle child_of / parent_of find the records Odoo 11's own code
    finds, with and without a parent store (res.partner's parent_id, product.category)."""

    post_install = True
    at_install = False

    def odoo_ids(self, model, domain):
        """The ids Odoo 11's own expression.parse finds (kept by the compatibility layer)."""
        parse = expression.expression.parse
        fixed = parse.__code__
        parse.__code__ = parse._b2b_odoo_code
        try:
            return sorted(self.env[model].search(domain).ids)
        finally:
            parse.__code__ = fixed

    def assertAsBefore(self, model, domain):
        ids = sorted(self.env[model].search(domain).ids)
        self.assertTrue(ids, "%s %r finds nothing" % (model, domain))
        self.assertEqual(ids, self.odoo_ids(model, domain), "%s %r" % (model, domain))

    def test_partner_hierarchy(self):
        alfa = self.env.ref("b2b_base.demo_dealer_alfa")
        contact = self.env.ref("b2b_base.demo_user_alfa_admin").partner_id
        for domain in ([("parent_id", "child_of", alfa.id)],
                       [("id", "child_of", [alfa.id, contact.id])],
                       [("child_ids", "child_of", contact.id)],
                       [("parent_id", "parent_of", contact.id)],
                       [("id", "parent_of", contact.id)]):
            self.assertAsBefore("res.partner", domain)
        self.assertAsBefore("res.users", [("partner_id", "child_of", alfa.id)])

    def test_parent_store_hierarchy(self):
        category = self.env["product.category"].search([("child_id", "!=", False)], limit=1)
        leaf = self.env["product.category"].search([("parent_id", "child_of", category.id),
                                                    ("child_id", "=", False)], limit=1)
        for domain in ([("id", "child_of", category.id)],
                       [("parent_id", "child_of", category.id)],
                       [("id", "parent_of", leaf.id)],
                       [("parent_id", "parent_of", leaf.id)]):
            self.assertAsBefore("product.category", domain)
        self.assertAsBefore("product.product", [("categ_id", "child_of", category.id)])
