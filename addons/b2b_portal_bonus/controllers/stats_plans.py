"""The bonus side of the dealer's statistics (b2b_portal's ``/b2b/stats``): the history of the
fulfilment of the dealer's monthly plans ("product of the month") in the page's period, as a chart,
a table and a sheet of its xlsx file; and orders paid with bonus points are no purchase there.

The plans are those the user reads (b2b_bonus's record rules: the plans of the dealers the user
acts for); their fulfilment is b2b_bonus's own (``b2b.bonus.plan.b2b_fulfilment``: one query for
every plan of the period). Seasonal commitments, which span months, stay on ``/b2b/plans``."""
from odoo import fields
from odoo.http import request

from odoo.addons.b2b_portal.controllers.stats import B2bStats


class B2bStatsPlans(B2bStats):

    def _b2b_stats_order_filter(self):
        return super(B2bStatsPlans, self)._b2b_stats_order_filter() + [
            "AND NOT COALESCE(so.b2b_is_bonus_order, FALSE)"]

    def _b2b_stats_with_plans(self):
        return True

    def _b2b_stats_plans(self, user, period):
        Plan = request.env["b2b.bonus.plan"]
        found = Plan.search([
            ("is_commitment", "=", False),
            ("month", ">=", fields.Date.to_string(period.date_from)),
            ("month", "<=", fields.Date.to_string(period.date_to))], order="month, name")
        if not found:
            return []
        return [{"month": row["month"], "name": row["name"], "percent": row["percent"]}
                for row in Plan.b2b_fulfilment(found.ids)]
