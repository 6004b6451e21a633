from odoo import fields, models


class B2bPrice(models.Model):
    """The price of one product under one price type, as 1C sends it."""
    _name = "b2b.price"
    _description = "Product Price by Price Type"
    _order = "price_type_id, product_id"

    product_id = fields.Many2one("product.product", required=True, ondelete="cascade", index=True)
    price_type_id = fields.Many2one("b2b.price.type", required=True, ondelete="cascade", index=True)
    price = fields.Float(required=True, digits=(16, 2))
    currency_id = fields.Many2one(related="price_type_id.currency_id", readonly=True)

    _sql_constraints = [
        ("product_type_unique", "unique(price_type_id, product_id)",
         "A product has one price per price type."),
        ("price_not_negative", "CHECK(price >= 0)", "A price cannot be negative."),
    ]
