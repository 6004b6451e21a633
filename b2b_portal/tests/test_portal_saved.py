from lxml import html

from .test_portal_cart import CartPageCase


class TestPortalSaved(CartPageCase):
    """Saved carts through the pages: save, list, restore (merge, replace), delete."""

    def saved_rows(self):
        tree = self.page("/b2b/saved")
        return {int(row.get("data-saved-id")): (
            row.xpath("./td[contains(@class, 'o_b2b_saved_name')]/text()")[0],
            int(row.xpath("./td[contains(@class, 'o_b2b_saved_lines')]/text()")[0]))
            for row in tree.xpath("//tr[contains(@class, 'o_b2b_saved_row')]")}

    def saved_of(self, user):
        self.settle()
        return self.env["b2b.saved.cart"].search([("user_id", "=", user.id)])

    def test_save_list_restore_delete(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3), (self.min_two, 2)])
        self.login(self.u_alfa_buyer)
        self.use_contract(self.c_alfa)
        answer = self.post("/b2b/cart/save", {"cart_id": cart_id, "name": "  Весенний   заказ "},
                           allow_redirects=False, csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 303)
        self.assertTrue(answer.headers["Location"].endswith("/b2b/saved"))
        saved = self.saved_of(self.u_alfa_buyer)
        self.assertEqual(len(saved), 1)
        self.assertEqual(self.saved_rows(), {saved.id: ("Весенний заказ", 2)})
        # the cart stays as it was
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 3, self.min_two: 2})

        # merge: quantities add up
        self.rpc("/b2b/cart/update", cart_id=cart_id, lines=[[self.min_two.id, 0], [self.by_six.id, 6]])
        answer = self.post("/b2b/saved/%d/restore" % saved.id, {"mode": "merge"},
                           allow_redirects=False, csrf_from="/b2b/saved")
        self.assertEqual(answer.status_code, 303)
        self.assertTrue(answer.headers["Location"].endswith("/b2b/cart"))
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 6, self.min_two: 2, self.by_six: 6})
        tree = self.page("/b2b/cart")
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_restored')]/text()"), ["2"])
        self.assertFalse(tree.xpath("//ul[contains(@class, 'o_b2b_skipped')]"))
        # the notice is shown once
        self.assertFalse(self.page("/b2b/cart").xpath("//*[contains(@class, 'o_b2b_restore_notice')]"))

        # replace: the cart holds the saved lines only
        answer = self.post("/b2b/saved/%d/restore" % saved.id, {"mode": "replace"},
                           allow_redirects=False, csrf_from="/b2b/saved")
        self.assertEqual(answer.status_code, 303)
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 3, self.min_two: 2})

        # delete
        answer = self.post("/b2b/saved/%d/delete" % saved.id, allow_redirects=False,
                           csrf_from="/b2b/saved")
        self.assertEqual(answer.status_code, 303)
        self.assertFalse(saved.exists())
        self.assertEqual(self.saved_rows(), {})
        self.assertTrue(self.page("/b2b/saved").xpath("//*[contains(@class, 'o_b2b_saved_empty')]"))

    def test_restore_reports_the_lines_left_out(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3), (self.min_two, 2)])
        saved_id = self.env["b2b.saved.cart"].sudo(self.u_alfa_buyer).b2b_save_cart(cart_id, "Старый")
        self.cart_id(self.u_alfa_buyer, self.c_alfa, [])
        self.mixer.product_tmpl_id.sale_ok = False      # no longer sold
        self.login(self.u_alfa_buyer)
        self.use_contract(self.c_alfa)
        answer = self.post("/b2b/saved/%d/restore" % saved_id, {"mode": "merge"},
                           allow_redirects=False, csrf_from="/b2b/saved")
        self.assertEqual(answer.status_code, 303)
        self.assertEqual(self.lines_of(cart_id), {self.min_two: 2})
        tree = self.page("/b2b/cart")
        self.assertEqual(tree.xpath("//*[contains(@class, 'o_b2b_restored')]/text()"), ["1"])
        self.assertEqual(tree.xpath("//ul[contains(@class, 'o_b2b_skipped')]/li/@data-product-id"),
                         [str(self.mixer.id)])

    def test_bad_name_and_unknown_mode_are_told(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        saved_id = self.env["b2b.saved.cart"].sudo(self.u_alfa_buyer).b2b_save_cart(cart_id, "Один")
        self.login(self.u_alfa_buyer, lang="en_US")
        self.use_contract(self.c_alfa)
        answer = self.post("/b2b/cart/save", {"cart_id": cart_id, "name": "   "},
                           allow_redirects=False, csrf_from="/b2b/cart")
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(html.fromstring(answer.text).xpath(
            "//div[contains(@class, 'o_b2b_error')]/text()")[0].strip(), "Give the saved cart a name.")
        self.assertEqual(self.saved_of(self.u_alfa_buyer).ids, [saved_id])
        answer = self.post("/b2b/saved/%d/restore" % saved_id, {"mode": "everything"},
                           allow_redirects=False, csrf_from="/b2b/saved")
        self.assertEqual(answer.status_code, 200)
        self.assertIn("everything", html.fromstring(answer.text).xpath(
            "//div[contains(@class, 'o_b2b_error')]/text()")[0])
        self.assertEqual(self.lines_of(cart_id), {self.mixer: 3})

    def test_another_dealers_saved_cart_answers_404(self):
        cart_id = self.cart_id(self.u_alfa_buyer, self.c_alfa, [(self.mixer, 3)])
        saved_id = self.env["b2b.saved.cart"].sudo(self.u_alfa_buyer).b2b_save_cart(cart_id, "Альфа")
        beta_cart = self.cart_id(self.u_beta_buyer, self.c_beta, [(self.min_two, 2)])
        self.login(self.u_beta_buyer)
        self.assertEqual(self.saved_rows(), {})
        for path, data in (("/b2b/saved/%d/restore" % saved_id, {"mode": "replace"}),
                           ("/b2b/saved/%d/delete" % saved_id, {})):
            answer = self.post(path, data, allow_redirects=False, csrf_from="/b2b/saved")
            self.assertEqual(answer.status_code, 404, path)
        self.assertTrue(self.env["b2b.saved.cart"].browse(saved_id).exists())
        self.assertEqual(self.lines_of(beta_cart), {self.min_two: 2})
