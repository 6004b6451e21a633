from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    b2b_1c_image_hash = fields.Char(
        "1C Picture Checksum", copy=False, readonly=True,
        help="SHA-1 of the picture file 1C sent last, so that an unchanged picture is not "
             "written again.")
