from odoo.exceptions import AccessError

from .common import PortalCase


class TestFavourites(PortalCase):
    """A dealer's user stars products and finds them again."""

    def test_star_and_unstar(self):
        Favourite = self.as_user(self.u_alfa_buyer, "b2b.favourite")
        self.assertEqual(Favourite.b2b_product_ids(), [])
        self.assertTrue(Favourite.b2b_toggle(self.mixer.id))
        self.assertTrue(Favourite.b2b_toggle(self.exclusive.id), "«Альфа» sees its private label")
        self.assertEqual(sorted(Favourite.b2b_product_ids()), sorted([self.mixer.id, self.exclusive.id]))
        self.assertFalse(Favourite.b2b_toggle(self.mixer.id))
        self.assertEqual(Favourite.b2b_product_ids(), [self.exclusive.id])
        # favourites are per user, even within one dealer
        self.assertEqual(self.as_user(self.u_alfa_admin, "b2b.favourite").b2b_product_ids(), [])

    def test_goods_of_other_dealers_cannot_be_starred(self):
        Favourite = self.as_user(self.u_beta_buyer, "b2b.favourite")
        for product_id in (self.exclusive.id, 999999, "x"):
            with self.refused(AccessError):
                Favourite.b2b_toggle(product_id)
        self.assertFalse(self.env["b2b.favourite"].search([("user_id", "=", self.u_beta_buyer.id)]))

    def test_product_no_longer_visible_leaves_the_list(self):
        Favourite = self.as_user(self.u_beta_buyer, "b2b.favourite")
        Favourite.b2b_toggle(self.sink.id)
        Favourite.b2b_toggle(self.mixer.id)
        # the sink becomes goods made for «Альфа» only
        self.sink.product_tmpl_id.b2b_exclusive_dealer_ids = self.alfa
        self.assertEqual(Favourite.b2b_product_ids(), [self.mixer.id])
        # and can still be unstarred
        self.assertFalse(Favourite.b2b_toggle(self.sink.id))
        self.assertEqual(self.env["b2b.favourite"].search_count(
            [("user_id", "=", self.u_beta_buyer.id)]), 1)
