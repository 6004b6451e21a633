from odoo import api, fields, models

from ..lib import deals

ORDER_STATES = [
    ("draft", "Quotation"),
    ("sent", "Quotation Sent"),
    ("sale", "Sales Order"),
    ("done", "Locked"),
    ("cancel", "Cancelled"),
]


class B2bBitrixStage(models.Model):
    """Which Bitrix24 deal stage an order's status puts its deal in, and back."""

    _name = "b2b.bitrix.stage"
    _description = "Bitrix24 deal stage of an order status"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    state = fields.Selection(ORDER_STATES, "Order status", required=True)
    stage_id = fields.Char(
        "Deal stage", required=True,
        help="Stage ID in Bitrix24 (crm.status.list, ENTITY_ID DEAL_STAGE), e.g. PREPARATION. In "
             "a pipeline other than the default one, the C<N>: prefix is added by itself.")
    from_bitrix = fields.Boolean(
        "Manager may set it", default=True,
        help="A manager moving the deal to this stage sets the order to this status, while the "
             "order can still be changed.")

    _sql_constraints = [
        ("state_unique", "unique(state)", "Each order status has one deal stage."),
    ]

    @api.model
    def _b2b_map(self):
        """[(state, stage)]: the configured stages, or the defaults when none are."""
        records = self.sudo().search([])
        if not records:
            return list(deals.DEFAULT_STAGES)
        return [(r.state, r.stage_id.strip()) for r in records]

    @api.model
    def _b2b_back_map(self):
        """[(state, stage)] a manager's stage change may bring to the order."""
        records = self.sudo().search([("from_bitrix", "=", True)])
        if not records and not self.sudo().search_count([]):
            return list(deals.DEFAULT_STAGES)
        return [(r.state, r.stage_id.strip()) for r in records]
