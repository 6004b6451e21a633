from odoo import api, fields, models

from ..lib import orders as rules


class ResConfigSettings(models.TransientModel):
    """Sales settings: the status rule of the dealer portal, i.e. the states of a sale order in
    which a dealer may still change or cancel it from the portal (system parameter
    ``b2b_portal.editable_states``)."""
    _inherit = "res.config.settings"

    b2b_edit_draft = fields.Boolean(
        "Dealers edit new orders",
        help="Dealers may change or cancel their orders while they are new (quotations).")
    b2b_edit_sent = fields.Boolean(
        "Dealers edit sent quotations",
        help="Dealers may change or cancel their orders once the quotation has been sent to them.")
    b2b_edit_sale = fields.Boolean(
        "Dealers edit confirmed orders",
        help="Dealers may change or cancel their orders after confirmation, until the order is "
             "locked. Leave it off when confirmed orders go to picking at once.")

    _B2B_STATE_FIELDS = (("draft", "b2b_edit_draft"), ("sent", "b2b_edit_sent"),
                         ("sale", "b2b_edit_sale"))

    @api.model
    def get_values(self):
        values = super(ResConfigSettings, self).get_values()
        states = self.env["sale.order"]._b2b_editable_states()
        values.update({name: state in states for state, name in self._B2B_STATE_FIELDS})
        return values

    @api.multi
    def set_values(self):
        result = super(ResConfigSettings, self).set_values()
        states = {state for state, name in self._B2B_STATE_FIELDS if self[name]}
        self.env["ir.config_parameter"].sudo().set_param(
            rules.PARAM_EDITABLE_STATES, rules.format_editable_states(states))
        return result
