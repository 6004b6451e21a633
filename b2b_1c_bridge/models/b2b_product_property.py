from odoo import fields, models


class B2bProductProperty(models.Model):
    _inherit = "b2b.product.property"

    b2b_onec_options = fields.Text(
        "1C Value List", readonly=True,
        help="The values 1C lists for this property, by their 1C id (JSON): goods files name "
             "such values by id, also when the property itself came in an earlier file.")
