from .common import DealerJsonRpcCase


class TestDealerJsonRpc(DealerJsonRpcCase):
    """What a dealer's user can reach through the web client's JSON-RPC (/web/dataset/call_kw)."""

    def setUp(self):
        super(TestDealerJsonRpc, self).setUp()
        ref = self.env.ref
        self.c_alfa = ref("b2b_base.demo_contract_alfa_main")
        self.c_beta = ref("b2b_base.demo_contract_beta_main")
        self.c_beta_special = ref("b2b_base.demo_contract_beta_special")
        self.alfa = ref("b2b_base.demo_dealer_alfa")
        self.pt_large = ref("b2b_base.demo_price_type_large")
        mixer = self.env["product.product"].search([("default_code", "=", "MIX-00001")])
        self.mixer = mixer
        Order = self.env["sale.order"]
        self.o_alfa = Order.browse(Order.sudo(ref("b2b_base.demo_user_alfa_buyer")).b2b_place_order(
            self.c_alfa.id, [(mixer.id, 1)]))
        self.o_beta = Order.browse(Order.sudo(ref("b2b_base.demo_user_beta_buyer")).b2b_place_order(
            self.c_beta.id, [(mixer.id, 1)]))
        self.authenticate("beta.admin", "beta.admin")

    def test_contracts(self):
        result, error = self.call("b2b.contract", "search_read", [], ["name"])
        self.assertFalse(error)
        self.assertEqual(sorted(r["name"] for r in result), sorted([self.c_beta.name, self.c_beta_special.name]))
        result, error = self.call("b2b.contract", "read", [self.c_alfa.id], ["name", "credit_limit"])
        self.assertRefused(error)
        self.assertIsNone(result)

    def test_orders(self):
        result, error = self.call("sale.order", "search_read", [], ["name", "amount_total"])
        self.assertFalse(error)
        self.assertEqual([r["id"] for r in result], [self.o_beta.id])
        result, error = self.call("sale.order", "read", [self.o_alfa.id], ["amount_total"])
        self.assertRefused(error)
        result, error = self.call("sale.order.line", "search_read",
                                  [("order_id", "=", self.o_alfa.id)], ["price_unit"])
        self.assertEqual(result, [])

    def test_prices(self):
        result, error = self.call("b2b.price", "search_read",
                                  [("price_type_id", "=", self.pt_large.id)], ["price"])
        self.assertEqual(result, [], "«Бета» does not see the prices of «Альфа»'s price type")
        result, error = self.call("b2b.contract", "b2b_get_offers", [self.c_alfa.id], [self.mixer.id])
        self.assertRefused(error)
        result, error = self.call("b2b.contract", "b2b_get_offers", [self.c_beta.id], [self.mixer.id])
        self.assertFalse(error)
        self.assertIn(str(self.mixer.id), result)

    def test_partners(self):
        result, error = self.call("res.partner", "search_read", [("id", "=", self.alfa.id)], ["name"])
        self.assertEqual(result, [])
        result, error = self.call("res.partner", "read", [self.alfa.id], ["name", "vat"])
        self.assertRefused(error)

    def test_orders_cannot_be_forged(self):
        """No direct create or write: orders come only through the checked dealer operations."""
        count = self.env["sale.order"].search_count([])
        result, error = self.call("sale.order", "create", {
            "partner_id": self.c_beta.partner_id.id, "b2b_contract_id": self.c_beta.id})
        self.assertRefused(error)
        result, error = self.call("sale.order", "write", [self.o_beta.id], {"amount_total": 1})
        self.assertRefused(error)
        result, error = self.call("sale.order", "b2b_place_order", self.c_alfa.id, [(self.mixer.id, 1)])
        self.assertRefused(error)
        self.assertEqual(self.env["sale.order"].search_count([]), count)
