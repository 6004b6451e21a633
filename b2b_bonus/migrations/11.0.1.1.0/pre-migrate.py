"""11.0.1.1.0: 1C identifiers are spelled ``onec`` (``b2b_onec_id`` for ``b2b_1c_id``)."""
from odoo.addons.b2b_base.tools.migration import rename_constraint, rename_field


def migrate(cr, version):
    if not version:
        return
    for model, table in (("b2b.bonus.balance", "b2b_bonus_balance"),
                         ("b2b.bonus.plan", "b2b_bonus_plan")):
        rename_field(cr, model, table, "b2b_1c_id", "b2b_onec_id", "b2b_bonus")
        rename_constraint(cr, table, "b2b_1c_id_unique", "b2b_onec_id_unique", "b2b_bonus")
    rename_field(cr, "b2b.bonus.plan.line", "b2b_bonus_plan_line", "group_1c_id", "group_onec_id",
                 "b2b_bonus")
