from odoo import models


class ProductProduct(models.Model):
    """Any change to a product variant (SKU, activity, new or removed variants) renews the dealers'
    whole-catalog price tables (see b2b.price)."""
    _name = "product.product"
    _inherit = ["product.product", "b2b.cache.mixin"]
