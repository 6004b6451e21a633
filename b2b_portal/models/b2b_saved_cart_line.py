from odoo import _, api, fields, models


class B2bSavedCartLine(models.Model):
    """A product and its quantity in a saved cart."""
    _name = "b2b.saved.cart.line"
    _inherit = ["b2b.portal.owned"]
    _description = "Saved Cart Line"
    _order = "saved_cart_id, id"
    _b2b_owner_fields = ("saved_cart_id",)
    _b2b_parent_field = "saved_cart_id"

    saved_cart_id = fields.Many2one("b2b.saved.cart", required=True, index=True,
                                    ondelete="cascade", readonly=True)
    product_id = fields.Many2one("product.product", required=True, index=True,
                                 ondelete="cascade")
    qty = fields.Float("Quantity", required=True, digits=(16, 3), default=1.0)

    _sql_constraints = [
        ("saved_cart_product_unique", "unique(saved_cart_id, product_id)",
         "A product appears once in a saved cart."),
        ("qty_positive", "CHECK(qty > 0)", "The quantity of a saved cart line must be positive."),
    ]

    @api.model
    def _b2b_not_yours(self):
        return _("The saved cart line does not exist or is not yours.")
