from odoo import fields, models


class ProductCategory(models.Model):
    _name = "product.category"
    # a group moved under another parent changes the personal discounts it takes
    _inherit = ["product.category", "b2b.cache.mixin"]
    _b2b_cache_fields = ("parent_id",)

    b2b_onec_id = fields.Char("1C Id", index=True, copy=False,
                              help="The identifier (Ид) of the group in the supplier's 1C.")

    b2b_discount_ids = fields.One2many("b2b.dealer.discount", "category_id",
                                       "Dealers' Personal Discounts")

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another category already has this 1C id."),
    ]
