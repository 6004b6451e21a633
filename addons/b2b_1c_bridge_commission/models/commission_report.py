from odoo import SUPERUSER_ID, api, fields, models

from odoo.addons.b2b_commission.models.commission_report import CommissionReport as BaseReport

# what 1C says of a report, kept by this addon; not the report's content, so written in any state
ONEC_FIELDS = ("b2b_onec_id", "b2b_onec_decision")
# set (with the superuser's environment) by the exchange when it applies 1C's decision: the user
# the decision is stamped with (the exchange's user)
DECIDED_BY_CONTEXT = "b2b_onec_decided_by"


class CommissionReport(models.Model):
    """A submitted report goes to 1C as a request (the bridge's web service or exchange); 1C's
    document id of it and the last decision of 1C applied to it are kept here."""

    _inherit = "b2b.commission.report"

    b2b_onec_id = fields.Char(
        "1C Document", readonly=True, copy=False, index=True,
        help="The document 1C made of the report, as 1C's web service or 1C's decision named it.")
    b2b_onec_decision = fields.Char(
        "1C Decision", readonly=True, copy=False,
        help="1C's last decision applied to the report (status, date and reason), so that the "
             "same decision sent again changes nothing.")

    def _b2b_onec_ref(self):
        """The report's id as the portal sends it to 1C."""
        self.ensure_one()
        return "%s/%d" % (self._name, self.id)

    @api.multi
    def write(self, vals):
        vals = dict(vals)
        own = {name: vals.pop(name) for name in ONEC_FIELDS if name in vals}
        before = {report.id: report.state for report in self} if "state" in vals else {}
        result = super(CommissionReport, self).write(vals) if vals or not own else True
        if own:
            # 1C's ids are not the goods reported: they do not need a draft
            super(BaseReport, self).write(own)
        for report in self:
            if before.get(report.id) not in (None, "submitted") and report.state == "submitted":
                report._b2b_onec_submit()
        return result

    def _transition_values(self, vals):
        vals = super(CommissionReport, self)._transition_values(vals)
        decided_by = self.env.context.get(DECIDED_BY_CONTEXT)
        if (self.env.uid == SUPERUSER_ID and isinstance(decided_by, int)
                and vals.get("decision_user_id")):
            vals = dict(vals, decision_user_id=decided_by)
        return vals

    # ------------------------------------------------------------------ to 1C
    def _b2b_onec_payload(self):
        """The request to 1C (kind ``commission_report``, see the bridge's lib/soap.py)."""
        self.ensure_one()
        report = self.sudo()
        lines = report.line_ids.sorted(lambda l: (l.sequence, l.id))
        return {
            "report_id": report._b2b_onec_ref(),
            "counterparty_id": report.partner_id.b2b_onec_id or "",
            "contract_id": report.contract_id.b2b_onec_id or "",
            "period": fields.Date.to_string(fields.Date.from_string(report.period))[:7],
            "lines": [{"product_id": line.product_id.product_tmpl_id.b2b_onec_id or "",
                       "qty": line.qty_sold, "price": line.price_unit, "amount": line.amount,
                       "commission": line.commission_amount} for line in lines],
        }

    def _b2b_onec_submit(self):
        """Send the submitted report to 1C: a request the web service takes, or 1C collects."""
        self.ensure_one()
        return self.env["b2b.onec.request"].sudo().b2b_enqueue(
            "commission_report", self._b2b_onec_payload(), self)
