from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import commission
from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_base.tools.rule_messages import render

STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
# (from, to) -> who may make the move: "editor" anyone who may write the report, "accountant"
TRANSITIONS = {
    ("draft", "submitted"): "editor",
    ("submitted", "approved"): "accountant",
    ("submitted", "rejected"): "accountant",
    ("rejected", "draft"): "editor",
}
# written by the report itself when its state moves, never directly
STAMP_FIELDS = {"submit_date", "decision_user_id", "decision_date"}


class CommissionReport(models.Model):
    _name = "b2b.commission.report"
    _description = "Commission Agent Report"
    _order = "period desc, partner_id"

    name = fields.Char("Report", compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", "Commission Agent", required=True, index=True, ondelete="restrict",
        domain=[("b2b_commission_agent", "=", True)],
        help="The dealer that holds the supplier's goods on consignment.")
    period = fields.Date(
        "Month", required=True, index=True, default=lambda self: commission.month_start(
            business_date.today(self.env)).strftime("%Y-%m-%d"),
        help="The month reported on, kept as its first day.")
    state = fields.Selection(STATES, "Status", default="draft", required=True, readonly=True,
                             copy=False, index=True)
    line_ids = fields.One2many("b2b.commission.report.line", "report_id", "Goods Sold", copy=True)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one("res.currency", related="company_id.currency_id", readonly=True)
    amount_total = fields.Monetary("Total", compute="_compute_amount_total", store=True)
    reject_reason = fields.Text("Reason for Rejection", readonly=True, copy=False)
    submit_date = fields.Datetime("Submitted On", readonly=True, copy=False)
    decision_user_id = fields.Many2one("res.users", "Decided By", readonly=True, copy=False)
    decision_date = fields.Datetime("Decided On", readonly=True, copy=False)

    _sql_constraints = [
        ("agent_month_unique", "unique(partner_id, period)",
         "The commission agent already has a report for this month."),
    ]

    @api.depends("partner_id.name", "period")
    def _compute_name(self):
        for report in self:
            month = commission.as_date(report.period).strftime("%m.%Y") if report.period else ""
            report.name = "%s %s" % (report.partner_id.name or "", month)

    @api.depends("line_ids.amount")
    def _compute_amount_total(self):
        for report in self:
            report.amount_total = commission.report_total(report._lib_lines())

    def _lib_lines(self):
        """The report's lines for the rules in lib/, in the order the agent sees them. Read as
        superuser: a dealer's portal user may not read the product catalogue itself."""
        lines = self.sudo().line_ids.sorted(lambda l: (l.sequence, l.id or 0))
        return [line._lib_line() for line in lines]

    # ------------------------------------------------------------------ constraints
    @api.constrains("partner_id", "period")
    def _check_agent_and_month(self):
        for report in self:
            if not report.partner_id.b2b_commission_agent:
                raise ValidationError(_('"%s" is not a commission agent.')
                                      % report.partner_id.display_name)
            period = commission.as_date(report.period)
            problem = commission.period_problem(
                period, business_date.today(self.env))
            if problem:
                raise ValidationError(render(self.env, [problem]))

    def _check_one_per_month(self, partner_id, period):
        """Checked before the row is written, so that the agent reads this message rather than the
        database's unique constraint (which still guards reports the user cannot see)."""
        same = self.search([("partner_id", "=", partner_id), ("period", "=", period),
                            ("id", "not in", self.ids)], limit=1)
        if same:
            raise ValidationError(
                _('The commission agent "%(agent)s" already has a report for %(month)s.')
                % {"agent": same.partner_id.display_name,
                   "month": commission.as_date(period).strftime("%m.%Y")})

    # ------------------------------------------------------------------ CRUD
    @api.model
    def _normalize(self, vals):
        if vals.get("period"):
            vals["period"] = commission.month_start(commission.as_date(vals["period"])).strftime("%Y-%m-%d")
        return vals

    @api.model
    def create(self, vals):
        vals = self._normalize(dict(vals))
        if vals.get("state", "draft") != "draft":
            raise UserError(_("A new commission report starts as a draft."))
        self._check_no_stamps(vals)
        if vals.get("partner_id") and vals.get("period"):
            self._check_one_per_month(vals["partner_id"], vals["period"])
        return super(CommissionReport, self).create(vals)

    @api.multi
    def write(self, vals):
        vals = self._normalize(dict(vals))
        self._check_no_stamps(vals)
        content = set(vals) - {"state", "reject_reason"}
        if content:
            self._check_draft()
        if "partner_id" in vals or "period" in vals:
            for report in self:
                report._check_one_per_month(vals.get("partner_id", report.partner_id.id),
                                            vals.get("period", report.period))
        if "reject_reason" in vals and vals.get("state") != "rejected":
            raise UserError(_("A reason for rejection is given when a report is rejected."))
        if "state" not in vals:
            return super(CommissionReport, self).write(vals)
        for report in self:
            super(CommissionReport, report).write(report._transition_values(vals))
        return True

    @api.multi
    def unlink(self):
        self._check_draft()
        return super(CommissionReport, self).unlink()

    def _check_no_stamps(self, vals):
        if STAMP_FIELDS & set(vals):
            raise UserError(_("Submission and decision dates are set by the report itself."))

    def _check_draft(self):
        for report in self:
            if report.state != "draft":
                raise UserError(_('Report "%(report)s" is %(state)s: only draft reports can be '
                                  'changed.')
                                % {"report": report.name, "state": report._state_label()})

    def _state_label(self):
        return dict(self.fields_get(["state"])["state"]["selection"])[self.state]

    def _transition_values(self, vals):
        """``vals`` completed with the stamps of the state move, after checking the move is allowed."""
        self.ensure_one()
        new = vals["state"]
        if new == self.state:
            return vals
        who = TRANSITIONS.get((self.state, new))
        labels = dict(self.fields_get(["state"])["state"]["selection"])
        if not who:
            raise UserError(_('Report "%(report)s" cannot go from %(old)s to %(new)s.')
                            % {"report": self.name, "old": labels[self.state],
                               "new": labels.get(new, new)})
        if who == "accountant" and not self.env.user.has_group("b2b_base.group_b2b_accountant"):
            raise AccessError(_('Only accountants approve or reject commission reports ("%s").')
                              % self.name)
        vals = dict(vals)
        now = fields.Datetime.now()
        if new == "submitted":
            problems = commission.submission_problems(self._lib_lines())
            if problems:
                raise UserError(_('Report "%s" cannot be submitted:') % self.name + "\n"
                                + render(self.env, problems))
            vals["submit_date"] = now
        elif new == "rejected":
            if not (vals.get("reject_reason") or "").strip():
                raise UserError(_('Say why report "%s" is rejected: the agent needs the reason to '
                                  'correct it.') % self.name)
            vals.update(decision_user_id=self.env.uid, decision_date=now)
        elif new == "approved":
            vals.update(decision_user_id=self.env.uid, decision_date=now, reject_reason=False)
        elif new == "draft":
            vals.update(submit_date=False, decision_user_id=False, decision_date=False)
        return vals

    # ------------------------------------------------------------------ buttons
    @api.multi
    def action_submit(self):
        return self.write({"state": "submitted"})

    @api.multi
    def action_approve(self):
        return self.write({"state": "approved"})

    @api.multi
    def action_reject(self, reason):
        return self.write({"state": "rejected", "reject_reason": reason})

    @api.multi
    def action_reset_to_draft(self):
        return self.write({"state": "draft"})

    @api.multi
    def action_open_reject_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject Report"),
            "res_model": "b2b.commission.report.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_report_id": self.id},
        }
