from contextlib import contextmanager

from odoo.addons.b2b_base.tests.common import DealerCase


class PortalCase(DealerCase):
    """The demo dealers of b2b_base, and helpers to work with carts as their users."""

    @classmethod
    def setUpClass(cls):
        super(PortalCase, cls).setUpClass()
        cls.u_manager_ivan = cls.env.ref("b2b_base.demo_user_manager_ivan")   # «Альфа», «Альфа-Юг»
        cls.u_manager_olga = cls.env.ref("b2b_base.demo_user_manager_olga")   # «Бета»

    def as_user(self, user, model, lang="en_US"):
        """``model`` as ``user`` would call it from the portal, in ``lang``."""
        return self.env[model].sudo(user).with_context(lang=lang)

    def cart_of(self, user, contract, lines=None):
        """The id of ``user``'s cart under ``contract``, holding ``lines`` [(product, qty)] if given."""
        Cart = self.as_user(user, "b2b.cart")
        cart_id = Cart.b2b_get_cart(contract.id)
        if lines is not None:
            Cart.b2b_set_lines(cart_id, [(p.id, q) for p, q in lines], replace=True)
        return cart_id

    def cart_lines(self, cart_id):
        """{product: qty} of a cart, read as superuser."""
        return {line.product_id: line.qty for line in self.env["b2b.cart"].browse(cart_id).line_ids}

    @contextmanager
    def refused(self, exception):
        """Expect ``exception`` and roll back what the refused call wrote, as a request would."""
        with self.assertRaises(exception) as caught:
            with self.cr.savepoint():
                yield caught
        self.env.cache.invalidate()
