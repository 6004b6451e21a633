from odoo.exceptions import AccessError

from .common import PortalCase

OWN_MODELS = ("b2b.cart", "b2b.cart.line", "b2b.saved.cart", "b2b.saved.cart.line", "b2b.favourite")
# a change another user tries on each kind of record
CHANGES = {
    "b2b.cart": {"comment": "чужой комментарий"},
    "b2b.cart.line": {"qty": 99},
    "b2b.saved.cart": {"name": "чужое название"},
    "b2b.saved.cart.line": {"qty": 99},
    "b2b.favourite": {},                      # plus another product, see assertCannotTouch
}


class TestCartAccess(PortalCase):
    """A cart, a saved cart and favourites are their user's alone, through any way in."""

    @classmethod
    def setUpClass(cls):
        super(TestCartAccess, cls).setUpClass()
        # «Альфа»'s buyer has a cart, a saved cart and a favourite
        Cart = cls.env["b2b.cart"].sudo(cls.u_alfa_buyer)
        cls.cart_id = Cart.b2b_get_cart(cls.c_alfa.id)
        Cart.b2b_set_lines(cls.cart_id, [(cls.mixer.id, 2), (cls.sink.id, 1)])
        cls.saved_id = cls.env["b2b.saved.cart"].sudo(cls.u_alfa_buyer).b2b_save_cart(
            cls.cart_id, "Еженедельный")
        cls.env["b2b.favourite"].sudo(cls.u_alfa_buyer).b2b_toggle(cls.mixer.id)
        cls.mine = {
            "b2b.cart": cls.env["b2b.cart"].browse(cls.cart_id),
            "b2b.saved.cart": cls.env["b2b.saved.cart"].browse(cls.saved_id),
            "b2b.favourite": cls.env["b2b.favourite"].search([("user_id", "=", cls.u_alfa_buyer.id)]),
        }
        cls.mine["b2b.cart.line"] = cls.mine["b2b.cart"].line_ids
        cls.mine["b2b.saved.cart.line"] = cls.mine["b2b.saved.cart"].line_ids

    def assertCannotTouch(self, user):
        """``user`` neither finds, reads, changes nor deletes any of the buyer's records, nor
        reaches them through the portal's operations."""
        for model in OWN_MODELS:
            records = self.mine[model]
            self.assertTrue(records)
            self.assertFalse(self.env[model].sudo(user).search([("id", "in", records.ids)]),
                             "%s finds the buyer's %s" % (user.login, model))
            changes = dict(CHANGES[model], **({"product_id": self.sink.id}
                                              if model == "b2b.favourite" else {}))
            for operation in (lambda r: r.read(), lambda r: r.write(changes), lambda r: r.unlink()):
                with self.refused(AccessError):
                    operation(records.sudo(user))
        with self.refused(AccessError):
            self.env["b2b.cart.line"].sudo(user).create(
                {"cart_id": self.cart_id, "product_id": self.sink.id, "qty": 5})
        Cart = self.as_user(user, "b2b.cart")
        for call in (lambda: Cart.b2b_cart_summary(self.cart_id),
                     lambda: Cart.b2b_set_lines(self.cart_id, [(self.sink.id, 7)]),
                     lambda: Cart.b2b_set_details(self.cart_id, "чужой"),
                     lambda: Cart.b2b_checkout(self.cart_id)):
            with self.refused(AccessError):
                call()
        Saved = self.as_user(user, "b2b.saved.cart")
        self.assertFalse([s for s in Saved.b2b_list() if s["id"] == self.saved_id])
        for call in (lambda: Saved.b2b_restore(self.saved_id),
                     lambda: Saved.b2b_delete(self.saved_id),
                     lambda: Saved.b2b_save_cart(self.cart_id, "копия")):
            with self.refused(AccessError):
                call()
        self.assertNotIn(self.mixer.id, self.as_user(user, "b2b.favourite").b2b_product_ids())
        # and all of it is still there, unchanged
        self.assertEqual(self.cart_lines(self.cart_id), {self.mixer: 2, self.sink: 1})
        saved = self.mine["b2b.saved.cart"].exists()
        self.assertEqual((saved.name, len(saved.line_ids)), ("Еженедельный", 2))
        self.assertEqual(saved.line_ids.mapped("qty"), [2, 1])
        self.assertEqual(self.mine["b2b.favourite"].exists().product_id, self.mixer)
        self.assertFalse(self.mine["b2b.cart"].comment)

    def test_another_user_of_the_same_dealer_cannot_touch_my_cart(self):
        self.assertCannotTouch(self.u_alfa_admin)
        self.assertCannotTouch(self.u_alfa_outlet)

    def test_user_of_another_dealer_gets_nothing(self):
        self.assertCannotTouch(self.u_beta_admin)
        self.assertCannotTouch(self.u_yug_admin)

    def test_owner_sees_own_records_only(self):
        other = self.cart_of(self.u_alfa_admin, self.c_alfa, [(self.sink, 3)])
        carts = self.env["b2b.cart"].sudo(self.u_alfa_buyer).search([])
        self.assertIn(self.cart_id, carts.ids)
        self.assertNotIn(other, carts.ids)
        lines = self.env["b2b.cart.line"].sudo(self.u_alfa_buyer).search([])
        self.assertEqual(lines, self.mine["b2b.cart.line"])

    def test_records_cannot_be_handed_to_another_user_contract_or_cart(self):
        other = self.cart_of(self.u_alfa_admin, self.c_alfa)
        cart = self.mine["b2b.cart"].sudo(self.u_alfa_buyer)
        for vals in ({"user_id": self.u_alfa_admin.id}, {"contract_id": self.c_yug.id},
                     {"contract_id": self.c_beta.id}):
            with self.refused(AccessError):
                cart.write(vals)
        with self.refused(AccessError):
            self.mine["b2b.cart.line"][0].sudo(self.u_alfa_buyer).write({"cart_id": other})
        with self.refused(AccessError):
            self.mine["b2b.saved.cart"].sudo(self.u_alfa_buyer).write({"user_id": self.u_beta_admin.id})
        with self.refused(AccessError):
            self.mine["b2b.favourite"].sudo(self.u_alfa_buyer).write({"user_id": self.u_alfa_admin.id})
        self.assertEqual((cart.user_id, cart.contract_id), (self.u_alfa_buyer, self.c_alfa))
        self.assertFalse(self.env["b2b.cart"].browse(other).line_ids)

    def test_no_cart_made_directly_for_someone_else_or_another_contract(self):
        Cart = self.env["b2b.cart"]
        before = Cart.search_count([])
        with self.refused(AccessError):
            Cart.sudo(self.u_alfa_buyer).create({"user_id": self.u_alfa_admin.id,
                                                 "contract_id": self.c_yug.id})
        with self.refused(AccessError):
            Cart.sudo(self.u_alfa_outlet).create({"contract_id": self.c_alfa.id})
        with self.refused(AccessError):
            self.env["b2b.saved.cart"].sudo(self.u_beta_buyer).create(
                {"name": "чужой", "contract_id": self.c_alfa.id})
        self.assertEqual(Cart.search_count([]), before)

    def test_outlet_moved_to_another_contract_leaves_the_old_cart(self):
        """Rights follow the assignment: an outlet user moved elsewhere no longer reaches the
        cart of the contract they left."""
        cart_id = self.cart_of(self.u_alfa_outlet, self.c_alfa_retail, [(self.mixer, 1)])
        self.u_alfa_outlet.write({"b2b_contract_id": self.c_alfa.id})
        with self.refused(AccessError):
            self.as_user(self.u_alfa_outlet, "b2b.cart").b2b_checkout(cart_id)
        self.assertEqual(self.cart_lines(cart_id), {self.mixer: 1})

    def test_supplier_staff_read_carts_for_support(self):
        """The dealer's manager reads its carts (not other managers' dealers'); nobody in the
        backend changes them."""
        ivan = self.env["b2b.cart"].sudo(self.u_manager_ivan)
        self.assertIn(self.cart_id, ivan.search([]).ids)
        self.assertEqual(ivan.browse(self.cart_id).line_ids.mapped("product_id"), self.mixer | self.sink)
        self.assertIn(self.saved_id, self.env["b2b.saved.cart"].sudo(self.u_manager_ivan).search([]).ids)
        with self.refused(AccessError):
            ivan.browse(self.cart_id).write({"comment": "от менеджера"})
        with self.refused(AccessError):
            self.mine["b2b.cart.line"].sudo(self.u_manager_ivan).unlink()
        olga = self.env["b2b.cart"].sudo(self.u_manager_olga)
        self.assertNotIn(self.cart_id, olga.search([]).ids, "«Альфа» is not Olga's dealer")
        with self.refused(AccessError):
            olga.browse(self.cart_id).read(["comment"])
