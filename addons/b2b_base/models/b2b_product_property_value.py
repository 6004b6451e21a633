from odoo import fields, models


class B2bProductPropertyValue(models.Model):
    """The value of one property for one product (one row per product and property)."""

    _name = "b2b.product.property.value"
    _description = "Product property value"
    _order = "property_sequence, property_id, id"

    product_tmpl_id = fields.Many2one("product.template", "Product", required=True, index=True,
                                      ondelete="cascade")
    property_id = fields.Many2one("b2b.product.property", required=True,
                                  ondelete="cascade")
    property_sequence = fields.Integer(related="property_id.sequence", store=True, readonly=True)
    value = fields.Char(required=True)

    _sql_constraints = [
        ("product_property_unique", "unique(product_tmpl_id, property_id)",
         "A product has one value per property."),
    ]
