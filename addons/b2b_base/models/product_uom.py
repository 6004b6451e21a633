from odoo import fields, models


class ProductUom(models.Model):
    _inherit = "product.uom"

    b2b_onec_okei_code = fields.Char(
        "OKEI Code", index=True, copy=False,
        help="The code of the unit in the Russian classifier of units (ОКЕИ) that the supplier's "
             "1C sends with goods (796 for pieces, 166 for kilograms); goods from 1C find their "
             "unit by it first.")
