from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import business_date


class StockPicking(models.Model):
    """The shipment block: an outgoing delivery for a dealer whose debt is overdue longer than the
    last aging bucket edge (45 days) cannot be validated, unless an accountant granted a one-time
    override for it (wizard b2b.block.override.wizard). The block follows the stored debt state
    of the dealer (and of the order's contract), which the ledger and a daily cron keep current."""
    _inherit = "stock.picking"

    b2b_block_override = fields.Boolean(
        "Shipment Block Override", readonly=True, copy=False,
        help="An accountant allowed this delivery once despite the dealer's overdue debt; the "
             "next validation uses it up.")
    b2b_block_override_reason = fields.Text("Override Reason", readonly=True, copy=False)
    b2b_block_override_user_id = fields.Many2one("res.users", "Override Granted by", readonly=True,
                                                 copy=False)
    b2b_shipment_blocked = fields.Boolean("Shipments Blocked", compute="_compute_b2b_block",
                                          help="The dealer's shipments are stopped for overdue debt.")
    b2b_block_message = fields.Text("Shipment Block", compute="_compute_b2b_block")

    @api.depends("partner_id", "picking_type_id", "state")
    def _compute_b2b_block(self):
        for picking in self:
            holder = picking._b2b_block_holder(refresh=False)
            picking.b2b_shipment_blocked = bool(holder)
            picking.b2b_block_message = picking._b2b_block_text(holder) if holder else False

    def _b2b_block_holder(self, refresh=True):
        """The blocked dealer (res.partner) or contract (b2b.contract) that stops this delivery,
        or None. ``refresh``: first bring a debt state computed on an earlier day up to date."""
        self.ensure_one()
        if self.picking_type_code != "outgoing" or self.state in ("done", "cancel"):
            return None
        dealer = self.partner_id.sudo().b2b_dealer_id
        contract = self.sudo().sale_id.b2b_contract_id
        if refresh:
            today = business_date.today_string(self.env)
            dealers = (dealer | contract.dealer_id).filtered(lambda d: d.b2b_debt_date != today)
            if dealers:
                self.env["b2b.settlement.line"]._b2b_recompute_debt(dealers=dealers)
        if dealer.b2b_shipment_blocked:
            return dealer
        if contract.b2b_shipment_blocked:
            return contract
        if contract.dealer_id.b2b_shipment_blocked:
            return contract.dealer_id
        return None

    def _b2b_block_text(self, holder):
        dealer = holder if holder._name == "res.partner" else holder.dealer_id
        limit = self.env["b2b.settlement.line"]._b2b_aging_edges()[-1]
        return _("Shipments to dealer «%(dealer)s» are stopped: overdue debt %(amount).2f, the oldest "
                 "%(days)s days overdue (over %(limit)s days). The block lifts by itself once the "
                 "debt is paid; an accountant can allow this delivery once.") % {
            "dealer": dealer.name, "amount": holder.b2b_overdue_amount,
            "days": holder.b2b_overdue_days, "limit": limit}

    def _b2b_check_shipment_block(self):
        """Refuse to validate deliveries of blocked dealers (those without an override)."""
        for picking in self:
            if picking.b2b_block_override:
                continue
            holder = picking._b2b_block_holder()
            if holder:
                raise UserError(_("Delivery %s cannot be validated.") % picking.name + "\n"
                                + picking._b2b_block_text(holder))

    @api.multi
    def button_validate(self):
        self._b2b_check_shipment_block()
        return super(StockPicking, self).button_validate()

    @api.multi
    def action_done(self):
        self._b2b_check_shipment_block()
        overridden = self.filtered("b2b_block_override")
        res = super(StockPicking, self).action_done()
        for picking in overridden.sudo():
            picking.write({"b2b_block_override": False})
            picking.message_post(body=_("Validated under the one-time shipment block override "
                                        "granted by %s; the override is used up.")
                                 % picking.b2b_block_override_user_id.name)
        return res

    @api.multi
    def b2b_action_grant_override(self):
        """Open the override wizard for this delivery (accountants)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Allow Delivery Despite Overdue Debt"),
            "res_model": "b2b.block.override.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_picking_id": self.id},
        }
