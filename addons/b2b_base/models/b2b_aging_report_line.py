from odoo import _, api, fields, models


class B2bAgingReportLine(models.TransientModel):
    """One contract's debt in the aging report (b2b.aging.report)."""
    _name = "b2b.aging.report.line"
    _description = "Debt Aging Report Line"
    _order = "dealer_id, contract_id"

    report_id = fields.Many2one("b2b.aging.report", required=True, ondelete="cascade", index=True)
    dealer_id = fields.Many2one("res.partner", readonly=True)
    partner_id = fields.Many2one("res.partner", "Legal Entity", readonly=True)
    contract_id = fields.Many2one("b2b.contract", readonly=True)
    manager_id = fields.Many2one("res.users", "Supplier Manager", readonly=True)
    balance = fields.Float("Debt", digits=(16, 2), readonly=True)
    not_due = fields.Float("Not Yet Due", digits=(16, 2), readonly=True)
    overdue_1 = fields.Float("Overdue 1–6", digits=(16, 2), readonly=True)
    overdue_2 = fields.Float("Overdue 7–15", digits=(16, 2), readonly=True)
    overdue_3 = fields.Float("Overdue 16–45", digits=(16, 2), readonly=True)
    overdue_4 = fields.Float("Overdue > 45", digits=(16, 2), readonly=True)
    overdue = fields.Float(digits=(16, 2), readonly=True)
    oldest_days = fields.Integer("Oldest Overdue (days)", readonly=True, group_operator="max")
    blocked = fields.Boolean("Shipments Blocked", readonly=True)
    source = fields.Selection([("computed", "Computed"), ("1c", "1C summary")], "Figures From",
                              readonly=True)
    summary_date = fields.Date("1C Summary of", readonly=True)
    computed_balance = fields.Float("Computed Debt", digits=(16, 2), readonly=True)
    computed_overdue = fields.Float(digits=(16, 2), readonly=True)
    difference_balance = fields.Float("Debt Difference (1C − computed)", digits=(16, 2),
                                      readonly=True)
    difference_overdue = fields.Float("Overdue Difference (1C − computed)", digits=(16, 2),
                                      readonly=True)

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        """Bucket columns are labelled with the edges set in the settings."""
        res = super(B2bAgingReportLine, self).fields_get(allfields, attributes)
        from ..lib import aging
        edges = self.env["b2b.settlement.line"]._b2b_aging_edges()
        for number, (label, _start, _end) in enumerate(aging.bucket_ranges(edges), start=1):
            name = "overdue_%d" % number
            if name in res and "string" in res[name]:
                res[name]["string"] = _("Overdue %s") % label
        return res

    @api.multi
    def action_open_ledger(self):
        """Drill down: the contract's ledger lines up to the report date."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Ledger: %s") % self.contract_id.display_name,
            "res_model": "b2b.settlement.line",
            "view_mode": "tree,form",
            "domain": [("contract_id", "=", self.contract_id.id),
                       ("date", "<=", self.report_id.as_of)],
            "context": {"search_default_group_contract": 0},
        }
