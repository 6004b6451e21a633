from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class BonusPlan(models.Model):
    """A dealer's purchase plan for one month (товар месяца): the promoted goods or product groups
    with the planned quantity and/or amount. The supplier's 1C sends the plans; fulfilment is
    measured against the dealer's orders of the month."""

    _name = "b2b.bonus.plan"
    _description = "Monthly Purchase Plan"
    _order = "month desc, partner_id"

    name = fields.Char(required=True)
    partner_id = fields.Many2one(
        "res.partner", "Dealer", required=True, index=True, ondelete="cascade",
        domain=[("b2b_is_dealer", "=", True)],
        help="The dealer (commercial partner) the plan is set for.")
    month = fields.Date(required=True, index=True, help="The month of the plan, kept as its first day.")
    line_ids = fields.One2many("b2b.bonus.plan.line", "plan_id", "Planned Goods")
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False,
                              help="The plan's identifier (Ид) in the supplier's 1C.")
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another plan already has this 1C id."),
    ]

    @api.constrains("partner_id", "month")
    def _check_plan(self):
        for plan in self:
            if not plan.partner_id.b2b_is_dealer:
                raise ValidationError(_('Plan "%(plan)s": "%(partner)s" is not a dealer.')
                                      % {"plan": plan.name,
                                         "partner": plan.partner_id.display_name})
            if plan.month and not plan.month.endswith("-01"):
                raise ValidationError(_('Plan "%s": the month is kept as its first day.') % plan.name)

    _LINE_FIELDS = ("product_tmpl_id", "categ_id", "group_onec_id", "group_name", "qty_planned",
                    "amount_planned")

    def _b2b_line_signature(self, lines=None):
        """The plan's lines as comparable tuples: of ``lines`` (dicts of line values) or, without
        them, of the stored lines. Equal signatures: nothing to rewrite."""
        if lines is None:
            self.ensure_one()
            lines = [{name: (line[name].id if line._fields[name].type == "many2one" else line[name])
                      for name in self._LINE_FIELDS} for line in self.line_ids]
        rows = []
        for line in lines:
            row = []
            for name in self._LINE_FIELDS:
                value = line.get(name) or False
                if name in ("qty_planned", "amount_planned"):
                    value = round(value or 0.0, 2)
                row.append(value)
            rows.append(tuple(row))
        return sorted(rows, key=repr)
