from odoo import fields, models


class ProductProduct(models.Model):
    """Any change to a product variant (SKU, activity, new or removed variants) renews the dealers'
    whole-catalog price tables (see b2b.price)."""
    _name = "product.product"
    _inherit = ["product.product", "b2b.cache.mixin"]

    b2b_onec_variant_id = fields.Char(
        "1C Id of the Characteristic", index=True, copy=False,
        help="product#characteristic: the identifier 1C gives an offer of one characteristic of "
             "the product. Empty for the product's own variant.")

    _sql_constraints = [
        ("b2b_onec_variant_id_unique", "unique(b2b_onec_variant_id)",
         "Another variant already has this 1C id."),
    ]
