"""The dealer's purchase statistics: ``/b2b/stats`` (purchases by month, by product group, by
contract and legal entity, the top goods, with charts), its xlsx file ``/b2b/stats/export.xlsx``
and the small chart of the last months on the dashboard.

A purchase is a line of the dealer's confirmed order: a sale order in state ``sale`` (confirmed)
or ``done`` (locked after confirmation) — not a draft or sent quotation, not a cancelled order —
placed under a contract the user acts for (``res.users.b2b_allowed_contract_ids``, the same set
b2b_base's record rules give the user's orders: a dealer administrator and a buyer all the
contracts of their dealer (a holding head's also those of its subsidiaries), an outlet user its one
contract). The month of an order is the month of its date in the supplier's time zone; its amount
is the lines' total with taxes, in the currency of its contract (contracts in different currencies
are shown apart, never added up).

Everything is added up in one query (GROUP BY GROUPING SETS: month, product group, contract,
legal entity, product, each per currency), bounded by the period and the allowed contracts; the
arithmetic and the shaping are lib/stats.py's, the charts lib/svg_chart.py's. Addons narrow what
counts (``_b2b_stats_order_filter``: b2b_portal_bonus leaves out the orders paid with points) and
add blocks (``_b2b_stats_plans``: the fulfilment of the monthly plans)."""
import werkzeug.exceptions
import werkzeug.urls

from odoo import _, http
from odoo.http import request

from odoo.addons.b2b_base.lib import numbers
from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_base.tools.rule_messages import render, translate

from ..lib import stats as rules
from ..lib import svg_chart
from .portal_base import B2bPortal

# the purchases of the contracts %(contract_ids)s from %(date_from)s to %(date_to)s (local dates,
# both included; the supplier's time zone %(tz)s), grouped by {sets} (with their {keys});
# {extra}: the addons' filters
PURCHASES_SQL = """
WITH lines AS (
    SELECT so.id AS order_id,
           date_trunc('month', (so.date_order AT TIME ZONE 'UTC') AT TIME ZONE %(tz)s)::date
               AS month,
           pt.categ_id, so.b2b_contract_id AS contract_id, c.partner_id AS entity_id,
           sol.product_id, c.currency_id, sol.price_total AS amount,
           sol.product_uom_qty / lu.factor * pu.factor AS qty
      FROM sale_order_line sol
      JOIN sale_order so ON so.id = sol.order_id
      JOIN b2b_contract c ON c.id = so.b2b_contract_id
      JOIN product_product pp ON pp.id = sol.product_id
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      JOIN product_uom lu ON lu.id = sol.product_uom
      JOIN product_uom pu ON pu.id = pt.uom_id
     WHERE so.state IN ('sale', 'done')
       AND so.b2b_contract_id = ANY(%(contract_ids)s)
       AND so.date_order >= (%(date_from)s::timestamp AT TIME ZONE %(tz)s) AT TIME ZONE 'UTC'
       AND so.date_order < ((%(date_to)s::date + 1)::timestamp AT TIME ZONE %(tz)s)
                           AT TIME ZONE 'UTC'
       {extra}
)
SELECT currency_id, {keys},
       SUM(amount) AS amount, SUM(qty) AS qty, COUNT(DISTINCT order_id) AS orders
  FROM lines
 GROUP BY GROUPING SETS ({sets})
"""
# each breakdown: its grouping set and its key column (never empty in a line: a row's one key
# that is not NULL tells its breakdown)
SETS = {
    "month": ("(currency_id, month)", "month"),
    "group": ("(currency_id, categ_id)", "categ_id"),
    "contract": ("(currency_id, contract_id)", "contract_id"),
    "entity": ("(currency_id, entity_id)", "entity_id"),
    "product": ("(currency_id, product_id)", "product_id"),
}


def _as_id(value):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return -1   # a forged value: no contract has it


class B2bStats(B2bPortal):

    # ------------------------------------------------------------------ what counts
    def _b2b_stats_order_filter(self):
        """Further SQL conditions on the orders (``so``) the statistics count, each ``AND ...``
        (addons that add kinds of orders that are no purchase leave them out here)."""
        return []

    def _b2b_stats_rows(self, contracts, period, kinds=rules.KINDS):
        """The purchases of ``contracts`` in ``period`` grouped by ``kinds``: lib.stats rows
        {kind, key, name, currency, amount, qty, orders, sku, uom}. One query; the names of what
        it found are read after it (in the user's language)."""
        if not contracts:
            return []
        env = request.env
        query = PURCHASES_SQL.format(
            sets=", ".join(SETS[kind][0] for kind in kinds),
            keys=", ".join(SETS[kind][1] for kind in kinds),
            extra=" ".join(self._b2b_stats_order_filter()))
        env.cr.execute(query, {
            "contract_ids": list(contracts.ids), "tz": business_date.business_tz(env).zone,
            "date_from": period.date_from.isoformat(), "date_to": period.date_to.isoformat()})
        columns = [description[0] for description in env.cr.description]
        rows, ids = [], {kind: set() for kind in rules.KINDS}
        for values in env.cr.fetchall():
            record = dict(zip(columns, values))
            kind, column = next((kind, SETS[kind][1]) for kind in kinds
                                if record[SETS[kind][1]] is not None)
            rows.append({"kind": kind, "key": record[column], "currency": record["currency_id"],
                         "amount": record["amount"], "qty": record["qty"],
                         "orders": record["orders"]})
            ids[kind].add(record[column])
        return self._b2b_stats_names(rows, ids)

    def _b2b_stats_names(self, rows, ids):
        """``rows`` with the names of their groups, contracts, entities, goods and currencies."""
        env = request.env
        Contract, Partner = env["b2b.contract"].sudo(), env["res.partner"].sudo()
        names = {
            "group": {c.id: c.name for c in env["product.category"].sudo().browse(ids["group"])},
            "contract": {c.id: c.display_name for c in Contract.browse(ids["contract"])},
            "entity": {p.id: p.name for p in Partner.browse(ids["entity"])},
        }
        products = {p.id: p for p in env["product.product"].sudo().browse(ids["product"])}
        currencies = {c.id: c.name for c in env["res.currency"].sudo().browse(
            list({row["currency"] for row in rows}))}
        for row in rows:
            row["currency"] = currencies.get(row["currency"], "")
            if row["kind"] == "product":
                product = products[row["key"]]
                row.update(name=product.name, sku=product.default_code or "",
                           uom=product.uom_id.name)
            elif row["kind"] in names:
                row["name"] = names[row["kind"]].get(row["key"], "")
        return rows

    # ------------------------------------------------------------------ blocks of addons
    def _b2b_stats_with_plans(self):
        """Whether the page has the block of the monthly plans (an addon that has plans: True)."""
        return False

    def _b2b_stats_plans(self, user, period):
        """The fulfilment of the dealer's monthly plans in ``period`` (lib.stats.plan_history's
        input: [{month, name, percent}])."""
        return []

    # ------------------------------------------------------------------ the request
    def _b2b_stats_contracts(self, user, contract_id):
        """The contracts the statistics cover: every contract the user acts for, or the one asked
        for (404 if it is not one of them)."""
        contracts = self._b2b_contracts(user)
        wanted = _as_id(contract_id)
        if not wanted:
            return contracts
        if wanted not in contracts.ids:
            raise werkzeug.exceptions.NotFound()
        return contracts.filtered(lambda contract: contract.id == wanted)

    def _b2b_stats_figures(self, user, contract_id, month_from, month_to):
        """(contracts, period, sections, plans, error) of a request of the page or the file."""
        contracts = self._b2b_stats_contracts(user, contract_id)
        period, problems = rules.parse_period(month_from, month_to,
                                              business_date.today(request.env))
        if problems:
            return contracts, None, [], None, render(request.env, problems)
        sections = rules.shape(self._b2b_stats_rows(contracts, period), period)
        plans = rules.plan_history(self._b2b_stats_plans(user, period)) \
            if self._b2b_stats_with_plans() else None
        return contracts, period, sections, plans, None

    def _b2b_chart_number(self):
        """A whole amount as a chart writes it, with the separators of the user's language."""
        separator, point = request.env["res.lang"]._b2b_number_format(request.env.lang or "en_US")
        return lambda value: numbers.format_number(value, 0, separator, point)

    def _b2b_stats_charts(self, sections, plans):
        """The SVG of every chart of the page: {currency: {months, groups, top}}, plans."""
        number = self._b2b_chart_number()
        empty = _("No purchases in this period.")
        charts = {}
        for section in sections:
            currency = section["currency"]
            charts[currency] = {
                "months": svg_chart.bar_chart(
                    rules.month_points(section), number, empty_text=empty,
                    title=_("Purchases by month, %s") % currency),
                "groups": svg_chart.hbar_chart(
                    rules.row_points(section["groups"]), number, empty_text=empty,
                    title=_("Purchases by product group, %s") % currency),
                "top": svg_chart.hbar_chart(
                    rules.row_points(section["top"]), number, empty_text=empty,
                    title=_("Top goods, %s") % currency),
            }
        plan_chart = svg_chart.bar_chart(
            [(month["short"], month["percent"]) for month in plans or []],
            lambda value: "%s%%" % numbers.format_plain(round(value)), empty_text=_("No plans."),
            title=_("Plan fulfilment by month")) if plans is not None else ""
        return charts, plan_chart

    @http.route("/b2b/stats", type="http", auth="user", methods=["GET"], website=False)
    def stats(self, contract_id=None, month_from=None, month_to=None, **kw):
        """The dealer's purchases in a period (the last 12 months by default), with charts."""
        user = self._b2b_ensure_dealer()
        contracts, period, sections, plans, error = self._b2b_stats_figures(
            user, contract_id, month_from, month_to)
        charts, plan_chart = self._b2b_stats_charts(sections, plans)
        export_url = None
        query = {}
        if period:
            query = {"month_from": rules.month_value(period.date_from),
                     "month_to": rules.month_value(period.date_to)}
            if _as_id(contract_id):
                query["contract_id"] = contracts.id
            export_url = "/b2b/stats/export.xlsx?" + werkzeug.urls.url_encode(query)
        return request.render("b2b_portal.stats_page", self._prepare_b2b_layout_values(
            page_name="b2b_stats",
            stats_sections=sections,
            stats_charts=charts,
            stats_plans=plans,
            stats_plan_chart=plan_chart,
            stats_period=period,
            stats_contract_filter=_as_id(contract_id) and contracts.id or 0,
            month_from=query.get("month_from", month_from or ""),
            month_to=query.get("month_to", month_to or ""),
            month_label=rules.month_label,
            export_url=export_url,
            error=error))

    @http.route("/b2b/stats/export.xlsx", type="http", auth="user", methods=["GET"],
                website=False)
    def stats_xlsx(self, contract_id=None, month_from=None, month_to=None, **kw):
        """The figures the page shows for the same filter, as an xlsx file."""
        user = self._b2b_ensure_dealer()
        _contracts, period, sections, plans, error = self._b2b_stats_figures(
            user, contract_id, month_from, month_to)
        if error:
            return self.stats(contract_id=contract_id, month_from=month_from, month_to=month_to)
        texts = {key: translate(request.env, text) for key, text in rules.XLSX_TEXTS.items()}
        data = rules.stats_workbook(sections, texts, period, plans=plans)
        name = "purchases-%s-%s.xlsx" % (rules.month_value(period.date_from),
                                         rules.month_value(period.date_to))
        return self._b2b_file_response(data, name)

    # ------------------------------------------------------------------ the dashboard
    def _prepare_b2b_layout_values(self, **values):
        result = super(B2bStats, self)._prepare_b2b_layout_values(**values)
        user = result.get("b2b_user")
        if user and result["page_name"] == "b2b_home" and "b2b_stats_chart" not in values:
            result.update(self._b2b_stats_dashboard(user, result.get("b2b_contract")))
        return result

    def _b2b_stats_dashboard(self, user, contract):
        """The dashboard's chart: the purchases of the last months (one query, by month), in the
        currency of the current contract (or the largest)."""
        period = rules.default_period(business_date.today(request.env), rules.DASHBOARD_MONTHS)
        sections = rules.shape(self._b2b_stats_rows(self._b2b_contracts(user), period,
                                                    kinds=("month",)), period)
        wanted = contract.currency_id.name if contract else None
        section = next((s for s in sections if s["currency"] == wanted), sections[:1] and
                       sections[0])
        chart = svg_chart.bar_chart(
            rules.month_points(section) if section else [], self._b2b_chart_number(),
            empty_text=_("No purchases in the last months."), width=360, height=200,
            title=_("Purchases of the last months"),
            css_class="o_b2b_chart o_b2b_chart_bars o_b2b_dashboard_chart")
        return {"b2b_stats_chart": chart, "b2b_stats_section": section or None}
