from odoo import api, models

from odoo.addons.b2b_base.lib import numbers

from ..lib import notifications as feed

WATCHED = ("b2b_overdue_amount", "b2b_shipment_blocked")


class B2bContract(models.Model):
    """A contract's stored debt state (written by b2b_base when the ledger or 1C's summary
    changes, and by the daily cron) tells the contract's users when a debt becomes overdue and
    when shipments stop: once as it turns on, not on each recompute (a notification of kind
    "debt")."""
    _inherit = "b2b.contract"

    @api.multi
    def write(self, vals):
        if not any(name in vals for name in WATCHED):
            return super(B2bContract, self).write(vals)
        before = {c.id: (c.b2b_overdue_amount > 0, c.b2b_shipment_blocked) for c in self.sudo()}
        result = super(B2bContract, self).write(vals)
        for contract in self.sudo():
            was_overdue, was_blocked = before[contract.id]
            if contract.b2b_shipment_blocked and not was_blocked:
                contract._b2b_notify_debt(feed.SHIPMENT_BLOCKED, feed.SHIPMENT_BLOCKED_BODY)
            elif contract.b2b_overdue_amount > 0 and not was_overdue:
                contract._b2b_notify_debt(feed.DEBT_OVERDUE, feed.DEBT_OVERDUE_BODY)
        return result

    def _b2b_notify_debt(self, title, body):
        self.ensure_one()
        currency = self.currency_id
        amount = self.b2b_overdue_amount

        def money(tr):
            sep, point = tr.env["res.lang"]._b2b_number_format(tr.env.lang or "en_US")
            return numbers.format_money(amount, currency.symbol or "", currency.position or "after",
                                        sep, point)
        params = {"contract": self.name, "amount": money, "days": self.b2b_overdue_days}
        self.env["b2b.notification"]._b2b_notify(
            self.env["b2b.notification"]._b2b_contract_users(self), "debt", (title, params),
            (body, params), url="/b2b/finance", record=self)
