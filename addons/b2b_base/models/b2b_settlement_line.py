from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import ledger

SETTLEMENT_KINDS = [
    ("opening", "Opening balance"),
    ("shipment", "Shipment / realisation"),
    ("payment", "Payment"),
    ("return", "Return"),
    ("adjustment", "Adjustment"),
]


class B2bSettlementLine(models.Model):
    """One line of the settlement ledger (взаиморасчеты) of a contract, as 1C posted it.

    Sign convention: ``debit`` raises what the dealer owes the supplier (shipments, opening debt),
    ``credit`` lowers it (payments, returns); balance = debit - credit. A line is immutable once
    posted; only a newer version of the same 1C document (same ``b2b_1c_id``) replaces it, through
    ``b2b_upsert``."""
    _name = "b2b.settlement.line"
    _description = "Settlement Ledger Line"
    _order = "contract_id, date, id"

    partner_id = fields.Many2one("res.partner", "Legal Entity", required=True, index=True,
                                 ondelete="restrict")
    contract_id = fields.Many2one("b2b.contract", "Contract", required=True, index=True,
                                  ondelete="restrict")
    dealer_id = fields.Many2one("res.partner", "Dealer", related="contract_id.dealer_id",
                                store=True, readonly=True, index=True)
    date = fields.Date(required=True, index=True)
    kind = fields.Selection(SETTLEMENT_KINDS, "Document Kind", required=True)
    doc_number = fields.Char("Document Number")
    b2b_1c_id = fields.Char("1C Id", index=True, copy=False,
                            help="The document's identifier (Ид) in 1C; a newer version of the same "
                                 "document replaces this line.")
    b2b_1c_version = fields.Char("1C Version", copy=False,
                                 help="The document version 1C sent (its НомерВерсии / date of change).")
    settles_1c_id = fields.Char(
        "Settles Document", index=True,
        help="For a payment or return 1C matched to one debt document: that document's 1C id. "
             "Unmatched payments settle the oldest debts first.")
    currency_id = fields.Many2one("res.currency", related="contract_id.currency_id", store=True,
                                  readonly=True)
    debit = fields.Monetary(currency_field="currency_id", default=0.0)
    credit = fields.Monetary(currency_field="currency_id", default=0.0)
    due_date = fields.Date("Due Date", index=True,
                           help="When the debt of this document falls due (debit lines).")
    note = fields.Char()
    company_id = fields.Many2one("res.company", related="contract_id.company_id", store=True,
                                 readonly=True)

    _sql_constraints = [
        ("b2b_1c_id_unique", "unique(b2b_1c_id)", "Another ledger line already has this 1C id."),
        ("amounts_positive", "CHECK(debit >= 0 AND credit >= 0)",
         "Debit and credit of a ledger line cannot be negative."),
    ]

    # ------------------------------------------------------------------ ledger
    _B2B_LEDGER_FIELDS = ("id", "date", "kind", "doc_number", "debit", "credit", "due_date",
                          "b2b_1c_id", "note")

    @api.model
    def b2b_statement(self, contract, date_from=None, date_to=None):
        """The ledger of ``contract`` (a b2b.contract record the caller may read) from
        ``date_from`` to ``date_to`` (inclusive; None = open-ended): a lib.ledger.Statement whose
        lines' rows are dicts of ``_B2B_LEDGER_FIELDS``. Two indexed queries, whatever the size."""
        contract.ensure_one()
        contract.check_access_rights("read")
        contract.check_access_rule("read")
        cr = self.env.cr
        opening = 0.0
        if date_from:
            cr.execute("SELECT COALESCE(SUM(debit - credit), 0) FROM b2b_settlement_line "
                       "WHERE contract_id = %s AND date < %s", (contract.id, date_from))
            opening = cr.fetchone()[0]
        where, params = ["contract_id = %s"], [contract.id]
        if date_from:
            where.append("date >= %s")
            params.append(date_from)
        if date_to:
            where.append("date <= %s")
            params.append(date_to)
        cr.execute("SELECT %s FROM b2b_settlement_line WHERE %s ORDER BY date, id"
                   % (", ".join(self._B2B_LEDGER_FIELDS), " AND ".join(where)), params)
        return ledger.statement(opening, cr.dictfetchall())
