from odoo import fields, models, tools
from odoo.addons import decimal_precision as dp

from .bonus_plan import DONE_ORDERS, DONE_SHIPMENTS, DONE_SQL, SOURCE_PARAM

# every plan's period in the time zone of the plan's company (its contact's zone; UTC when it has
# none or PostgreSQL does not know it), as UTC bounds
_BOUNDS_ALL = """
    SELECT p.id AS plan_id,
           (p.month::timestamp AT TIME ZONE z.tz) AT TIME ZONE 'UTC' AS t0,
           ((COALESCE(p.date_to, (p.month + interval '1 month' - interval '1 day')::date) + 1)
               ::timestamp AT TIME ZONE z.tz) AT TIME ZONE 'UTC' AS t1
      FROM b2b_bonus_plan p
      JOIN (SELECT co.id AS company_id,
                   COALESCE((SELECT n.name FROM pg_timezone_names n WHERE n.name = cp.tz LIMIT 1),
                            'UTC') AS tz
              FROM res_company co JOIN res_partner cp ON cp.id = co.partner_id) z
        ON z.company_id = p.company_id
"""

# the source the supplier chose (Sales > Settings), read when the report is read
_SOURCE = ("COALESCE((SELECT value FROM ir_config_parameter WHERE key = '%s'), 'orders')"
           % SOURCE_PARAM)


class BonusPlanFulfilment(models.Model):
    """Managers' report: how far each dealer is with each line of its plans (one row per plan
    line), computed when read from the dealers' confirmed orders of the plan's period (or 1C's
    shipments, as set in the settings), by the same query the portal uses."""

    _name = "b2b.bonus.plan.fulfilment"
    _description = "Plan Fulfilment"
    _auto = False
    _order = "month desc, partner_id, plan_id, id"

    plan_id = fields.Many2one("b2b.bonus.plan", readonly=True)
    partner_id = fields.Many2one("res.partner", "Dealer", readonly=True)
    manager_id = fields.Many2one("res.users", "Supplier Manager", readonly=True)
    month = fields.Date(readonly=True)
    date_to = fields.Date("Period End", readonly=True)
    is_commitment = fields.Boolean("Seasonal Commitment", readonly=True)
    accepted_by = fields.Many2one("res.users", "Accepted by", readonly=True)
    accepted_on = fields.Datetime("Accepted on", readonly=True)
    product_tmpl_id = fields.Many2one("product.template", "Product", readonly=True)
    categ_id = fields.Many2one("product.category", "Product Group", readonly=True)
    group_name = fields.Char("Group", readonly=True)
    qty_planned = fields.Float("Planned Quantity", readonly=True,
                               digits=dp.get_precision("Product Unit of Measure"))
    qty_done = fields.Float("Done Quantity", readonly=True,
                            digits=dp.get_precision("Product Unit of Measure"))
    amount_planned = fields.Float("Planned Amount", readonly=True,
                                  digits=dp.get_precision("Product Price"))
    amount_done = fields.Float("Done Amount", readonly=True, digits=dp.get_precision("Product Price"))
    percent = fields.Float("Fulfilment (%)", readonly=True, digits=(16, 1), group_operator="avg")

    def init(self):
        tools.drop_view_if_exists(self._cr, self._table)
        done = "(%s AND %s = 'orders') UNION ALL (%s AND %s = 'shipments')" % (
            DONE_ORDERS.format(dealer_filter="TRUE"), _SOURCE,
            DONE_SHIPMENTS.format(dealer_filter="TRUE"), _SOURCE)
        query = DONE_SQL.format(bounds=_BOUNDS_ALL, line_filter="TRUE", done=done)
        view = """
            CREATE VIEW %s AS
            SELECT l.id, l.plan_id, p.partner_id, d.b2b_manager_id AS manager_id, p.month,
                   p.date_to, p.is_commitment, p.accepted_by, p.accepted_on, l.product_tmpl_id,
                   COALESCE(l.categ_id, (SELECT g.id FROM product_category g
                                          WHERE g.b2b_onec_id = l.group_onec_id LIMIT 1))
                       AS categ_id,
                   l.group_name, l.qty_planned, f.qty_done, l.amount_planned, f.amount_done,
                   CASE WHEN l.qty_planned > 0
                            THEN round((100 * f.qty_done / l.qty_planned)::numeric, 1)
                        WHEN l.amount_planned > 0
                            THEN round((100 * f.amount_done / l.amount_planned)::numeric, 1)
                        ELSE 0 END AS percent
              FROM b2b_bonus_plan_line l
              JOIN b2b_bonus_plan p ON p.id = l.plan_id
              JOIN res_partner d ON d.id = p.partner_id
              JOIN (%s) f ON f.line_id = l.id
        """ % (self._table, query)
        self._cr.execute(view)  # pylint: disable=sql-injection
