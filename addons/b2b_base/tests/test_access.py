from odoo.exceptions import AccessError, UserError

from .common import DealerCase


class TestDealerAccess(DealerCase):
    """Each dealer role sees exactly what it should, and nothing of another dealer."""

    @classmethod
    def setUpClass(cls):
        super(TestDealerAccess, cls).setUpClass()
        # orders of every dealer, placed by their own users
        cls.o_alfa_admin = cls.place(cls.u_alfa_admin, cls.c_alfa, [(cls.mixer, 1)])
        cls.o_alfa_buyer = cls.place(cls.u_alfa_buyer, cls.c_alfa, [(cls.sink, 2)])
        cls.o_alfa_outlet = cls.place(cls.u_alfa_outlet, cls.c_alfa_retail, [(cls.mixer, 3)])
        cls.o_yug = cls.place(cls.u_yug_admin, cls.c_yug, [(cls.mixer, 1)])
        cls.o_beta = cls.place(cls.u_beta_buyer, cls.c_beta, [(cls.sink, 1)])

    def visible(self, user, model, domain=None):
        return self.env[model].sudo(user).search(domain or [])

    def test_contracts_by_role(self):
        Contract = "b2b.contract"
        self.assertEqual(self.visible(self.u_alfa_admin, Contract),
                         self.c_alfa | self.c_alfa_retail | self.c_yug,
                         "the holding head acts for its subsidiary")
        self.assertEqual(self.visible(self.u_alfa_buyer, Contract),
                         self.c_alfa | self.c_alfa_retail | self.c_yug)
        self.assertEqual(self.visible(self.u_alfa_outlet, Contract), self.c_alfa_retail,
                         "an outlet user sees its one contract")
        self.assertEqual(self.visible(self.u_yug_admin, Contract), self.c_yug,
                         "a subsidiary does not see its holding head's contracts")
        self.assertEqual(self.visible(self.u_beta_admin, Contract), self.c_beta | self.c_beta_special)

    def test_other_dealers_contract_cannot_be_read(self):
        with self.assertRaises(AccessError):
            self.c_alfa.sudo(self.u_beta_admin).read(["name", "credit_limit"])
        with self.assertRaises(AccessError):
            self.c_alfa.sudo(self.u_yug_admin).read(["name"])

    def test_orders_by_role(self):
        Order = "sale.order"
        alfa_all = self.o_alfa_admin | self.o_alfa_buyer | self.o_alfa_outlet
        self.assertEqual(self.visible(self.u_alfa_admin, Order), alfa_all | self.o_yug)
        self.assertEqual(self.visible(self.u_alfa_buyer, Order), alfa_all | self.o_yug,
                         "a buyer sees the dealer's orders, not only its own")
        self.assertEqual(self.visible(self.u_alfa_outlet, Order), self.o_alfa_outlet)
        self.assertEqual(self.visible(self.u_yug_admin, Order), self.o_yug)
        self.assertEqual(self.visible(self.u_beta_admin, Order), self.o_beta)
        with self.assertRaises(AccessError):
            self.o_alfa_admin.sudo(self.u_beta_admin).read(["amount_total"])
        with self.assertRaises(AccessError):
            self.o_alfa_admin.order_line[0].sudo(self.u_beta_admin).read(["price_unit"])
        self.assertFalse(self.visible(self.u_beta_admin, "sale.order.line",
                                      [("order_id", "=", self.o_alfa_admin.id)]))

    def test_edit_rights_follow_role(self):
        """A buyer edits only own orders; the dealer's administrator edits all of them."""
        self.o_alfa_buyer.sudo(self.u_alfa_buyer).check_access_rule("write")
        with self.assertRaises(AccessError):
            self.o_alfa_admin.sudo(self.u_alfa_buyer).check_access_rule("write")
        self.o_alfa_buyer.sudo(self.u_alfa_admin).check_access_rule("write")
        with self.assertRaises(AccessError):
            self.o_alfa_buyer.sudo(self.u_beta_admin).check_access_rule("write")
        # portal users change orders only through the portal's own operations, never directly
        with self.assertRaises(AccessError):
            self.o_alfa_buyer.sudo(self.u_alfa_buyer).write({"note": "edited"})

    def test_outlet_cannot_order_under_another_contract(self):
        Order = self.env["sale.order"]
        before = Order.search_count([])
        for contract in (self.c_alfa, self.c_yug, self.c_beta):
            with self.assertRaises(AccessError):
                Order.sudo(self.u_alfa_outlet).b2b_place_order(contract.id, [(self.mixer.id, 1)])
        with self.assertRaises(AccessError):
            Order.sudo(self.u_beta_admin).b2b_place_order(self.c_alfa.id, [(self.mixer.id, 1)])
        with self.assertRaises(AccessError):
            Order.sudo(self.u_alfa_outlet).create({
                "partner_id": self.alfa.id, "b2b_contract_id": self.c_alfa.id})
        self.assertEqual(Order.search_count([]), before, "nothing was created")

    def test_prices_of_own_price_types_only(self):
        large = self.env["b2b.price"].search([("price_type_id", "=", self.pt_large.id)], limit=1)
        self.assertTrue(self.visible(self.u_alfa_admin, "b2b.price",
                                     [("price_type_id", "=", self.pt_large.id)]))
        self.assertFalse(self.visible(self.u_beta_admin, "b2b.price",
                                      [("price_type_id", "=", self.pt_large.id)]),
                         "«Бета» buys at other price types")
        with self.assertRaises(AccessError):
            large.sudo(self.u_beta_admin).read(["price"])
        self.assertEqual(self.visible(self.u_beta_admin, "b2b.price.type"),
                         self.pt_wholesale | self.pt_dealer | self.pt_rrp)
        # everyone sees the recommended retail price
        self.assertTrue(self.visible(self.u_alfa_outlet, "b2b.price",
                                     [("price_type_id", "=", self.pt_rrp.id)]))

    def test_partners_of_other_dealers_are_invisible(self):
        self.assertFalse(self.visible(self.u_beta_admin, "res.partner", [("id", "=", self.alfa.id)]))
        with self.assertRaises(AccessError):
            self.alfa.sudo(self.u_beta_admin).read(["name", "vat"])
        with self.assertRaises(AccessError):
            self.alfa.sudo(self.u_yug_admin).read(["name"])
        # the holding head reads its subsidiary and its own legal entities
        seen = self.visible(self.u_alfa_admin, "res.partner",
                            [("id", "in", (self.yug | self.alfa_retail).ids)])
        self.assertEqual(seen, self.yug | self.alfa_retail)

    def test_exclusive_goods_only_for_their_dealer(self):
        self.assertTrue(self.visible(self.u_alfa_buyer, "product.product",
                                     [("id", "=", self.exclusive.id)]))
        self.assertFalse(self.visible(self.u_beta_buyer, "product.product",
                                      [("id", "=", self.exclusive.id)]))
        self.assertFalse(self.visible(self.u_beta_buyer, "product.template",
                                      [("id", "=", self.exclusive.product_tmpl_id.id)]))
        with self.assertRaises(UserError):
            self.place(self.u_beta_buyer, self.c_beta, [(self.exclusive, 1)])

    def test_scope_follows_assignment_changes(self):
        """Rights are derived from role and assignment: moving an outlet user takes effect at once."""
        self.assertEqual(self.visible(self.u_alfa_outlet, "b2b.contract"), self.c_alfa_retail)
        self.u_alfa_outlet.write({"b2b_contract_id": self.c_alfa.id})
        self.assertEqual(self.visible(self.u_alfa_outlet, "b2b.contract"), self.c_alfa)
        self.assertEqual(self.visible(self.u_alfa_outlet, "sale.order"),
                         self.o_alfa_admin | self.o_alfa_buyer)
