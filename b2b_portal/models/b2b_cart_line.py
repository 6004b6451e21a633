from odoo import _, api, fields, models


class B2bCartLine(models.Model):
    """A product and its quantity in a dealer's cart (prices come from the contract when shown)."""
    _name = "b2b.cart.line"
    _inherit = ["b2b.portal.owned"]
    _description = "Dealer Cart Line"
    _order = "cart_id, id"
    _b2b_owner_fields = ("cart_id",)
    _b2b_parent_field = "cart_id"

    cart_id = fields.Many2one("b2b.cart", required=True, index=True, ondelete="cascade",
                              readonly=True)
    product_id = fields.Many2one("product.product", required=True, index=True,
                                 ondelete="cascade")
    qty = fields.Float("Quantity", required=True, digits=(16, 3), default=1.0)

    _sql_constraints = [
        ("cart_product_unique", "unique(cart_id, product_id)",
         "A product appears once in a cart: change its quantity instead."),
        ("qty_positive", "CHECK(qty > 0)", "The quantity of a cart line must be positive."),
    ]

    @api.model
    def _b2b_not_yours(self):
        return _("The cart line does not exist or is not yours.")

    @api.model
    def _b2b_line_qty(self, cart_id, product_id):
        """The quantity of ``product_id`` in cart ``cart_id`` (0 when the cart has no line of
        it), read as the model's user."""
        line = self.search([("cart_id", "=", cart_id), ("product_id", "=", product_id)], limit=1)
        return line.qty or 0.0
