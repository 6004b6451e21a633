from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..lib import bonus
from odoo.addons.b2b_base.tools.rule_messages import render


class ProductTemplate(models.Model):
    _inherit = "product.template"

    b2b_bonus_only = fields.Boolean(
        "Sold Only for Bonus Points",
        help="Dealers get these goods only for bonus points, in a bonus order of their own.")
    b2b_bonus_price = fields.Float(
        "Bonus Price (points)", digits=(16, bonus.POINTS_DIGITS),
        help="How many bonus points one unit costs. Required for goods sold only for bonus points.")

    @api.constrains("b2b_bonus_only", "b2b_bonus_price")
    def _check_b2b_bonus_price(self):
        for template in self:
            problem = bonus.bonus_price_problem(template.name, template.b2b_bonus_only,
                                                template.b2b_bonus_price)
            if problem:
                raise ValidationError(render(self.env, [problem]))
