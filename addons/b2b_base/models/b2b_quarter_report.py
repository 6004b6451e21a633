from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..lib import acts
from ..tools.rule_messages import translate

QUARTERS = [("1", "Q1"), ("2", "Q2"), ("3", "Q3"), ("4", "Q4")]

# what 1C sends for a report (besides ``lines``)
_REPORT_FIELDS = ("b2b_onec_id", "contract_id", "year", "quarter", "date", "commitment_amount",
                  "actual_amount", "installment_days", "note")
_LINE_FIELDS = ("group", "plan", "actual")


class B2bQuarterReport(models.Model):
    """1C's quarterly report for a special-conditions contract (installment granted for a quarterly
    assortment commitment): what the dealer committed to buy in the quarter, what it bought, per
    assortment group, and the installment it keeps."""
    _name = "b2b.quarter.report"
    _description = "Quarterly Commitment Report"
    _order = "year desc, quarter desc, contract_id"

    name = fields.Char(compute="_compute_name", store=True)
    contract_id = fields.Many2one("b2b.contract", required=True, index=True,
                                  ondelete="cascade")
    dealer_id = fields.Many2one("res.partner", "Dealer", related="contract_id.dealer_id",
                                store=True, readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", "Legal Entity", related="contract_id.partner_id",
                                 store=True, readonly=True)
    currency_id = fields.Many2one("res.currency", related="contract_id.currency_id", store=True,
                                  readonly=True)
    year = fields.Integer(required=True, index=True)
    quarter = fields.Selection(QUARTERS, required=True, index=True)
    date = fields.Date("Report Date", help="The date 1C made the report on.")
    commitment_amount = fields.Monetary("Commitment", currency_field="currency_id",
                                        help="The purchase amount the dealer committed to for the "
                                             "quarter.")
    actual_amount = fields.Monetary("Purchased", currency_field="currency_id",
                                    help="What the dealer actually bought in the quarter.")
    fulfilment_percent = fields.Float("Fulfilment (%)", compute="_compute_fulfilment", store=True,
                                      digits=(16, 2))
    installment_days = fields.Integer("Installment (days)",
                                      help="The payment installment the dealer is granted for the "
                                           "commitment.")
    note = fields.Text()
    line_ids = fields.One2many("b2b.quarter.report.line", "report_id", "Assortment Groups")
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False)

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another quarterly report already has this 1C id."),
        ("contract_quarter_unique", "unique(contract_id, year, quarter)",
         "A contract has one quarterly report per quarter."),
        ("amounts_positive", "CHECK(commitment_amount >= 0 AND actual_amount >= 0 "
                             "AND installment_days >= 0)",
         "Amounts and installment days of a quarterly report cannot be negative."),
    ]

    @api.depends("year", "quarter", "contract_id.name")
    def _compute_name(self):
        for report in self:
            report.name = _("Q%(quarter)s %(year)s, contract No. %(contract)s") % {
                "quarter": report.quarter or "?", "year": report.year or "",
                "contract": report.contract_id.name or ""}

    @api.depends("commitment_amount", "actual_amount")
    def _compute_fulfilment(self):
        for report in self:
            report.fulfilment_percent = float(acts.fulfilment(report.commitment_amount,
                                                              report.actual_amount))

    @api.constrains("contract_id")
    def _check_special_conditions(self):
        for report in self:
            if not report.contract_id.special_conditions:
                raise ValidationError(_(
                    "Quarterly report %(report)s: contract %(contract)s has no special conditions; "
                    "quarterly commitment reports are kept for special-conditions contracts only.")
                    % {"report": report.b2b_onec_id or report.name,
                       "contract": report.contract_id.name})

    # ------------------------------------------------------------------ 1C intake
    @api.model
    @api.returns("self", lambda value: value.id)
    def b2b_upsert_quarter_report(self, vals):
        """A quarterly report from 1C: ``vals`` with b2b_onec_id, contract_id, year, quarter (1-4),
        date, commitment_amount, actual_amount, installment_days, note and ``lines``, a list of
        {group, plan, actual}. The same 1C id updates the same report and replaces all its lines;
        an identical report changes nothing. Returns the report."""
        vals = dict(vals)
        lines = [dict(line) for line in (vals.pop("lines", None) or [])]
        label = vals.get("b2b_onec_id") or "?"
        unknown = set(vals) - set(_REPORT_FIELDS)
        for line in lines:
            unknown |= set(line) - set(_LINE_FIELDS)
        if unknown:
            raise UserError(_("Quarterly report %(report)s from 1C: unknown fields %(fields)s.")
                            % {"report": label, "fields": ", ".join(sorted(unknown))})
        problems = acts.check_quarter_report(vals, lines)
        if problems:
            raise UserError(_("Quarterly report %(report)s from 1C cannot be stored:\n"
                              "%(problems)s") % {
                "report": label, "problems": "\n".join(self._b2b_problem_text(code, params)
                                                       for code, params in problems)})
        contract = self.env["b2b.contract"].browse(vals.get("contract_id") or 0).exists()
        if not contract:
            raise UserError(_("Quarterly report %s from 1C: its contract is unknown.") % label)
        vals["b2b_onec_id"] = vals["b2b_onec_id"].strip()
        vals["quarter"] = str(vals["quarter"])
        vals["year"] = int(vals["year"])
        report = self.search([("b2b_onec_id", "=", vals["b2b_onec_id"])], limit=1)
        twin = self.search([("contract_id", "=", contract.id), ("year", "=", vals["year"]),
                            ("quarter", "=", vals["quarter"]), ("id", "!=", report.id or 0)],
                           limit=1)
        if twin:
            raise UserError(_("Quarterly report %(report)s from 1C: contract %(contract)s already "
                              "has the report %(twin)s for Q%(quarter)s %(year)s.")
                            % {"report": label, "contract": contract.name,
                               "twin": twin.b2b_onec_id or twin.id, "quarter": vals["quarter"],
                               "year": vals["year"]})
        new_lines = [{"group": line["group"].strip(), "plan": float(line.get("plan") or 0),
                      "actual": float(line.get("actual") or 0)} for line in lines]
        if not report:
            vals["line_ids"] = self._b2b_line_commands(new_lines)
            return self.create(vals)
        changes = {}
        for name, value in vals.items():
            current = report[name]
            if self._fields[name].type == "many2one":
                current = current.id
            if self._fields[name].type in ("float", "monetary"):
                changed = round(current or 0.0, 2) != round(float(value or 0.0), 2)
            else:
                changed = (current or False) != (value or False)
            if changed:
                changes[name] = value
        old_lines = [{"group": line.group, "plan": round(line.plan, 2),
                      "actual": round(line.actual, 2)} for line in report.line_ids]
        if old_lines != [dict(line, plan=round(line["plan"], 2), actual=round(line["actual"], 2))
                         for line in new_lines]:
            changes["line_ids"] = [(5, 0, 0)] + self._b2b_line_commands(new_lines)
        if changes:
            report.write(changes)
        return report

    @api.model
    def _b2b_line_commands(self, lines):
        return [(0, 0, dict(line, sequence=number)) for number, line in enumerate(lines, start=1)]

    @api.model
    def _b2b_problem_text(self, code, params):
        params = dict(params)
        if "field" in params:
            model = self if code == "negative" else self.env["b2b.quarter.report.line"]
            field = model._fields.get(params["field"])
            if field:
                params["field"] = field.get_description(self.env)["string"]
        return translate(self.env, acts.QUARTER_PROBLEMS[code]) % params
