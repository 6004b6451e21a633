from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    b2b_onec_image_hash = fields.Char(
        "1C Picture Checksum", copy=False, readonly=True,
        help="SHA-1 of the picture file 1C sent last, so that an unchanged picture is not "
             "written again.")
    b2b_onec_seen_session_id = fields.Many2one(
        "b2b.onec.exchange.session", "Last Listed by 1C", copy=False, readonly=True,
        ondelete="set null",
        help="The 1C exchange whose full catalog listed this product last: when 1C ends a full "
             "exchange with its deactivate call, the goods it did not list are archived (if the "
             "1C exchange settings say so).")
