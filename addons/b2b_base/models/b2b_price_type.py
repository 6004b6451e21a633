from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class B2bPriceType(models.Model):
    """A 1C price type (вид цен): each contract buys at one; 1C sends prices per type."""
    _name = "b2b.price.type"
    _description = "Price Type"
    _inherit = ["b2b.cache.mixin"]
    _b2b_cache_fields = ("is_rrp", "active")  # the RRP type every dealer user sees
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False)
    currency_id = fields.Many2one("res.currency", required=True,
                                  default=lambda self: self.env.user.company_id.currency_id)
    vat_included = fields.Boolean("VAT Included", default=True,
                                  help="Prices of this type include VAT, as 1C sends them.")
    is_rrp = fields.Boolean("Recommended Retail Price",
                            help="Prices of this type are shown to dealers beside their purchase price.")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another price type already has this 1C id."),
    ]

    @api.constrains("is_rrp", "active")
    def _check_single_rrp(self):
        if self.search_count([("is_rrp", "=", True)]) > 1:
            raise ValidationError(_("Only one price type can be the recommended retail price "
                                    "(RRP)."))

    @api.model
    def get_rrp(self):
        return self.sudo().search([("is_rrp", "=", True)], limit=1)
