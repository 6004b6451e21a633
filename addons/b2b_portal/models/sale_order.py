from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    b2b_desired_date = fields.Date(
        "Desired Delivery Date", readonly=True, copy=False,
        help="The delivery date the dealer asked for when ordering from the portal.")
