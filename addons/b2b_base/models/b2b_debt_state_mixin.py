from odoo import fields, models


class B2bDebtStateMixin(models.AbstractModel):
    """The stored debt state of a dealer (res.partner) or a contract: what the portal's debt
    pop-up and the shipment block read, in one indexed read. Plain stored fields written by
    b2b.settlement.line._b2b_recompute_debt (on a ledger or 1C summary change, and by the daily
    cron), never computed on page loads."""
    _name = "b2b.debt.state.mixin"
    _description = "Stored Debt State"

    b2b_debt_balance = fields.Float("Debt", digits=(16, 2), readonly=True, copy=False,
                                    help="What is owed (debits minus credits of the ledger, or 1C's "
                                         "own summary when it is current); negative: an advance.")
    b2b_overdue_amount = fields.Float("Overdue Debt", digits=(16, 2), readonly=True, copy=False)
    b2b_overdue_days = fields.Integer("Oldest Overdue (days)", readonly=True, copy=False)
    b2b_shipment_blocked = fields.Boolean(
        "Shipments Blocked", index=True, readonly=True, copy=False,
        help="Some debt is overdue longer than the last aging bucket edge (45 days by default): "
             "outgoing deliveries cannot be validated until it is paid or an accountant grants a "
             "one-time override.")
    b2b_debt_source = fields.Selection([("computed", "Computed"), ("1c", "1C summary")],
                                       "Debt Figures From", readonly=True, copy=False)
    b2b_debt_date = fields.Date("Debt State as of", readonly=True, copy=False)
