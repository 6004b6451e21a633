from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib import orders as cml

SALE_STATES = [
    ("draft", "Quotation"),
    ("sent", "Quotation Sent"),
    ("sale", "Sales Order"),
    ("done", "Locked"),
    ("cancel", "Cancelled"),
]


class OnecOrderStatus(models.Model):
    """How a status 1C gives an order maps to the state of the portal's sale order (and so to
    whether dealers may still change it, by the portal's status rule)."""
    _name = "b2b.onec.order.status"
    _description = "1C order status"
    _order = "sequence, id"

    name = fields.Char("1C Status", required=True,
                       help="The status as 1C writes it in «Статус заказа» (case, spaces and ё "
                            "do not matter).")
    state = fields.Selection(SALE_STATES, "Portal State", required=True,
                             help="The state the portal order takes when 1C sends this status.")
    sequence = fields.Integer(default=10)

    @api.constrains("name")
    def _check_unique_status(self):
        for status in self:
            key = cml.status_key(status.name)
            if not key:
                raise ValidationError(_("The 1C status cannot be empty."))
            others = self.search([("id", "!=", status.id)])
            if any(cml.status_key(other.name) == key for other in others):
                raise ValidationError(_("The 1C status «%s» is already mapped to a portal "
                                        "state.") % status.name)
