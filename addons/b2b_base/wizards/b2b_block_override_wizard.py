from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError


class B2bBlockOverrideWizard(models.TransientModel):
    """An accountant allows one delivery of a dealer whose shipments are stopped for overdue debt.
    The reason is logged in the delivery's and the dealer's chatter; the override is used up by
    the next validation of that delivery."""
    _name = "b2b.block.override.wizard"
    _description = "Shipment Block Override"

    picking_id = fields.Many2one("stock.picking", "Delivery", required=True, ondelete="cascade")
    dealer_id = fields.Many2one("res.partner", compute="_compute_debt")
    overdue_amount = fields.Float("Overdue Debt", digits=(16, 2), compute="_compute_debt")
    overdue_days = fields.Integer("Oldest Overdue (days)", compute="_compute_debt")
    reason = fields.Text(required=True, help="Why this delivery may leave despite the overdue debt "
                                             "(logged in the chatter).")

    @api.depends("picking_id")
    def _compute_debt(self):
        for wizard in self:
            picking = wizard.picking_id.sudo()
            holder = picking._b2b_block_holder(refresh=False) if picking else None
            dealer = picking.partner_id.b2b_dealer_id or picking.sale_id.b2b_contract_id.dealer_id
            wizard.dealer_id = dealer
            wizard.overdue_amount = (holder or dealer).b2b_overdue_amount if dealer else 0.0
            wizard.overdue_days = (holder or dealer).b2b_overdue_days if dealer else 0

    @api.multi
    def action_grant(self):
        self.ensure_one()
        if not self.env.user.has_group("b2b_base.group_b2b_accountant"):
            raise AccessError(_("Only an accountant can allow a delivery despite overdue debt."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(_("Give the reason for allowing this delivery."))
        picking = self.picking_id.sudo()
        if picking.picking_type_code != "outgoing" or picking.state in ("done", "cancel"):
            raise UserError(_("Delivery %s is not an outgoing delivery waiting to be validated.")
                            % picking.name)
        if picking.b2b_block_override:
            raise UserError(_("Delivery %s already has an override that has not been used yet.")
                            % picking.name)
        picking.write({"b2b_block_override": True, "b2b_block_override_reason": reason,
                       "b2b_block_override_user_id": self.env.uid})
        body = _("%(user)s allowed delivery %(picking)s once despite the shipment block "
                 "(overdue debt %(amount).2f, %(days)s days). Reason: %(reason)s") % {
            "user": self.env.user.name, "picking": picking.name, "amount": self.overdue_amount,
            "days": self.overdue_days, "reason": reason}
        picking.message_post(body=body)
        if self.dealer_id:
            self.dealer_id.sudo().message_post(body=body)
        return {"type": "ir.actions.act_window_close"}
