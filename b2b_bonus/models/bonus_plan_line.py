from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import ValidationError


class BonusPlanLine(models.Model):
    """One target of a monthly plan: a product or a product group, with the planned quantity
    and/or amount."""

    _name = "b2b.bonus.plan.line"
    _description = "Monthly Purchase Plan Line"
    _order = "plan_id, id"

    plan_id = fields.Many2one("b2b.bonus.plan", required=True, index=True,
                              ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Dealer", related="plan_id.partner_id", store=True,
                                 readonly=True, index=True)
    product_tmpl_id = fields.Many2one("product.template", "Product", index=True,
                                      ondelete="restrict")
    categ_id = fields.Many2one("product.category", "Product Group", ondelete="restrict")
    group_onec_id = fields.Char("Group 1C Id", help="The product group's identifier (Ид) in 1C.")
    group_name = fields.Char("Group")
    qty_planned = fields.Float("Planned Quantity", digits=dp.get_precision("Product Unit of Measure"))
    amount_planned = fields.Float("Planned Amount", digits=dp.get_precision("Product Price"))

    _sql_constraints = [
        ("planned_positive", "CHECK(qty_planned >= 0 AND amount_planned >= 0)",
         "Planned quantities and amounts cannot be negative."),
    ]

    def _b2b_target_name(self):
        """What the line plans, as the dealer reads it: the product's or the group's name."""
        self.ensure_one()
        if self.product_tmpl_id:
            return self.product_tmpl_id.display_name
        return self.categ_id.name or self.group_name or self.group_onec_id

    @api.constrains("product_tmpl_id", "categ_id", "group_onec_id")
    def _check_target(self):
        for line in self:
            if not (line.product_tmpl_id or line.categ_id or line.group_onec_id):
                raise ValidationError(_('Plan "%s": each line names a product or a product group.')
                                      % line.plan_id.name)
