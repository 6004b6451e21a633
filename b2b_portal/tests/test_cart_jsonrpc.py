from odoo.addons.b2b_base.tests.common import DealerJsonRpcCase


class TestCartJsonRpc(DealerJsonRpcCase):
    """Carts, saved carts and favourites through the web client's JSON-RPC (/web/dataset/call_kw):
    their methods are the dealer API a dealer's user may call there; the records themselves are
    not open to generic calls."""

    def setUp(self):
        super(TestCartJsonRpc, self).setUp()
        ref = self.env.ref
        self.c_alfa = ref("b2b_base.demo_contract_alfa_main")
        self.c_beta = ref("b2b_base.demo_contract_beta_main")
        buyer = ref("b2b_base.demo_user_alfa_buyer")
        Product = self.env["product.product"]
        self.mixer = Product.search([("default_code", "=", "MIX-00001")])
        self.sink = Product.search([("default_code", "=", "SNK-00001")])
        self.min_two = Product.search([("default_code", "=", "TWR-00001")])
        Cart = self.env["b2b.cart"].sudo(buyer)
        self.cart_id = Cart.b2b_get_cart(self.c_alfa.id)
        Cart.b2b_set_lines(self.cart_id, [(self.mixer.id, 2), (self.sink.id, 1)])
        self.saved_id = self.env["b2b.saved.cart"].sudo(buyer).b2b_save_cart(self.cart_id, "Основной")
        self.env["b2b.favourite"].sudo(buyer).b2b_toggle(self.mixer.id)

    def cart_lines(self):
        self.env.cache.invalidate()
        return {l.product_id: l.qty for l in self.env["b2b.cart"].browse(self.cart_id).line_ids}

    def test_user_of_another_dealer_gets_nothing(self):
        self.authenticate("beta.admin", "beta.admin")
        for model in ("b2b.cart", "b2b.cart.line", "b2b.saved.cart", "b2b.saved.cart.line",
                      "b2b.favourite"):
            result, error = self.call(model, "search_read", [], [])
            self.assertGated(error, model, "search_read")
            self.assertIsNone(result)
        result, error = self.call("b2b.cart", "read", [self.cart_id], ["comment"])
        self.assertGated(error, "b2b.cart", "read")
        for method, args in (("b2b_cart_summary", [self.cart_id]),
                             ("b2b_set_lines", [self.cart_id, [[self.sink.id, 9]]]),
                             ("b2b_checkout", [self.cart_id]),
                             ("b2b_get_cart", [self.c_alfa.id])):
            result, error = self.call("b2b.cart", method, *args)
            self.assertRefused(error)
            self.assertIsNone(result)
        result, error = self.call("b2b.cart.line", "create",
                                  {"cart_id": self.cart_id, "product_id": self.sink.id, "qty": 9})
        self.assertGated(error, "b2b.cart.line", "create")
        result, error = self.call("b2b.saved.cart", "b2b_restore", self.saved_id)
        self.assertRefused(error)
        result, error = self.call("b2b.saved.cart", "b2b_delete", self.saved_id)
        self.assertRefused(error)
        self.assertEqual(self.cart_lines(), {self.mixer: 2, self.sink: 1})
        self.assertTrue(self.env["b2b.saved.cart"].browse(self.saved_id).exists())

    def test_dealer_orders_from_the_cart(self):
        self.authenticate("alfa.buyer", "alfa.buyer")
        cart_id, error = self.call("b2b.cart", "b2b_get_cart", self.c_alfa.id)
        self.assertFalse(error)
        self.assertEqual(cart_id, self.cart_id)
        # another buyer of the same dealer would not see this cart; its owner does
        summary, error = self.call("b2b.cart", "b2b_set_lines", cart_id,
                                   [[self.min_two.id, 1], [self.sink.id, 0]])
        self.assertFalse(error)
        self.assertEqual([(l["sku"], l["qty"]) for l in summary["lines"]],
                         [("MIX-00001", 2), ("TWR-00001", 1)])
        # the dealer works in Russian: the reason a line cannot be ordered is told in Russian
        result, error = self.call("b2b.cart", "b2b_checkout", cart_id)
        self.assertEqual(error.get("name"), "odoo.exceptions.UserError")
        self.assertEqual(error["arguments"][0], "Строка 2, артикул TWR-00001: минимальный заказ — 2")
        result, error = self.call("b2b.cart", "b2b_set_lines", cart_id, [[self.min_two.id, -1]])
        self.assertEqual(error["arguments"][0], "Строка 1: количество не может быть отрицательным")
        result, error = self.call("b2b.cart", "b2b_set_lines", cart_id, [[self.min_two.id, 2]])
        self.assertFalse(error)
        order_id, error = self.call("b2b.cart", "b2b_checkout", cart_id, "Позвоните перед доставкой")
        self.assertFalse(error)
        order = self.env["sale.order"].browse(order_id)
        self.assertEqual(order.b2b_contract_id, self.c_alfa)
        self.assertEqual(order.note, "Позвоните перед доставкой")
        self.assertEqual(self.cart_lines(), {})
        favourites, error = self.call("b2b.favourite", "b2b_product_ids")
        self.assertEqual(favourites, [self.mixer.id])
        saved, error = self.call("b2b.saved.cart", "b2b_list")
        self.assertEqual([s["id"] for s in saved], [self.saved_id])
