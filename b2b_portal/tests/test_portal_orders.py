import re

from odoo.addons.b2b_portal.lib.orders import PARAM_EDITABLE_STATES

from .common import PortalHttpCase


class TestPortalOrders(PortalHttpCase):
    """The orders pages over real HTTP as the demo dealers: who sees which orders, the detail,
    editing under the status rule and authorship, cancelling, copying into the cart."""

    def post(self, path, data=None, files=None, csrf_from="/b2b/orders", **kwargs):
        """POST a form with the CSRF token of a page of this area (every page of the web
        layout carries the session's token)."""
        return super(TestPortalOrders, self).post(path, data, files=files, csrf_from=csrf_from, **kwargs)

    def place(self, user, contract, lines):
        """An order placed by ``user`` under ``contract`` with [(product, qty)] (b2b_base's API)."""
        order_id = self.env["sale.order"].sudo(user).b2b_place_order(
            contract.id, [(product.id, qty) for product, qty in lines])
        return self.env["sale.order"].browse(order_id)

    def listed(self, path="/b2b/orders"):
        page = self.get(path)
        self.assertEqual(page.status_code, 200, page.text[:300])
        return {int(found) for found in re.findall(r'class="o_b2b_order_row" data-order-id="(\d+)"', page.text)}

    def quantities(self, order):
        order.invalidate_cache()
        return {line.product_id: line.product_uom_qty for line in order.order_line}

    def edit(self, order, lines=(), new=(), removed=()):
        """POST the edit form: ``lines`` [(product, qty)] of kept lines, ``new`` [(sku, qty)]."""
        data = {
            "product_id": [str(product.id) for product, _qty in lines],
            "qty": [str(qty) for _product, qty in lines],
            "remove": [str(product.id) for product in removed],
            "new_sku": [sku for sku, _qty in new],
            "new_qty": [str(qty) for _sku, qty in new],
        }
        return self.post("/b2b/orders/%d/edit" % order.id, data, allow_redirects=False)

    def error_of(self, answer):
        found = re.search(r'class="alert alert-danger o_b2b_error">(.*?)</div>', answer.text, re.S)
        self.assertTrue(found, "no error shown: %s" % answer.text[:300])
        return found.group(1)

    # ------------------------------------------------------------------ list
    def test_list_shows_dealer_orders_outlet_only_its_contract(self):
        main = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        retail = self.place(self.u_alfa_outlet, self.c_alfa_retail, [(self.mixer, 1)])
        other = self.place(self.u_beta_buyer, self.c_beta, [(self.mixer, 2)])
        for user in (self.u_alfa_admin, self.u_alfa_buyer):
            self.login(user)
            seen = self.listed()
            self.assertTrue({main.id, retail.id} <= seen, user.login)
            self.assertNotIn(other.id, seen, user.login)
        self.login(self.u_alfa_outlet)
        seen = self.listed()
        self.assertIn(retail.id, seen)
        self.assertNotIn(main.id, seen, "an outlet user sees only its contract's orders")
        self.assertNotIn(other.id, seen)
        self.login(self.u_beta_admin)
        self.assertEqual(self.listed() & {main.id, retail.id, other.id}, {other.id})

    def test_search_by_number_and_filters(self):
        first = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        second = self.place(self.u_alfa_buyer, self.c_alfa_retail, [(self.mixer, 1)])
        second.action_confirm()
        self.login(self.u_alfa_admin)
        self.assertEqual(self.listed("/b2b/orders?search=%s" % first.name) & {first.id, second.id},
                         {first.id})
        self.assertIn(first.id, self.listed("/b2b/orders?search=%s" % first.name[-3:]),
                      "a part of the number finds the order")
        by_state = self.listed("/b2b/orders?state=sale")
        self.assertIn(second.id, by_state)
        self.assertNotIn(first.id, by_state)
        by_contract = self.listed("/b2b/orders?contract_id=%d" % self.c_alfa_retail.id)
        self.assertIn(second.id, by_contract)
        self.assertNotIn(first.id, by_contract)
        # a forged contract of another dealer shows nothing of that dealer
        beta = self.place(self.u_beta_buyer, self.c_beta, [(self.mixer, 2)])
        self.assertNotIn(beta.id, self.listed("/b2b/orders?contract_id=%d" % self.c_beta.id))
        # nonsense filters do not break the page
        self.assertIn(first.id, self.listed("/b2b/orders?state=nonsense&contract_id=abc"))

    def test_list_pages(self):
        orders = [self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, n + 1)]) for n in range(22)]
        self.login(self.u_alfa_buyer)
        first = self.listed("/b2b/orders?contract_id=%d" % self.c_alfa.id)
        second = self.listed("/b2b/orders/page/2?contract_id=%d" % self.c_alfa.id)
        self.assertEqual(len(first), 20)
        self.assertFalse(first & second)
        self.assertTrue({order.id for order in orders} <= first | second)
        page = self.get("/b2b/orders?contract_id=%d" % self.c_alfa.id).text
        self.assertIn("/b2b/orders/page/2?contract_id=%d" % self.c_alfa.id, page)

    # ------------------------------------------------------------------ detail
    def test_detail_shows_lines_and_is_not_found_for_other_dealers(self):
        order = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3), (self.min_two, 2)])
        order.write({"b2b_desired_date": "2099-05-17", "note": "Ворота со двора"})
        self.login(self.u_alfa_admin)
        page = self.get("/b2b/orders/%d" % order.id)
        self.assertEqual(page.status_code, 200)
        self.assertIn('id="o_b2b_order_documents"', page.text)
        skus = re.findall(r'<td class="o_b2b_sku">([^<]*)</td>', page.text)
        self.assertEqual(skus, [self.mixer.default_code, self.min_two.default_code])
        self.assertIn(order.name, page.text)
        self.assertIn("Ворота со двора", page.text)
        self.assertIn(self.u_alfa_buyer.name, page.text)
        self.assertIn("2099", re.search(r'o_b2b_order_desired_date">(.*?)</dd>', page.text, re.S).group(1))
        self.assertIn('data-state="draft"', page.text)
        self.login(self.u_beta_buyer)
        self.assertEqual(self.get("/b2b/orders/%d" % order.id).status_code, 404)
        self.assertEqual(self.get("/b2b/orders/%d/edit" % order.id).status_code, 404)
        answer = self.post("/b2b/orders/%d/copy" % order.id, {}, allow_redirects=False)
        self.assertEqual(answer.status_code, 404)
        self.login(self.u_alfa_outlet)   # another contract of the same dealer
        self.assertEqual(self.get("/b2b/orders/%d" % order.id).status_code, 404)
        self.assertEqual(self.get("/b2b/orders/999999999").status_code, 404)

    # ------------------------------------------------------------------ edit
    def test_author_edits_a_draft_order(self):
        order = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3), (self.by_six, 6)])
        price = self.c_alfa._b2b_offers([self.min_two.id])[self.min_two.id].price
        self.login(self.u_alfa_buyer)
        form = self.get("/b2b/orders/%d/edit" % order.id)
        self.assertEqual(form.status_code, 200)
        self.assertIn('id="o_b2b_order_edit_form"', form.text)
        answer = self.edit(order, lines=[(self.mixer, 5), (self.by_six, 6)], removed=[self.by_six],
                           new=[(self.min_two.default_code.lower(), "2"), ("", "")])
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        self.assertTrue(answer.headers["Location"].endswith("/b2b/orders/%d?updated=1" % order.id))
        self.assertEqual(self.quantities(order), {self.mixer: 5, self.min_two: 2})
        added = order.order_line.filtered(lambda line: line.product_id == self.min_two)
        self.assertEqual(added.price_unit, price, "an added line gets the contract's price")
        self.assertAlmostEqual(order.amount_untaxed, sum(order.order_line.mapped("price_subtotal")), 2)
        page = self.get("/b2b/orders/%d?updated=1" % order.id).text
        self.assertIn("o_b2b_order_updated", page)

    def test_bad_lines_are_named_and_nothing_changes(self):
        order = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3), (self.by_six, 6)])
        self.login(self.u_alfa_buyer)
        answer = self.edit(order, lines=[(self.mixer, 7), (self.by_six, 4)],
                           new=[("NO-SUCH-SKU", 1), (self.min_two.default_code, 1)])
        self.assertEqual(answer.status_code, 200)
        error = self.error_of(answer)
        self.assertIn(self.by_six.default_code, error)      # not a multiple of 6
        self.assertIn("NO-SUCH-SKU", error)                  # unknown SKU
        self.assertIn(self.min_two.default_code, error)     # below the minimum of 2
        self.assertEqual(len(error.strip().splitlines()), 3, error)
        self.assertIn('id="o_b2b_order_edit_form"', answer.text, "the form comes back")
        self.assertIn('value="NO-SUCH-SKU"', answer.text, "with what the dealer typed")
        self.assertEqual(self.quantities(order), {self.mixer: 3, self.by_six: 6})

    def test_other_dealers_private_label_cannot_be_added(self):
        order = self.place(self.u_beta_buyer, self.c_beta, [(self.mixer, 3)])
        self.login(self.u_beta_buyer)
        answer = self.edit(order, lines=[(self.mixer, 3)], new=[(self.exclusive.default_code, 1)])
        self.assertIn(self.exclusive.default_code, self.error_of(answer))
        self.assertEqual(self.quantities(order), {self.mixer: 3})

    def test_edit_refused_after_the_status_rule(self):
        order = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        order.action_confirm()
        self.login(self.u_alfa_buyer)
        page = self.get("/b2b/orders/%d" % order.id).text
        self.assertNotIn("btn btn-primary o_b2b_order_edit", page)
        self.assertIn("o_b2b_edit_refusal", page)
        answer = self.edit(order, lines=[(self.mixer, 5)])
        self.assertEqual(answer.status_code, 200)
        self.assertIn(order.name, self.error_of(answer))
        self.assertEqual(self.quantities(order), {self.mixer: 3})
        # the dealer administrator is refused as well, and so is cancelling
        self.login(self.u_alfa_admin)
        self.error_of(self.edit(order, lines=[(self.mixer, 5)]))
        self.error_of(self.post("/b2b/orders/%d/cancel" % order.id, {}))
        order.invalidate_cache()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.quantities(order), {self.mixer: 3})

    def test_only_the_author_or_a_dealer_admin_edits(self):
        by_admin = self.place(self.u_alfa_admin, self.c_alfa, [(self.mixer, 3)])
        self.login(self.u_alfa_buyer)
        page = self.get("/b2b/orders/%d" % by_admin.id)
        self.assertEqual(page.status_code, 200, "a buyer sees the dealer's orders")
        self.assertIn("o_b2b_edit_refusal", page.text)
        self.assertIn(self.u_alfa_admin.name, self.error_of(self.edit(by_admin, lines=[(self.mixer, 5)])))
        self.assertEqual(self.quantities(by_admin), {self.mixer: 3})
        self.error_of(self.post("/b2b/orders/%d/cancel" % by_admin.id, {}))
        by_admin.invalidate_cache()
        self.assertEqual(by_admin.state, "draft")
        by_buyer = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        self.login(self.u_alfa_admin)
        answer = self.edit(by_buyer, lines=[(self.mixer, 4)])
        self.assertEqual(answer.status_code, 303, answer.text[:500])
        self.assertEqual(self.quantities(by_buyer), {self.mixer: 4})

    # (each test of the status rule sets it, and the orders' states, before any page is shown)
    def test_the_status_rule_is_set_in_sales_settings(self):
        draft = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        sent = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        sent.write({"state": "sent"})
        settings = self.env["res.config.settings"].create({
            "b2b_edit_draft": False, "b2b_edit_sent": True, "b2b_edit_sale": False})
        settings.set_values()
        self.assertEqual(self.env["ir.config_parameter"].get_param(PARAM_EDITABLE_STATES), "sent")
        shown = self.env["res.config.settings"].default_get(["b2b_edit_draft", "b2b_edit_sent"])
        self.assertEqual((shown["b2b_edit_draft"], shown["b2b_edit_sent"]), (False, True))
        self.login(self.u_alfa_buyer)
        self.error_of(self.edit(draft, lines=[(self.mixer, 5)]))
        self.assertEqual(self.quantities(draft), {self.mixer: 3})
        answer = self.edit(sent, lines=[(self.mixer, 5)])
        self.assertEqual(answer.status_code, 303, answer.status_code == 200 and self.error_of(answer))
        self.assertEqual(self.quantities(sent), {self.mixer: 5})

    def test_confirmed_orders_editable_when_the_rule_says_so(self):
        confirmed = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3), (self.by_six, 6)])
        confirmed.action_confirm()
        self.env["ir.config_parameter"].set_param(PARAM_EDITABLE_STATES, "draft,sent,sale")
        self.login(self.u_alfa_buyer)
        # a removed line of a confirmed order goes to 0, as Odoo wants for confirmed orders
        answer = self.edit(confirmed, lines=[(self.mixer, 4), (self.by_six, 6)], removed=[self.by_six])
        self.assertEqual(answer.status_code, 303, answer.status_code == 200 and self.error_of(answer))
        self.assertEqual(self.quantities(confirmed), {self.mixer: 4, self.by_six: 0})

    def test_no_editing_at_all_when_the_rule_says_none(self):
        draft = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        self.env["ir.config_parameter"].set_param(PARAM_EDITABLE_STATES, "none")
        self.login(self.u_alfa_admin)
        self.assertNotIn("btn btn-primary o_b2b_order_edit", self.get("/b2b/orders/%d" % draft.id).text)
        self.error_of(self.edit(draft, lines=[(self.mixer, 5)]))
        self.error_of(self.post("/b2b/orders/%d/cancel" % draft.id, {}))
        self.assertEqual(self.quantities(draft), {self.mixer: 3})

    def test_cancel_own_draft_order(self):
        order = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        self.login(self.u_alfa_buyer)
        answer = self.post("/b2b/orders/%d/cancel" % order.id, {}, allow_redirects=False)
        self.assertEqual(answer.status_code, 303)
        order.invalidate_cache()
        self.assertEqual(order.state, "cancel")
        page = self.get("/b2b/orders/%d?cancelled=1" % order.id).text
        self.assertIn("o_b2b_order_cancelled", page)
        self.assertNotIn("o_b2b_order_cancel_form", page)

    # ------------------------------------------------------------------ copy
    def test_copy_into_cart_merges_lines(self):
        order = self.place(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3), (self.min_two, 2)])
        cart_id = self.env["b2b.cart"].sudo(self.u_alfa_buyer).b2b_get_cart(self.c_alfa.id)
        self.env["b2b.cart"].sudo(self.u_alfa_buyer).b2b_set_lines(cart_id, [(self.mixer.id, 1)])
        self.login(self.u_alfa_buyer)
        answer = self.post("/b2b/orders/%d/copy" % order.id, {}, allow_redirects=False)
        self.assertEqual(answer.status_code, 303)
        self.assertTrue(answer.headers["Location"].endswith("/b2b/cart"))
        cart = self.env["b2b.cart"].browse(cart_id)
        cart.invalidate_cache()
        self.assertEqual({line.product_id: line.qty for line in cart.line_ids},
                         {self.mixer: 4, self.min_two: 2})
        self.assertEqual(self.quantities(order), {self.mixer: 3, self.min_two: 2}, "the order stays")

    def test_copy_skips_lines_no_longer_sold(self):
        order = self.place(self.u_alfa_admin, self.c_alfa_retail, [(self.mixer, 3), (self.min_two, 2)])
        self.min_two.product_tmpl_id.sale_ok = False
        self.login(self.u_alfa_buyer)     # a buyer copies another user's order into own cart
        answer = self.post("/b2b/orders/%d/copy" % order.id, {}, allow_redirects=False)
        self.assertEqual(answer.status_code, 200)
        self.assertIn("o_b2b_copy_result", answer.text)
        skipped = re.findall(r'class="o_b2b_skipped" data-product-id="(\d+)"', answer.text)
        self.assertEqual(skipped, [str(self.min_two.id)])
        cart = self.env["b2b.cart"].search([("user_id", "=", self.u_alfa_buyer.id),
                                            ("contract_id", "=", self.c_alfa_retail.id)])
        self.assertEqual({line.product_id: line.qty for line in cart.line_ids}, {self.mixer: 3})
        # the order's contract became the current one: the cart page shows that cart
        page = self.get("/b2b/orders").text
        self.assertRegex(page, r'<option value="%d" selected' % self.c_alfa_retail.id)
