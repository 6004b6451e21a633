import datetime

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class B2bOverdueSummary(models.Model):
    """1C's own overdue-debt summary of a contract as of a date. When 1C sends one, it is what the
    portal shows and what the shipment block uses; accountants see the difference from the
    computed aging."""
    _name = "b2b.overdue.summary"
    _description = "Overdue Debt Summary from 1C"
    _order = "date desc, id desc"

    contract_id = fields.Many2one("b2b.contract", required=True, index=True,
                                  ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Legal Entity", related="contract_id.partner_id",
                                 store=True, readonly=True, index=True)
    dealer_id = fields.Many2one("res.partner", "Dealer", related="contract_id.dealer_id",
                                store=True, readonly=True, index=True)
    date = fields.Date("As of", required=True, index=True)
    currency_id = fields.Many2one("res.currency", related="contract_id.currency_id", store=True,
                                  readonly=True)
    balance = fields.Monetary(currency_field="currency_id", help="Total debt.")
    not_due = fields.Monetary("Not Yet Due", currency_field="currency_id")
    overdue_1 = fields.Monetary("Overdue, 1st bucket", currency_field="currency_id")
    overdue_2 = fields.Monetary("Overdue, 2nd bucket", currency_field="currency_id")
    overdue_3 = fields.Monetary("Overdue, 3rd bucket", currency_field="currency_id")
    overdue_4 = fields.Monetary("Overdue, last bucket", currency_field="currency_id",
                                help="Debt overdue longer than the blocking limit (45 days).")
    overdue_days = fields.Integer("Oldest Overdue (days)")
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False)

    # what the suite computes from the ledger for the same contract and date (accountants)
    overdue_total = fields.Monetary("Overdue", currency_field="currency_id",
                                    compute="_compute_overdue_total")
    computed_balance = fields.Monetary("Computed Debt", currency_field="currency_id",
                                       compute="_compute_difference",
                                       groups="b2b_base.group_b2b_accountant")
    computed_overdue = fields.Monetary(currency_field="currency_id",
                                       compute="_compute_difference",
                                       groups="b2b_base.group_b2b_accountant")
    computed_overdue_days = fields.Integer("Computed Oldest Overdue (days)",
                                           compute="_compute_difference",
                                           groups="b2b_base.group_b2b_accountant")
    difference_balance = fields.Monetary(
        "Debt Difference", currency_field="currency_id", compute="_compute_difference",
        groups="b2b_base.group_b2b_accountant",
        help="1C's total debt minus the one computed from the ledger as of the same date.")
    difference_overdue = fields.Monetary(
        "Overdue Difference", currency_field="currency_id", compute="_compute_difference",
        groups="b2b_base.group_b2b_accountant",
        help="1C's overdue debt minus the one computed from the ledger as of the same date.")

    _sql_constraints = [
        ("contract_date_unique", "unique(contract_id, date)",
         "1C's overdue summary of a contract is kept once per date."),
    ]

    _B2B_AMOUNTS = ("balance", "not_due", "overdue_1", "overdue_2", "overdue_3", "overdue_4")

    @api.depends(*_B2B_AMOUNTS)
    def _compute_overdue_total(self):
        for summary in self:
            summary.overdue_total = (summary.overdue_1 + summary.overdue_2 + summary.overdue_3
                                     + summary.overdue_4)

    def _compute_difference(self):
        Ledger = self.env["b2b.settlement.line"]
        edges = Ledger._b2b_aging_edges()
        by_date = {}
        for summary in self:
            by_date.setdefault(summary.date, self.browse())
            by_date[summary.date] |= summary
        for date, summaries in by_date.items():
            agings = Ledger._b2b_agings(summaries.mapped("contract_id").ids,
                                        fields.Date.from_string(date), edges)
            for summary in summaries:
                computed = agings[summary.contract_id.id][2]
                summary.computed_balance = computed.balance / 100.0
                summary.computed_overdue = computed.overdue / 100.0
                summary.computed_overdue_days = computed.oldest_days
                summary.difference_balance = summary.balance - computed.balance / 100.0
                summary.difference_overdue = summary.overdue_total - computed.overdue / 100.0

    # ------------------------------------------------------------------ changes recompute debts
    @api.model
    def create(self, vals):
        summary = super(B2bOverdueSummary, self).create(vals)
        if not self.env.context.get("b2b_summary_batch"):
            summary._b2b_recompute()
        return summary

    @api.multi
    def write(self, vals):
        contracts = self.mapped("contract_id")
        res = super(B2bOverdueSummary, self).write(vals)
        if not self.env.context.get("b2b_summary_batch"):
            self.env["b2b.settlement.line"]._b2b_recompute_debt(
                contracts=contracts | self.mapped("contract_id"))
        return res

    @api.multi
    def unlink(self):
        contracts = self.mapped("contract_id")
        res = super(B2bOverdueSummary, self).unlink()
        self.env["b2b.settlement.line"]._b2b_recompute_debt(contracts=contracts)
        return res

    def _b2b_recompute(self):
        self.env["b2b.settlement.line"]._b2b_recompute_debt(contracts=self.mapped("contract_id"))

    @api.model
    def b2b_upsert_summary(self, vals_list):
        """1C's overdue summaries: ``vals_list`` [{contract_id, date, balance, not_due,
        overdue_1..overdue_4, overdue_days, b2b_onec_id}]. A summary is matched by its 1C id, else by
        contract and date; identical data is left alone. Every entry is checked first: on any
        problem nothing is written and the message names each entry at fault. The debt state of
        the contracts concerned is recomputed in the same transaction.
        Returns {'created': [ids], 'updated': [ids], 'unchanged': [ids]}."""
        self.check_access_rights("create")
        self.check_access_rights("write")
        Contract = self.env["b2b.contract"].sudo().with_context(active_test=False)
        problems, prepared = [], []
        for number, vals in enumerate(vals_list, start=1):
            where = _("Overdue summary %(number)s (1C id %(onec_id)s)") % {
                "number": number, "onec_id": vals.get("b2b_onec_id") or "-"}
            allowed = ("contract_id", "date", "b2b_onec_id", "overdue_days") + self._B2B_AMOUNTS
            clean = {key: vals[key] for key in vals if key in allowed}
            unknown = sorted(set(vals) - set(clean))
            if unknown:
                problems.append(_("%(where)s: unknown fields %(fields)s.")
                                % {"where": where, "fields": ", ".join(unknown)})
            contract = Contract.browse(vals.get("contract_id") or []).exists()
            if not contract:
                problems.append(_("%s: the contract is missing or unknown.") % where)
            try:
                date = vals.get("date")
                if not date:
                    raise ValueError(date)
                date = fields.Date.from_string(date) if isinstance(date, str) else date
                if not isinstance(date, datetime.date):
                    raise ValueError(date)
                clean["date"] = fields.Date.to_string(date)
            except (ValueError, TypeError):
                problems.append(_("%(where)s: «%(value)s» is not a date (expected YYYY-MM-DD).")
                                % {"where": where, "value": vals.get("date") or ""})
            for name in self._B2B_AMOUNTS + ("overdue_days",):
                try:
                    clean[name] = float(vals.get(name) or 0.0)
                except (ValueError, TypeError):
                    problems.append(_("%(where)s: %(field)s «%(value)s» is not a number.")
                                    % {"where": where, "field": name, "value": vals.get(name)})
                    continue
                if name != "balance" and clean[name] < 0:
                    problems.append(_("%(where)s: %(field)s cannot be negative (%(value)s).")
                                    % {"where": where, "field": name, "value": clean[name]})
            if "overdue_days" in clean:
                clean["overdue_days"] = int(clean["overdue_days"])
            prepared.append(clean)
        if problems:
            raise ValidationError("\n".join(problems))
        batch = self.with_context(b2b_summary_batch=True)
        result = {"created": [], "updated": [], "unchanged": []}
        touched = self.env["b2b.contract"]
        for clean in prepared:
            summary = self.browse()
            if clean.get("b2b_onec_id"):
                summary = batch.search([("b2b_onec_id", "=", clean["b2b_onec_id"])], limit=1)
            if not summary:
                summary = batch.search([("contract_id", "=", clean["contract_id"]),
                                        ("date", "=", clean["date"])], limit=1)
            if not summary:
                summary = batch.create(clean)
                result["created"].append(summary.id)
            elif summary._b2b_same(clean):
                result["unchanged"].append(summary.id)
                continue
            else:
                touched |= summary.contract_id
                summary.write(clean)
                result["updated"].append(summary.id)
            touched |= summary.contract_id
        if touched:
            self.env["b2b.settlement.line"]._b2b_recompute_debt(contracts=touched)
        return result

    def _b2b_same(self, clean):
        for name, value in clean.items():
            stored = self[name]
            if self._fields[name].type == "many2one":
                stored = stored.id
            if isinstance(value, float):
                if round(stored or 0.0, 2) != round(value, 2):
                    return False
            elif (stored or False) != (value or False):
                return False
        return True
