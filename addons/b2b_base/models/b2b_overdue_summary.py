from odoo import fields, models


class B2bOverdueSummary(models.Model):
    """1C's own overdue-debt summary of a contract as of a date. When 1C sends one, it is what the
    portal shows and what the shipment block uses; accountants see the difference from the
    computed aging."""
    _name = "b2b.overdue.summary"
    _description = "Overdue Debt Summary from 1C"
    _order = "date desc, id desc"

    contract_id = fields.Many2one("b2b.contract", "Contract", required=True, index=True,
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
    b2b_1c_id = fields.Char("1C Id", index=True, copy=False)

    _sql_constraints = [
        ("contract_date_unique", "unique(contract_id, date)",
         "1C's overdue summary of a contract is kept once per date."),
    ]
