from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    b2b_onec_id = fields.Char("1C Id", index=True, copy=False,
                              help="The identifier (Ид) of the group in the supplier's 1C.")

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another category already has this 1C id."),
    ]
