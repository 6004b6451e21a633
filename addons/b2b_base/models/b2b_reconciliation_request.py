import re

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools import business_date
from ..lib import acts
from ..tools.rule_messages import translate

REQUEST_STATES = [
    ("queued", "Waiting for 1C"),
    ("sent", "Sent to 1C"),
    ("done", "Act received"),
    ("failed", "Failed"),
]

ACT_REPORT = "b2b_base.action_report_reconciliation_act"
ACT_PAGE_TEMPLATE = "b2b_base.report_reconciliation_act_page"
ACT_LANG = "ru_RU"  # acts are printed in Russian, whoever prints them


class B2bReconciliationRequest(models.Model):
    """A dealer's request for a reconciliation act (акт сверки) of a contract for a period. It waits
    for 1C (the bridge delivers it); meanwhile a preliminary act rendered from the ledger is
    attached; 1C's act replaces it when it arrives."""
    _name = "b2b.reconciliation.request"
    _description = "Reconciliation Act Request"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    contract_id = fields.Many2one("b2b.contract", required=True, index=True,
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
    act_document_id = fields.Many2one("b2b.document", "Act", compute="_compute_act_document",
                                      help="The act the dealer sees: 1C's once it has arrived, "
                                           "the preliminary one until then.")
    act_file = fields.Binary("Act File", related="act_document_id.file_data", readonly=True)
    act_file_name = fields.Char("Act File Name", related="act_document_id.file_name",
                                readonly=True)
    act_preliminary = fields.Boolean("Preliminary Act", related="act_document_id.preliminary",
                                     readonly=True)
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False)
    company_id = fields.Many2one("res.company", related="contract_id.company_id", store=True,
                                 readonly=True)

    _sql_constraints = [
        ("period_order", "CHECK(date_from <= date_to)", "The period must start before it ends."),
    ]

    @api.depends("document_ids", "document_ids.preliminary")
    def _compute_act_document(self):
        for request in self:
            documents = request.document_ids.sorted(lambda d: (not d.preliminary, d.id))
            request.act_document_id = documents[-1:] if documents else False

    @api.model
    def create(self, vals):
        if vals.get("name", "/") == "/":
            vals = dict(vals, name=self.env["ir.sequence"].sudo().next_by_code(self._name) or "/")
        return super(B2bReconciliationRequest, self).create(vals)

    # ------------------------------------------------------------------ dealer's request
    @api.model
    @api.returns("self", lambda value: value.id)
    def b2b_request_act(self, contract_id, date_from, date_to):
        """A dealer user asks for the reconciliation act of ``contract_id`` for ``date_from`` ..
        ``date_to`` (inclusive, 'YYYY-MM-DD').

        Checks that the user may read the contract and that the period is valid (not reversed,
        not in the future, at most lib.acts.MAX_PERIOD_YEARS years); records the request, queued
        for 1C (the bridge delivers it), renders the preliminary act from the ledger and stores it
        as the request's document. Returns the request. On any problem nothing is created."""
        user = self.env.user
        try:
            contract = self.env["b2b.contract"].browse(int(contract_id or 0)).exists()
            if not contract:
                raise ValueError(contract_id)  # answered as a contract the user may not read
            contract.check_access_rights("read")
            contract.check_access_rule("read")
        except (AccessError, TypeError, ValueError):
            raise AccessError(_("You cannot request a reconciliation act for this contract."))
        problem = acts.check_period(date_from, date_to, business_date.today(self.env))
        if problem:
            code, params = problem
            raise UserError(_("Reconciliation act for contract %(contract)s: %(problem)s")
                            % {"contract": contract.name,
                               "problem": translate(self.env, acts.PERIOD_PROBLEMS[code]) % params})
        request = self.sudo().create({
            "contract_id": contract.id,
            "date_from": acts.parse_date(date_from).isoformat(),
            "date_to": acts.parse_date(date_to).isoformat(),
            "user_id": user.id,
            "state": "queued",
        })
        request.message_subscribe(partner_ids=user.partner_id.ids)
        request._b2b_store_preliminary_act()
        return self.browse(request.id)

    # ------------------------------------------------------------------ the act
    @api.multi
    def b2b_act_data(self):
        """What the act prints (see report/b2b_reconciliation_act.xml): parties, period, the rows
        and balances from the contract's ledger (b2b.settlement.line.b2b_statement), all texts in
        the language of the environment and amounts as 1 234,56."""
        self.ensure_one()
        contract = self.contract_id
        statement = self.env["b2b.settlement.line"].b2b_statement(contract, self.date_from,
                                                                   self.date_to)
        act = acts.build_act(statement, lambda text: translate(self.env, text))
        supplier = contract.company_id.partner_id.name or contract.company_id.name
        buyer = contract.partner_id.name
        currency = contract.currency_id
        currency_label = _("RUB") if currency.name == "RUB" else (currency.symbol or currency.name)
        closing_party = {"supplier": supplier, "buyer": buyer}.get(act.closing_side, "")
        closing_text = translate(self.env, acts.CLOSING_TEXTS[act.closing_side]) % {
            "date": acts.format_date(self.date_to), "party": closing_party,
            "amount": acts.format_amount(act.closing_amount), "currency": currency_label}
        fmt = lambda amount: acts.format_amount(amount) if amount is not None else ""
        period = {"date_from": acts.format_date(self.date_from),
                  "date_to": acts.format_date(self.date_to)}
        return {
            "supplier": supplier,
            "buyer": buyer,
            "title": _("Reconciliation act"),
            "subtitle": _("of mutual settlements for the period from %(date_from)s to %(date_to)s")
            % period,
            "parties": _("between %(supplier)s and %(buyer)s") % {"supplier": supplier,
                                                                  "buyer": buyer},
            "contract": _("under contract No. %(number)s of %(date)s") % {
                "number": contract.name, "date": acts.format_date(contract.date)},
            "intro": _("We, the undersigned, %(supplier)s on the one hand and %(buyer)s on the "
                       "other hand, have drawn up this act stating that the mutual settlements "
                       "according to the accounting records are as follows:")
            % {"supplier": supplier, "buyer": buyer},
            "by_supplier": _("According to %s") % supplier,
            "by_buyer": _("According to %s") % buyer,
            "opening": {"debit": fmt(act.opening_debit), "credit": fmt(act.opening_credit)},
            "rows": [{"date": row.date, "document": row.document, "debit": fmt(row.debit),
                      "credit": fmt(row.credit)} for row in act.rows],
            "turnover": {"debit": acts.format_amount(act.debit),
                         "credit": acts.format_amount(act.credit)},
            "closing": {"debit": fmt(act.closing_debit), "credit": fmt(act.closing_credit)},
            "closing_text": closing_text,
            "closing_side": act.closing_side,
            "closing_amount": acts.format_amount(act.closing_amount),
            "from_supplier": _("On behalf of %s") % supplier,
            "from_buyer": _("On behalf of %s") % buyer,
            "preliminary_note": _("Preliminary act made by the dealer portal from the settlement "
                                  "records on %(date)s (request %(request)s); the act signed by "
                                  "%(supplier)s follows from its accounting system.") % {
                "date": acts.format_date(business_date.today_string(self.env)),
                "request": self.name, "supplier": supplier},
        }

    @api.multi
    def _b2b_render_act_html(self):
        """The act of this request as a self-contained HTML page (bytes), in Russian: the page
        the stored PDF is made of."""
        return self.env["ir.ui.view"].sudo().render_template(ACT_PAGE_TEMPLATE, {
            "docs": self.sudo().with_context(lang=ACT_LANG)})

    @api.multi
    def _b2b_render_act_pdf(self):
        """The act of this request as PDF bytes, rendered in Russian.

        wkhtmltopdf gets a whole page with its own styles and nothing to fetch (no web assets),
        so the act renders the same in a request, in a cron job and under the test runner (where
        Odoo's render_qweb_pdf would return HTML instead of a PDF)."""
        self.ensure_one()
        report = self.env.ref(ACT_REPORT).sudo()
        return report._run_wkhtmltopdf([self._b2b_render_act_html()], landscape=False)

    @api.multi
    def _b2b_act_filename(self, preliminary):
        self.ensure_one()
        base = re.sub(r"[^\w.-]+", "_", "%s_%s" % (_("reconciliation_act"), self.name)).strip("_")
        return "%s%s.pdf" % (base, "_preliminary" if preliminary else "")

    @api.multi
    def _b2b_store_preliminary_act(self):
        """Render the act from the ledger and keep it as the request's preliminary document."""
        self.ensure_one()
        request = self.sudo()
        pdf = request._b2b_render_act_pdf()
        lang = request.user_id.lang or self.env.lang
        named = request.with_context(lang=lang)
        name = named._b2b_document_name(preliminary=True)
        document = self.env["b2b.document"].sudo().create({
            "name": name,
            "kind": "act",
            "date": business_date.today_string(self.env),
            "partner_id": request.partner_id.id,
            "contract_id": request.contract_id.id,
            "request_id": request.id,
            "preliminary": True,
            "company_id": request.company_id.id,
        })
        document._b2b_set_file(pdf, named._b2b_act_filename(preliminary=True))
        return document

    @api.multi
    def _b2b_document_name(self, preliminary):
        self.ensure_one()
        values = {"contract": self.contract_id.name,
                  "date_from": acts.format_date(self.date_from),
                  "date_to": acts.format_date(self.date_to)}
        if preliminary:
            return _("Reconciliation act, contract No. %(contract)s, %(date_from)s - %(date_to)s "
                     "(preliminary)") % values
        return _("Reconciliation act, contract No. %(contract)s, %(date_from)s - %(date_to)s") \
            % values

    # ------------------------------------------------------------------ 1C's act
    @api.multi
    @api.returns("b2b.document", lambda value: value.id)
    def b2b_receive_act(self, pdf_bytes, number=None, b2b_onec_id=None):
        """1C's act for this request: it replaces the preliminary act (the dealer sees one act),
        the request is done and the requester is notified (by mail and in the request's messages).
        The same act sent again changes nothing and notifies nobody. Returns the act document."""
        self.ensure_one()
        self.check_access_rights("write")
        self.check_access_rule("write")
        if isinstance(pdf_bytes, str):
            pdf_bytes = pdf_bytes.encode("latin-1")
        if not pdf_bytes or not pdf_bytes.lstrip()[:5] == b"%PDF-":
            raise UserError(_("Reconciliation act request %s: the act from 1C is not a PDF file.")
                            % self.name)
        Document = self.env["b2b.document"]
        lang = self.user_id.lang or self.env.lang
        vals = {
            "name": self.with_context(lang=lang)._b2b_document_name(preliminary=False),
            "kind": "act",
            "number": number or False,
            "partner_id": self.partner_id.id,
            "contract_id": self.contract_id.id,
            "request_id": self.id,
            "preliminary": False,
            "company_id": self.company_id.id,
        }
        filename = self.with_context(lang=lang)._b2b_act_filename(preliminary=False)
        final = self.document_ids.filtered(lambda d: not d.preliminary)[:1]
        if b2b_onec_id:
            other = Document.search([("b2b_onec_id", "=", b2b_onec_id),
                                     ("request_id", "!=", self.id)], limit=1)
            if other:
                raise UserError(_("Reconciliation act request %(request)s: 1C's act %(act)s is "
                                  "already the document %(document)s.")
                                % {"request": self.name, "act": b2b_onec_id, "document": other.name})
            document, changed = Document._b2b_upsert(dict(vals, b2b_onec_id=b2b_onec_id), pdf_bytes,
                                                     filename)
        elif final:
            document = final
            changes = {k: v for k, v in vals.items() if k in ("number", "name")
                       and (document[k] or False) != v}
            if changes:
                document.write(changes)
            changed = document._b2b_set_file(pdf_bytes, filename) or bool(changes)
        else:
            document = Document.create(dict(vals, date=business_date.today_string(self.env)))
            document._b2b_set_file(pdf_bytes, filename)
            changed = True
        (self.document_ids - document).filtered("preliminary").unlink()
        if self.state != "done":
            self.write({"state": "done", "error": False})
        if changed:
            self._b2b_notify_act(document)
        return document

    @api.multi
    def _b2b_notify_act(self, document):
        """Tell the requester that 1C's act has arrived: a message on the request addressed to
        their partner (sent by mail; the portal shows the request's messages too)."""
        self.ensure_one()
        partner = self.user_id.partner_id
        request = self.with_context(lang=partner.lang or self.env.lang)
        subject, body = request._b2b_act_message(document)
        request.message_post(body=body, subject=subject, partner_ids=partner.ids,
                             message_type="comment", subtype="mail.mt_comment")

    @api.multi
    def _b2b_act_message(self, document):
        """(subject, body) of the notice that 1C's act has arrived, in the environment's language."""
        request = self
        body = _("The reconciliation act for contract No. %(contract)s for %(date_from)s - "
                 "%(date_to)s has arrived from %(supplier)s: %(document)s.") % {
            "contract": request.contract_id.name,
            "date_from": acts.format_date(request.date_from),
            "date_to": acts.format_date(request.date_to),
            "supplier": request.company_id.name,
            "document": document.number or document.name,
        }
        return _("Reconciliation act %s") % request.name, body

    # ------------------------------------------------------------------ backend
    @api.multi
    def action_print_act(self):
        """Print the act from the ledger again (as it is now)."""
        return self.env.ref(ACT_REPORT).report_action(self)

    @api.multi
    def action_refresh_preliminary_act(self):
        """Render the preliminary act again from the current ledger (while 1C's act is awaited)."""
        self.check_access_rights("write")
        self.check_access_rule("write")
        for request in self:
            if request.state == "done":
                raise UserError(_("Reconciliation act request %s: 1C's act has arrived; the "
                                  "preliminary act is no longer kept.") % request.name)
            old = request.document_ids.filtered("preliminary")
            request._b2b_store_preliminary_act()
            old.sudo().unlink()
        return True
