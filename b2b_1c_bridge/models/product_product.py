from odoo import fields, models


class ProductProduct(models.Model):
    _inherit = "product.product"

    b2b_1c_variant_id = fields.Char(
        "1C Id of the Characteristic", index=True, copy=False,
        help="product#characteristic: the identifier 1C gives an offer of one characteristic of "
             "the product. Empty for the product's own variant.")

    _sql_constraints = [
        ("b2b_1c_variant_id_unique", "unique(b2b_1c_variant_id)",
         "Another variant already has this 1C id."),
    ]
