from odoo import models

# the context key under which the portal's catalog and cart price the goods sold only for bonus
# points: they are offered at no money price (0) so that the cart takes them, and the pages show
# their price in points instead (models/b2b_catalog.py, models/b2b_cart.py)
BONUS_CONTEXT = "b2b_bonus_goods"


class B2bContract(models.Model):
    _inherit = "b2b.contract"

    def _b2b_offers(self, product_ids=None, include_hidden=False):
        """Under ``BONUS_CONTEXT``: goods sold only for bonus points are never "price on
        request" (they have no money price at all); everything else as b2b_base prices it."""
        offers = super(B2bContract, self)._b2b_offers(product_ids, include_hidden)
        if not self.env.context.get(BONUS_CONTEXT) or not offers:
            return offers
        bonus = self.env["product.product"]._b2b_bonus_points(list(offers))
        for product_id in bonus:
            offers[product_id] = offers[product_id]._replace(price=0.0, rrp=None)
        return offers
