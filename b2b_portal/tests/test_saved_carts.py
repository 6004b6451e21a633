from odoo.exceptions import AccessError, UserError

from .common import PortalCase


class TestSavedCarts(PortalCase):
    """A dealer's user saves a cart under a name and orders it again later."""

    def setUp(self):
        super(TestSavedCarts, self).setUp()
        self.Saved = self.as_user(self.u_alfa_buyer, "b2b.saved.cart")
        self.Cart = self.as_user(self.u_alfa_buyer, "b2b.cart")
        self.cart_id = self.cart_of(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 2), (self.sink, 3)])

    def saved_lines(self, saved_id):
        return {l.product_id: l.qty for l in self.env["b2b.saved.cart"].browse(saved_id).line_ids}

    def test_save_list_restore_delete(self):
        saved_id = self.Saved.b2b_save_cart(self.cart_id, "  Еженедельный   заказ ")
        self.assertEqual(self.saved_lines(saved_id), {self.mixer: 2, self.sink: 3})
        self.assertEqual(self.cart_lines(self.cart_id), {self.mixer: 2, self.sink: 3},
                         "saving leaves the cart as it is")
        listed = self.Saved.b2b_list()
        self.assertEqual([(s["id"], s["name"], s["line_count"], s["contract_id"]) for s in listed],
                         [(saved_id, "Еженедельный заказ", 2, self.c_alfa.id)])
        self.assertEqual(self.Saved.b2b_list(self.c_yug.id), [])
        # the cart is ordered and emptied; the saved cart brings it back
        self.Cart.b2b_checkout(self.cart_id)
        result = self.Saved.b2b_restore(saved_id)
        self.assertEqual((result["cart_id"], result["restored"], result["skipped"]),
                         (self.cart_id, 2, []))
        self.assertEqual(self.cart_lines(self.cart_id), {self.mixer: 2, self.sink: 3})
        self.assertTrue(self.Saved.b2b_delete(saved_id))
        self.assertEqual(self.Saved.b2b_list(), [])
        self.assertFalse(self.env["b2b.saved.cart.line"].search([("saved_cart_id", "=", saved_id)]))

    def test_restore_merges_or_replaces(self):
        saved_id = self.Saved.b2b_save_cart(self.cart_id, "Основной")
        self.Cart.b2b_set_lines(self.cart_id, [(self.mixer.id, 1), (self.sink.id, 0),
                                               (self.by_six.id, 6)], replace=True)
        self.Saved.b2b_restore(saved_id, "merge")
        self.assertEqual(self.cart_lines(self.cart_id),
                         {self.mixer: 3, self.sink: 3, self.by_six: 6},
                         "merge adds the saved quantities to the cart")
        self.Saved.b2b_restore(saved_id, "replace")
        self.assertEqual(self.cart_lines(self.cart_id), {self.mixer: 2, self.sink: 3})
        with self.refused(UserError) as caught:
            self.Saved.b2b_restore(saved_id, "append")
        self.assertIn("Unknown way to restore a saved cart: append", caught.exception.name)

    def test_saving_under_the_same_name_replaces(self):
        first = self.Saved.b2b_save_cart(self.cart_id, "Основной")
        self.Cart.b2b_set_lines(self.cart_id, [(self.by_six.id, 12)], replace=True)
        self.assertEqual(self.Saved.b2b_save_cart(self.cart_id, "Основной"), first)
        self.assertEqual(self.saved_lines(first), {self.by_six: 12})
        self.assertEqual(len(self.Saved.b2b_list()), 1)

    def test_restore_into_another_contract_reports_what_cannot_be_bought_there(self):
        """«Альфа»'s private label goes to a saved cart under «Альфа»; restored under «Альфа-Юг»
        (another dealer of the holding) it is reported, not silently dropped."""
        self.Cart.b2b_set_lines(self.cart_id, [(self.exclusive.id, 1)])
        saved_id = self.Saved.b2b_save_cart(self.cart_id, "С собственной маркой")
        result = self.Saved.b2b_restore(saved_id, "merge", self.c_yug.id)
        yug_cart = self.env["b2b.cart"].browse(result["cart_id"])
        self.assertEqual(yug_cart.contract_id, self.c_yug)
        self.assertEqual(self.cart_lines(yug_cart.id), {self.mixer: 2, self.sink: 3})
        self.assertEqual(result["restored"], 2)
        self.assertEqual([(s["sku"], s["message"]) for s in result["skipped"]],
                         [("ALF-00001", "Line 3: the product is not available to you")])
        # an outlet user cannot restore its saved cart under a contract it does not act for
        outlet_cart = self.cart_of(self.u_alfa_outlet, self.c_alfa_retail, [(self.mixer, 1)])
        Outlet = self.as_user(self.u_alfa_outlet, "b2b.saved.cart")
        outlet_saved = Outlet.b2b_save_cart(outlet_cart, "Точка")
        carts_before = self.env["b2b.cart"].search_count([])
        with self.refused(AccessError):
            Outlet.b2b_restore(outlet_saved, "merge", self.c_alfa.id)
        self.assertEqual(self.env["b2b.cart"].search_count([]), carts_before)

    def test_bad_saves_are_refused(self):
        with self.refused(UserError) as caught:
            self.Saved.b2b_save_cart(self.cart_id, "   ")
        self.assertEqual(caught.exception.name, "Give the saved cart a name.")
        with self.refused(UserError):
            self.Saved.b2b_save_cart(self.cart_id, "x" * 65)
        self.Cart.b2b_set_lines(self.cart_id, [], replace=True)
        with self.refused(UserError) as caught:
            self.Saved.b2b_save_cart(self.cart_id, "Пустой")
        self.assertEqual(caught.exception.name, "The cart is empty: there is nothing to save.")
        self.assertEqual(self.Saved.b2b_list(), [])

    def test_restore_under_closed_contract_is_refused(self):
        saved_id = self.Saved.b2b_save_cart(self.cart_id, "Основной")
        self.Cart.b2b_set_lines(self.cart_id, [], replace=True)
        self.c_alfa.state = "closed"
        with self.refused(UserError):
            self.Saved.b2b_restore(saved_id)
        self.assertEqual(self.cart_lines(self.cart_id), {})
