import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.b2b_base.tools import business_date

from ..lib import plans

SOURCE_PARAM = "b2b_bonus.plan_source"    # where fulfilment is measured: "orders" or "shipments"
SOURCES = [("orders", "Dealers' confirmed orders"), ("shipments", "1C's shipments")]

# Done quantities and amounts of plan lines, in one query: the period of each line's plan as UTC
# bounds ({bounds}: plan_id, t0, t1), the line's targets (its product, or every category of its
# product group and the groups under it: a recursive walk, so it holds whether or not the category
# tree's parent_left/right are current) and the dealer's confirmed money orders, or 1C's shipments
# ({done}: dealer_id, at, tmpl_id, categ_id, qty, amount), in that period.
DONE_SQL = """
WITH RECURSIVE bounds AS (
    {bounds}
), pl AS (
    SELECT l.id, p.partner_id, b.t0, b.t1, l.product_tmpl_id, COALESCE(l.categ_id, g.id) AS root
      FROM b2b_bonus_plan_line l
      JOIN b2b_bonus_plan p ON p.id = l.plan_id
      JOIN bounds b ON b.plan_id = l.plan_id
      LEFT JOIN product_category g ON l.categ_id IS NULL AND l.product_tmpl_id IS NULL
                                  AND g.b2b_onec_id = l.group_onec_id
     WHERE {line_filter}
), tree(root, id) AS (
    SELECT c.id, c.id FROM product_category c
     WHERE c.id IN (SELECT root FROM pl WHERE product_tmpl_id IS NULL)
    UNION ALL
    SELECT t.root, c.id FROM product_category c JOIN tree t ON c.parent_id = t.id
), done AS (
    {done}
), hits AS (
    SELECT pl.id AS line_id, d.qty, d.amount
      FROM pl JOIN done d ON d.dealer_id = pl.partner_id AND d.tmpl_id = pl.product_tmpl_id
       AND d.at >= pl.t0 AND d.at < pl.t1
    UNION ALL
    SELECT pl.id, d.qty, d.amount
      FROM done d JOIN tree t ON t.id = d.categ_id
      JOIN pl ON pl.partner_id = d.dealer_id AND pl.root = t.root AND pl.product_tmpl_id IS NULL
       AND d.at >= pl.t0 AND d.at < pl.t1
)
SELECT pl.id AS line_id, COALESCE(SUM(h.qty), 0) AS qty_done,
       COALESCE(SUM(h.amount), 0) AS amount_done
  FROM pl LEFT JOIN hits h ON h.line_id = pl.id
 GROUP BY pl.id
"""

# the plans asked for, with their periods computed by the caller (the supplier's time zone)
BOUNDS_GIVEN = ("SELECT * FROM unnest(%(plan_ids)s::int[], %(starts)s::timestamp[], "
                "%(ends)s::timestamp[]) AS b(plan_id, t0, t1)")

# the quantities of the order lines in their product's unit of measure, as the plan counts them
# (a line of 2 dozen is 24 units): Odoo's conversion, quantity / line unit's factor * product
# unit's factor
DONE_ORDERS = """
    SELECT rp.b2b_dealer_id AS dealer_id, so.date_order AS at, pp.product_tmpl_id AS tmpl_id,
           pt.categ_id, sol.product_uom_qty / lu.factor * pu.factor AS qty,
           sol.price_subtotal AS amount
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN res_partner rp ON rp.id = so.partner_id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      JOIN product_uom lu ON lu.id = sol.product_uom
      JOIN product_uom pu ON pu.id = pt.uom_id
     WHERE so.state IN ('sale', 'done') AND NOT COALESCE(so.b2b_is_bonus_order, FALSE)
       AND {dealer_filter}
"""

# 1C's shipments: the done deliveries of the dealer's orders (to the customer; returns from the
# customer counted back), valued at the order line's price
DONE_SHIPMENTS = """
    SELECT rp.b2b_dealer_id AS dealer_id, sm.date AS at, pp.product_tmpl_id AS tmpl_id,
           pt.categ_id,
           CASE WHEN dest.usage = 'customer' THEN 1 ELSE -1 END * sm.product_qty AS qty,
           CASE WHEN dest.usage = 'customer' THEN 1 ELSE -1 END * sm.product_qty
               * COALESCE(sol.price_reduce, 0) AS amount
      FROM stock_move sm
      JOIN sale_order_line sol ON sol.id = sm.sale_line_id
      JOIN sale_order so ON so.id = sol.order_id
      JOIN res_partner rp ON rp.id = so.partner_id
      JOIN stock_location dest ON dest.id = sm.location_dest_id
      JOIN stock_location src ON src.id = sm.location_id
      JOIN product_product pp ON pp.id = sm.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE sm.state = 'done' AND (dest.usage = 'customer') <> (src.usage = 'customer')
       AND NOT COALESCE(so.b2b_is_bonus_order, FALSE)
       AND {dealer_filter}
"""


class BonusPlan(models.Model):
    """A dealer's purchase plan for one month (товар месяца): the promoted goods or product groups
    with the planned quantity and/or amount. The supplier's 1C sends the plans; fulfilment is
    measured against the dealer's confirmed orders of the period (or 1C's shipments, a setting).
    A plan flagged as a commitment is a season's programme the dealer undertakes (it may span
    months up to ``date_to``); the dealer accepts it in the portal, once."""

    _name = "b2b.bonus.plan"
    # the dealer API: what a dealer's user may call through Odoo's RPC (b2b_base lib/rpc_policy.py)
    _b2b_dealer_rpc = ("b2b_accept", "b2b_fulfilment")
    _description = "Monthly Purchase Plan"
    _order = "month desc, partner_id"

    name = fields.Char(required=True)
    partner_id = fields.Many2one(
        "res.partner", "Dealer", required=True, index=True, ondelete="cascade",
        domain=[("b2b_is_dealer", "=", True)],
        help="The dealer (commercial partner) the plan is set for.")
    month = fields.Date(required=True, index=True, help="The month of the plan, kept as its first day.")
    date_to = fields.Date(
        "Period End", index=True,
        help="The last day of the plan's period (included); the month's last day unless set. A "
             "seasonal commitment may run over several months.")
    is_commitment = fields.Boolean(
        "Seasonal Commitment",
        help="A season's programme the dealer undertakes to buy, rewarded with bonuses; the "
             "dealer accepts it in the portal.")
    accepted_by = fields.Many2one("res.users", "Accepted by", readonly=True, copy=False,
                                  ondelete="restrict")
    accepted_on = fields.Datetime("Accepted on", readonly=True, copy=False)
    manager_id = fields.Many2one(related="partner_id.b2b_manager_id", store=True, readonly=True,
                                 string="Supplier Manager")
    line_ids = fields.One2many("b2b.bonus.plan.line", "plan_id", "Planned Goods")
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False,
                              help="The plan's identifier (Ид) in the supplier's 1C.")
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another plan already has this 1C id."),
    ]

    def init(self):
        # plans stored before the period end existed end with their month
        self._cr.execute("""UPDATE b2b_bonus_plan
                               SET date_to = (month + interval '1 month' - interval '1 day')::date
                             WHERE date_to IS NULL AND month IS NOT NULL""")

    @api.model
    def create(self, vals):
        if vals.get("month") and not vals.get("date_to"):
            vals = dict(vals, date_to=fields.Date.to_string(
                plans.month_end(fields.Date.from_string(vals["month"]))))
        return super(BonusPlan, self).create(vals)

    @api.multi
    def write(self, vals):
        if vals.get("month") and "date_to" not in vals:
            # a plan whose period was its month keeps ending with its (new) month
            for plan in self:
                if plan.date_to == fields.Date.to_string(
                        plans.month_end(fields.Date.from_string(plan.month))):
                    super(BonusPlan, plan).write(dict(vals, date_to=fields.Date.to_string(
                        plans.month_end(fields.Date.from_string(vals["month"])))))
                else:
                    super(BonusPlan, plan).write(vals)
            return True
        return super(BonusPlan, self).write(vals)

    @api.constrains("month", "date_to")
    def _check_period(self):
        for plan in self:
            if plan.month and plan.date_to and plan.date_to < plan.month:
                raise ValidationError(_('Plan "%s": the period ends before the month starts.')
                                      % plan.name)

    # ------------------------------------------------------------------ dealer API
    def _b2b_own_dealer(self):
        """The dealer the current user belongs to (a dealer's portal user), or an empty record."""
        user = self.env.user
        if not user.b2b_role:
            return self.env["res.partner"]
        return user.partner_id.sudo().b2b_dealer_id

    @api.model
    def b2b_accept(self, plan_id):
        """The current dealer's user accepts the seasonal commitment ``plan_id`` of their own dealer:
        records who accepted it and when, once. Returns {"id", "accepted_on", "accepted_by"}."""
        dealer = self._b2b_own_dealer()
        plan = self.sudo().browse(int(plan_id)).exists() if str(plan_id).isdigit() else None
        if not plan or not dealer or plan.partner_id != dealer:
            raise AccessError(_("This plan is not among your dealer's plans."))
        if not plan.is_commitment:
            raise UserError(_('Plan "%s" is not a seasonal commitment: there is nothing to accept.')
                            % plan.name)
        # lock the plan: two users of the dealer accepting at once record one acceptance
        self.env.cr.execute("SELECT accepted_on FROM b2b_bonus_plan WHERE id = %s FOR UPDATE",
                            (plan.id,))
        plan.invalidate_cache(["accepted_by", "accepted_on"])
        if plan.accepted_on:
            raise UserError(_('The commitment "%(plan)s" was already accepted by %(user)s on '
                              '%(date)s.') % {"plan": plan.name, "user": plan.accepted_by.name,
                                              "date": plan.accepted_on[:16]})
        plan.write({"accepted_by": self.env.uid, "accepted_on": fields.Datetime.now()})
        return {"id": plan.id, "accepted_on": plan.accepted_on, "accepted_by": self.env.user.name}

    @api.model
    def b2b_fulfilment(self, plan_ids=None):
        """The fulfilment of plans, as the portal shows it (see the README). ``plan_ids``: plans the
        user may read; None: the current user's dealer's plans of the current month and its
        commitments still running."""
        if plan_ids is None:
            dealer = self._b2b_own_dealer()
            if not dealer:
                return []
            today = business_date.today_string(self.env)
            month = today[:8] + "01"
            plan_recs = self.sudo().search([
                ("partner_id", "=", dealer.id), "|",
                "&", ("month", "=", month), ("is_commitment", "=", False),
                "&", "&", ("is_commitment", "=", True), ("month", "<=", today),
                ("date_to", ">=", today)])
        else:
            plan_recs = self.browse([int(i) for i in plan_ids])
            plan_recs.check_access_rights("read")
            plan_recs.check_access_rule("read")
            plan_recs = plan_recs.sudo()
        return plan_recs._b2b_fulfilment_rows()

    def _b2b_source(self):
        source = self.env["ir.config_parameter"].sudo().get_param(SOURCE_PARAM) or "orders"
        return source if source in dict(SOURCES) else "orders"

    def _b2b_done(self):
        """{line id: (qty done, amount done)} of every line of these plans: one query."""
        if not self:
            return {}
        tz = business_date.business_tz(self.env)
        starts, ends = [], []
        for plan in self:
            date_from = fields.Date.from_string(plan.month)
            date_to = fields.Date.from_string(plan.date_to) if plan.date_to else \
                plans.month_end(date_from)
            start, end = plans.period_bounds(date_from, date_to, tz)
            starts.append(start)
            ends.append(end)
        done = DONE_SHIPMENTS if self._b2b_source() == "shipments" else DONE_ORDERS
        at = "sm.date" if done is DONE_SHIPMENTS else "so.date_order"
        done = done.format(dealer_filter="rp.b2b_dealer_id = ANY(%(dealer_ids)s) AND {at} >= "
                                         "%(t_min)s AND {at} < %(t_max)s".format(at=at))
        query = DONE_SQL.format(bounds=BOUNDS_GIVEN, line_filter="l.plan_id = ANY(%(plan_ids)s)",
                                done=done)
        params = {"plan_ids": self.ids, "starts": starts, "ends": ends,
                  "dealer_ids": list(set(self.mapped("partner_id").ids)),
                  "t_min": min(starts), "t_max": max(ends)}
        self.env.cr.execute(query, params)
        return {row[0]: (row[1], row[2]) for row in self.env.cr.fetchall()}

    def _b2b_fulfilment_rows(self):
        done = self._b2b_done()
        today = business_date.today(self.env)
        result = []
        for plan in self:
            date_from = fields.Date.from_string(plan.month)
            date_to = fields.Date.from_string(plan.date_to) if plan.date_to else \
                plans.month_end(date_from)
            rows = []
            for line in plan.line_ids:
                qty_done, amount_done = done.get(line.id, (0.0, 0.0))
                product = line.product_tmpl_id.product_variant_id
                rows.append({
                    "id": line.id,
                    "target": line._b2b_target_name(),
                    "product_id": product.id or False,
                    "qty_planned": line.qty_planned, "qty_done": qty_done,
                    "amount_planned": line.amount_planned, "amount_done": amount_done,
                    "percent": plans.line_percent(line.qty_planned, qty_done,
                                                  line.amount_planned, amount_done),
                    "missing_qty": plans.missing_qty(
                        line.qty_planned, qty_done, line.amount_planned, amount_done,
                        product.lst_price if product else 0.0),
                })
            result.append({
                "id": plan.id, "name": plan.name, "month": plan.month,
                "date_to": fields.Date.to_string(date_to), "is_commitment": plan.is_commitment,
                "accepted_on": plan.accepted_on or False,
                "days_left": plans.days_left(date_from, date_to, today),
                "percent": plans.plan_percent([row["percent"] for row in rows]),
                "lines": rows,
            })
        return result

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
