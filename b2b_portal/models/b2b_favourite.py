from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class B2bFavourite(models.Model):
    """A product a dealer's user starred in the catalog."""
    _name = "b2b.favourite"
    # the dealer API: what a dealer's user may call through Odoo's RPC (b2b_base lib/rpc_policy.py)
    _b2b_dealer_rpc = ("b2b_toggle", "b2b_product_ids")
    _inherit = ["b2b.portal.owned"]
    _description = "Favourite Product"
    _order = "id desc"
    _b2b_owner_fields = ("user_id",)

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade",
                              default=lambda self: self.env.uid, readonly=True)
    product_id = fields.Many2one("product.product", required=True, index=True,
                                 ondelete="cascade")

    _sql_constraints = [
        ("user_product_unique", "unique(user_id, product_id)", "The product is already a favourite."),
    ]

    @api.model
    def _b2b_visible_products(self, product_ids):
        """The products among ``product_ids`` the current user can see and buy (record rules of
        b2b_base: no goods made for other dealers), in one query."""
        return self.env["product.product"].search([("id", "in", list(product_ids)),
                                                   ("sale_ok", "=", True)])

    @api.model
    def b2b_toggle(self, product_id):
        """Star or unstar a product for the current user; returns whether it is now a favourite.
        A product the user cannot see cannot be starred (but can always be unstarred)."""
        try:
            product_id = int(product_id)
        except (TypeError, ValueError):
            product_id = 0
        favourite = self.search([("user_id", "=", self.env.uid), ("product_id", "=", product_id)])
        if favourite:
            favourite.unlink()
            return False
        if not product_id or not self._b2b_visible_products([product_id]):
            raise AccessError(_("The product is not available to you."))
        self.create({"user_id": self.env.uid, "product_id": product_id})
        return True

    @api.model
    def b2b_product_ids(self):
        """Ids of the current user's favourite products that they can still see, newest first."""
        favourites = self.search([("user_id", "=", self.env.uid)])
        visible = set(self._b2b_visible_products(favourites.mapped("product_id").ids).ids)
        return [pid for pid in favourites.mapped("product_id").ids if pid in visible]
