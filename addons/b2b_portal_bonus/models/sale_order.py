from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_linked_order_id = fields.Many2one(
        "sale.order", "Linked Order", readonly=True, copy=False, index=True,
        help="The order for money or the bonus order placed together with this one from the same "
             "cart in the dealer portal.")
