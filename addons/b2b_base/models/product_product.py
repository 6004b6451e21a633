from odoo import api, models


class ProductProduct(models.Model):
    """Any change to a product variant (SKU, activity, new or removed variants) renews the dealers'
    whole-catalog price tables (see b2b.price)."""
    _inherit = "product.product"

    @api.model
    def create(self, vals):
        product = super(ProductProduct, self).create(vals)
        self.env["b2b.price"].clear_caches()
        return product

    @api.multi
    def write(self, vals):
        res = super(ProductProduct, self).write(vals)
        self.env["b2b.price"].clear_caches()
        return res

    @api.multi
    def unlink(self):
        res = super(ProductProduct, self).unlink()
        self.env["b2b.price"].clear_caches()
        return res
