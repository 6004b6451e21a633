from odoo import fields, models

DOCUMENT_KINDS = [
    ("invoice", "Invoice"),
    ("upd", "UPD (universal transfer document)"),
    ("act", "Reconciliation act"),
    ("closing", "Closing documents"),
    ("other", "Other"),
]


class B2bDocument(models.Model):
    """A printed form from 1C (or rendered by the suite) for a dealer: the file is an attachment of
    this record, so only users who may read the record may download it."""
    _name = "b2b.document"
    _description = "Dealer Document"
    _order = "date desc, id desc"

    name = fields.Char(required=True)
    kind = fields.Selection(DOCUMENT_KINDS, required=True, default="other")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    number = fields.Char()
    partner_id = fields.Many2one("res.partner", "Legal Entity", required=True, index=True,
                                 ondelete="restrict")
    dealer_id = fields.Many2one("res.partner", "Dealer", related="partner_id.b2b_dealer_id",
                                store=True, readonly=True, index=True)
    contract_id = fields.Many2one("b2b.contract", "Contract", index=True, ondelete="restrict")
    order_id = fields.Many2one("sale.order", "Order", index=True, ondelete="set null")
    request_id = fields.Many2one("b2b.reconciliation.request", "Act Request", index=True,
                                 ondelete="set null")
    preliminary = fields.Boolean(help="Rendered by the portal from its ledger while 1C's own "
                                      "document is awaited.")
    attachment_id = fields.Many2one("ir.attachment", "File", ondelete="restrict")
    b2b_1c_id = fields.Char("1C Id", index=True, copy=False)
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)

    _sql_constraints = [
        ("b2b_1c_id_unique", "unique(b2b_1c_id)", "Another document already has this 1C id."),
    ]
