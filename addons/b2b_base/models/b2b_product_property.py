from odoo import fields, models


class B2bProductProperty(models.Model):
    """A property of goods as 1C describes them (material, colour, country of origin...)."""

    _name = "b2b.product.property"
    _description = "Product property"
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False)
    show_in_portal = fields.Boolean("Shown to Dealers", default=True,
                                    help="Dealers see this property on the product page.")
    active = fields.Boolean(default=True)
    value_ids = fields.One2many("b2b.product.property.value", "property_id", "Values")

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another property already has this 1C id."),
    ]
