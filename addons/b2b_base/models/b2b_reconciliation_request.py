from odoo import fields, models

REQUEST_STATES = [
    ("queued", "Waiting for 1C"),
    ("sent", "Sent to 1C"),
    ("done", "Act received"),
    ("failed", "Failed"),
]


class B2bReconciliationRequest(models.Model):
    """A dealer's request for a reconciliation act (акт сверки) of a contract for a period. It waits
    for 1C (the bridge delivers it); meanwhile a preliminary act rendered from the ledger is
    attached; 1C's act replaces it when it arrives."""
    _name = "b2b.reconciliation.request"
    _description = "Reconciliation Act Request"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    contract_id = fields.Many2one("b2b.contract", "Contract", required=True, index=True,
                                  ondelete="restrict")
    partner_id = fields.Many2one("res.partner", "Legal Entity", related="contract_id.partner_id",
                                 store=True, readonly=True, index=True)
    dealer_id = fields.Many2one("res.partner", "Dealer", related="contract_id.dealer_id",
                                store=True, readonly=True, index=True)
    date_from = fields.Date("From", required=True)
    date_to = fields.Date("To", required=True)
    user_id = fields.Many2one("res.users", "Requested by", required=True, index=True,
                              default=lambda self: self.env.uid)
    state = fields.Selection(REQUEST_STATES, required=True, default="queued", index=True,
                             track_visibility="onchange")
    error = fields.Text()
    document_ids = fields.One2many("b2b.document", "request_id", "Acts")
    b2b_1c_id = fields.Char("1C Id", index=True, copy=False)
    company_id = fields.Many2one("res.company", related="contract_id.company_id", store=True,
                                 readonly=True)

    _sql_constraints = [
        ("period_order", "CHECK(date_from <= date_to)", "The period must start before it ends."),
    ]
