import json
import xmlrpc.client

import odoo.tests

from .common import DealerJsonRpcCase


class TestDealerRpcGate(DealerJsonRpcCase):
    """What a dealer's user can reach through Odoo's generic RPC: the web client's routes
    (/web/dataset/*, /web/export/*, /web/action/*) and the object service (/xmlrpc/*, /jsonrpc)
    answer 403 except for the allow-list (Odoo's portal calls and the dealer API the suite's models
    declare); supplier staff keep the whole of it."""

    def setUp(self):
        super(TestDealerRpcGate, self).setUp()
        ref = self.env.ref
        self.c_alfa = ref("b2b_base.demo_contract_alfa_main")
        self.c_beta = ref("b2b_base.demo_contract_beta_main")
        self.mixer = self.env["product.product"].search([("default_code", "=", "MIX-00001")])
        Order = self.env["sale.order"]
        self.o_beta = Order.browse(Order.sudo(ref("b2b_base.demo_user_beta_buyer")).b2b_place_order(
            self.c_beta.id, [(self.mixer.id, 1)]))

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (odoo.tests.common.PORT, path)

    def post_json(self, path, params, opener=None):
        answer = (opener or self.opener).post(
            self.url(path), data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"}, timeout=60)
        return answer.status_code, answer.json()

    def test_generic_calls_are_refused_before_reading(self):
        self.authenticate("beta.admin", "beta.admin")
        for model, method, args in (("sale.order", "search_read", [[], ["name"]]),
                                    ("b2b.contract", "read", [[self.c_beta.id], ["name"]]),
                                    ("res.partner", "name_search", ["Альфа"]),
                                    ("b2b.price", "read_group", [[], ["price"], ["price_type_id"]]),
                                    ("b2b.contract", "_b2b_offers", [self.c_beta.id])):
            result, error = self.call(model, method, *args)
            self.assertIsNone(result)
            self.assertGated(error, model, method)
        # the dealer's own records too: the portal's pages show them, generic RPC does not
        result, error = self.call("sale.order", "write", [self.o_beta.id], {"note": "подделка"})
        self.assertGated(error, "sale.order", "write")
        self.o_beta.invalidate_cache()
        self.assertFalse(self.o_beta.note)
        # told in the dealer's language
        self.assertEqual(error["arguments"][0], "Пользователи дилеров не могут вызывать sale.order.write "
                                                "через общий RPC Odoo: используйте страницы портала")

    def test_other_generic_routes_are_refused(self):
        self.authenticate("beta.admin", "beta.admin")
        status, body = self.post_json("/web/dataset/search_read", {
            "model": "sale.order", "fields": ["name", "amount_total"], "domain": []})
        self.assertEqual(status, 403)
        self.assertNotIn("result", body)
        status, body = self.post_json("/web/action/load", {"action_id": "sale.action_orders"})
        self.assertEqual(status, 403)
        answer = self.opener.post(self.url("/web/export/csv"), data={
            "data": json.dumps({"model": "sale.order", "fields": [{"name": "name", "label": "Name"}],
                                "ids": [self.o_beta.id], "domain": [], "import_compat": False}),
            "token": "1"}, timeout=60)
        self.assertEqual(answer.status_code, 403)
        self.assertNotIn(self.o_beta.name, answer.text)
        self.assertIn("/web/export/csv", answer.text)

    def test_allow_list(self):
        self.authenticate("beta.admin", "beta.admin")
        # Odoo's portal pages ask whether the user is in a group
        result, error = self.call("res.users", "has_group", "base.group_portal")
        self.assertFalse(error)
        self.assertIs(result, True)
        # the dealer API of the suite's models, still under the record rules
        result, error = self.call("b2b.contract", "b2b_get_offers", [self.c_beta.id], [self.mixer.id])
        self.assertFalse(error)
        self.assertIn(str(self.mixer.id), result)
        result, error = self.call("b2b.contract", "b2b_get_offers", [self.c_alfa.id], [self.mixer.id])
        self.assertRefused(error)
        self.assertIsNone(result)

    def test_supplier_staff_keep_generic_rpc(self):
        Order = self.env["sale.order"]
        o_alfa = Order.browse(Order.sudo(self.env.ref("b2b_base.demo_user_alfa_buyer")).b2b_place_order(
            self.c_alfa.id, [(self.mixer.id, 1)]))
        self.authenticate("manager.ivan", "manager.ivan")  # «Альфа»'s manager
        result, error = self.call("sale.order", "search_read", [("id", "=", o_alfa.id)], ["name"])
        self.assertFalse(error)
        self.assertEqual([r["id"] for r in result], [o_alfa.id])

    def test_object_service(self):
        """/xmlrpc/2/object and /jsonrpc: the same gate, after the password is checked."""
        db = self.env.cr.dbname
        beta = self.env.ref("b2b_base.demo_user_beta_admin").id
        ivan = self.env.ref("b2b_base.demo_user_manager_ivan").id
        models = xmlrpc.client.ServerProxy(self.url("/xmlrpc/2/object"), allow_none=True)
        with self.assertRaises(xmlrpc.client.ProtocolError) as refused:
            models.execute_kw(db, beta, "beta.admin", "sale.order", "search_read", [[]], {"fields": ["name"]})
        self.assertEqual(refused.exception.errcode, 403)
        self.assertIs(models.execute_kw(db, beta, "beta.admin", "res.users", "has_group",
                                        ["base.group_portal"]), True)
        found = models.execute_kw(db, ivan, "manager.ivan", "b2b.contract", "search",
                                  [[("id", "=", self.c_alfa.id)]])
        self.assertEqual(found, [self.c_alfa.id])
        # a wrong password is told as before, whoever the user is
        with self.assertRaises(xmlrpc.client.Fault):
            models.execute_kw(db, beta, "not-the-password", "sale.order", "search", [[]])
        status, body = self.post_json("/jsonrpc", {
            "service": "object", "method": "execute_kw",
            "args": [db, beta, "beta.admin", "sale.order", "read", [[self.o_beta.id], ["name"]]]})
        self.assertEqual(status, 403)
        self.assertNotIn("result", body)
        self.assertEqual(body["error"]["data"]["exception_type"], "access_error")

    def test_page_of_records_the_user_may_not_read(self):
        """A page of another dealer's records (here Odoo's printed order) answers 403 with the
        reason, not a server error."""
        Order = self.env["sale.order"]
        o_alfa = Order.browse(Order.sudo(self.env.ref("b2b_base.demo_user_alfa_buyer")).b2b_place_order(
            self.c_alfa.id, [(self.mixer.id, 1)]))
        self.authenticate("beta.admin", "beta.admin")
        page = self.opener.get(self.url("/report/html/sale.report_saleorder/%d" % o_alfa.id), timeout=60)
        self.assertEqual(page.status_code, 403)
        self.assertNotIn(o_alfa.name, page.text)
        self.assertNotIn(o_alfa.partner_id.name, page.text)
        self.assertIn("ограничений по безопасности", page.text)  # Odoo's reason, in the dealer's language
