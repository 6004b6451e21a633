from odoo import api, fields, models

from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_bonus.lib import plans
from odoo.addons.b2b_portal.lib import notifications as feed


class BonusPlan(models.Model):
    """A dealer whose plan of the month ("product of the month") is not fulfilled a few days
    before the month ends is reminded once in its notification feed (kind "plan"; no e-mail
    unless a user asks for it), by a daily cron."""
    _inherit = "b2b.bonus.plan"

    b2b_reminded_on = fields.Date("Dealer Reminded on", readonly=True, copy=False,
                                  help="When the dealer's users were reminded that the plan is "
                                       "not fulfilled yet (once per plan).")

    @api.model
    def b2b_cron_remind_plans(self, today=None):
        """Daily: remind the dealers whose plan of this month is not fulfilled with at most
        ``feed.REMIND_DAYS`` days left; each plan once. ``today``: the supplier's date (a
        date; today by default)."""
        today = today or business_date.today(self.env)
        month = fields.Date.to_string(today.replace(day=1))
        todo = self.sudo().search([("month", "=", month), ("is_commitment", "=", False),
                                   ("b2b_reminded_on", "=", False)])
        if not todo:
            return True
        rows = {row["id"]: row for row in todo._b2b_fulfilment_rows()}
        Notification = self.env["b2b.notification"]
        for plan in todo:
            date_from = fields.Date.from_string(plan.month)
            date_to = fields.Date.from_string(plan.date_to) if plan.date_to else \
                plans.month_end(date_from)
            days = plans.days_left(date_from, date_to, today)
            percent = rows[plan.id]["percent"]
            if not feed.plan_reminder_due(percent, days, False):
                continue
            users = self.env["res.users"].sudo().search([
                ("partner_id.b2b_dealer_id", "=", plan.partner_id.id),
                ("b2b_role", "in", ("admin", "buyer"))])
            params = {"plan": plan.name, "percent": "%g" % round(percent), "days": days}
            Notification._b2b_notify(users, "plan", (feed.PLAN_REMINDER, params),
                                     (feed.PLAN_REMINDER_BODY, params), url="/b2b/plans",
                                     record=plan)
            plan.write({"b2b_reminded_on": fields.Date.to_string(today)})
        return True
