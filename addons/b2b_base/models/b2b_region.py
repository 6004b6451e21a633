from odoo import fields, models


class B2bRegion(models.Model):
    _name = "b2b.region"
    _description = "Sales Region"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char()
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another region already has this 1C id."),
    ]
