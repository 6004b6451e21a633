"""Finance pages of the dealer portal: balances and overdue aging of the contracts the user acts
for, the settlement ledger of a contract for a period (page and xlsx), reconciliation acts,
the documents 1C sent (and their downloads), the quarterly reports of special-conditions
contracts, and the documents block of the order page.

Everything is read AS THE USER (``request.env``, no sudo) so b2b_base's record rules decide what
a user reaches: a contract, act request or document of another dealer (or, for an outlet user,
of another contract) answers 404 whatever id a link or form carries. A contract asked for by id is
also checked against the user's allowed contracts first. The debt pop-up shown on every portal
page is in templates/finance.xml: it reads only the stored debt state of the dealer (or of an
outlet user's contract), never computes aging."""
import base64

import werkzeug.exceptions
import werkzeug.urls

from odoo import _, http
from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_base.tools.rule_messages import render, translate
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from ..lib import finance as rules
from .portal_base import B2bPortal

DOCUMENTS_PAGE_SIZE = 20
ACTS_PAGE_SIZE = 20


def _as_id(value):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return -1   # a forged value: no record has it


def _selection_labels(model, field):
    """{value: label} of a selection field, in the user's language."""
    return dict(request.env[model]._fields[field]._description_selection(request.env))


class B2bFinance(B2bPortal):

    def _b2b_today(self):
        return business_date.today(request.env)

    def _b2b_chosen_contract(self, user, contract_id):
        """The contract asked for by ``contract_id`` (as the user) if it is one the user acts
        for, else 404; none asked: the session's current contract (or an empty recordset)."""
        wanted = _as_id(contract_id)
        if not wanted:
            return request.env["b2b.contract"].browse(self._b2b_contract().ids)
        if wanted not in self._b2b_contracts(user).ids:
            raise werkzeug.exceptions.NotFound()
        contract = request.env["b2b.contract"].browse(wanted)
        try:
            contract.check_access_rule("read")
        except AccessError:
            raise werkzeug.exceptions.NotFound()
        return contract

    def _b2b_period(self, date_from, date_to):
        """(Period, error text): the period a form asks for, or the reasons it cannot be used."""
        period, problems = rules.parse_period(date_from, date_to, self._b2b_today())
        return period, render(request.env, problems) if problems else None

    def _b2b_special_contracts(self, user):
        return self._b2b_contracts(user).filtered("special_conditions")

    def _prepare_b2b_finance_values(self, user, **values):
        """The layout values of a finance page (with the tabs' data)."""
        values.setdefault("page_name", "b2b_finance")
        values.setdefault("has_quarter", bool(self._b2b_special_contracts(user)))
        return self._prepare_b2b_layout_values(**values)

    def _b2b_order_page_values(self, detail):
        """The order page lists the order's documents (read as the user)."""
        values = super(B2bFinance, self)._b2b_order_page_values(detail)
        values.setdefault("order_documents", request.env["b2b.document"].search(
            [("order_id", "=", detail["id"])]))
        values.setdefault("document_kinds", _selection_labels("b2b.document", "kind"))
        return values

    # ------------------------------------------------------------------ balances, aging, ledger
    @http.route("/b2b/finance", type="http", auth="user", website=False)
    def finance(self, contract_id=None, date_from=None, date_to=None, **kw):
        user = self._b2b_ensure_dealer()
        contract = self._b2b_chosen_contract(user, contract_id)
        period, error = self._b2b_period(date_from, date_to)
        values = self._finance_overview(user)
        statement = export_url = None
        if contract and period:
            statement = self._finance_statement(contract, period)
            export_url = "/b2b/finance/ledger.xlsx?" + werkzeug.urls.url_encode({
                "contract_id": contract.id, "date_from": period.date_from.isoformat(),
                "date_to": period.date_to.isoformat()})
        return request.render("b2b_portal.finance_page", self._prepare_b2b_finance_values(
            user,
            finance_tab="balance",
            ledger_contract=contract,
            period=period,
            date_from=period.date_from.isoformat() if period else (date_from or ""),
            date_to=period.date_to.isoformat() if period else (date_to or ""),
            statement=statement,
            export_url=export_url,
            kinds=_selection_labels("b2b.settlement.line", "kind"),
            error=error,
            **values))

    def _finance_overview(self, user):
        """Balances and aging of every contract the user acts for (read as the user), the
        dealer's shipment block and the totals."""
        allowed = self._b2b_contracts(user)
        # as the user: the record rules apply to what is read next
        contracts = request.env["b2b.contract"].browse(allowed.ids)
        aging = request.env["b2b.settlement.line"].b2b_aging(contracts) if contracts else {}
        rows = [{"contract": contract, "aging": aging[contract.id]}
                for contract in allowed if aging.get(contract.id) is not None]
        labels, totals, blocked = rules.aging_overview(
            [row["aging"] for row in rows], [row["contract"].currency_id for row in rows])
        holder = user._b2b_debt_holder()
        return {"aging_rows": rows, "bucket_labels": labels, "aging_totals": totals,
                "blocked": blocked or bool(holder and holder.b2b_shipment_blocked)}

    def _finance_statement(self, contract, period):
        try:
            return request.env["b2b.settlement.line"].b2b_statement(
                contract, period.date_from.isoformat(), period.date_to.isoformat())
        except AccessError:
            raise werkzeug.exceptions.NotFound()

    @http.route("/b2b/finance/ledger.xlsx", type="http", auth="user", website=False)
    def ledger_xlsx(self, contract_id=None, date_from=None, date_to=None, **kw):
        """The ledger the finance page shows for the same parameters, as an xlsx file."""
        user = self._b2b_ensure_dealer()
        contract = self._b2b_chosen_contract(user, contract_id)
        if not contract:
            raise werkzeug.exceptions.NotFound()
        period, error = self._b2b_period(date_from, date_to)
        if error:
            return self.finance(contract_id=contract.id, date_from=date_from, date_to=date_to)
        statement = self._finance_statement(contract, period)
        texts = {key: translate(request.env, text) for key, text in rules.XLSX_TEXTS.items()}
        data = rules.ledger_workbook(
            statement, texts, _selection_labels("b2b.settlement.line", "kind"),
            contract.sudo().display_name, period, currency=contract.sudo().currency_id.name)
        name = "ledger-%s-%s-%s.xlsx" % (contract.sudo().name, period.date_from.isoformat(),
                                         period.date_to.isoformat())
        return self._b2b_file_response(data, name)

    # ------------------------------------------------------------------ reconciliation acts
    @http.route(["/b2b/acts", "/b2b/acts/page/<int:page>"], type="http", auth="user",
                methods=["GET"], website=False)
    def acts(self, page=1, requested=None, **kw):
        user = self._b2b_ensure_dealer()
        period = rules.default_period(self._b2b_today())
        return self._render_acts(user, page=page, requested=_as_id(requested), form={
            "contract_id": self._b2b_contract().id,
            "date_from": period.date_from.isoformat(),
            "date_to": period.date_to.isoformat()})

    @http.route("/b2b/acts", type="http", auth="user", methods=["POST"], website=False)
    def act_request(self, contract_id=None, date_from=None, date_to=None, **kw):
        """Request a reconciliation act: recorded and queued for 1C, with a preliminary act
        rendered from the ledger at once (b2b.reconciliation.request.b2b_request_act, as the
        user). A bad period or a refusal shows the form again with the reason, and nothing is
        created; a contract the user does not act for answers 404."""
        user = self._b2b_ensure_dealer()
        form = {"contract_id": _as_id(contract_id), "date_from": date_from or "",
                "date_to": date_to or ""}
        if not _as_id(contract_id):
            return self._render_acts(user, form=form, error=_("Choose the contract of the act."))
        contract = self._b2b_chosen_contract(user, contract_id)
        # the model checks the period (b2b_base's rules for acts) before it creates anything
        act_request, error = self._b2b_attempt(
            request.env["b2b.reconciliation.request"].b2b_request_act,
            contract.id, (date_from or "").strip(), (date_to or "").strip(),
            refusals=(UserError, ValidationError))
        if error:
            return self._render_acts(user, form=form, error=error)
        return self._b2b_redirect("/b2b/acts?requested=%d" % act_request.id)

    def _render_acts(self, user, page=1, form=None, error=None, requested=None):
        Request = request.env["b2b.reconciliation.request"]
        total = Request.search_count([])
        pager = portal_pager(url="/b2b/acts", total=total, page=page, step=ACTS_PAGE_SIZE)
        act_requests = Request.search([], offset=(max(page, 1) - 1) * ACTS_PAGE_SIZE,
                                      limit=ACTS_PAGE_SIZE)
        # the acts of the listed requests, as the user (what the user may download)
        documents = request.env["b2b.document"].search(
            [("request_id", "in", act_requests.ids)], order="preliminary, date desc, id desc")
        by_request = rules.group_by(documents, lambda document: document.request_id.id)
        return request.render("b2b_portal.acts_page", self._prepare_b2b_finance_values(
            user,
            finance_tab="acts",
            act_requests=act_requests,
            act_documents=by_request,
            act_states=_selection_labels("b2b.reconciliation.request", "state"),
            pager=pager,
            total=total,
            form=form or {},
            error=error,
            requested=requested))

    # ------------------------------------------------------------------ documents
    @http.route(["/b2b/documents", "/b2b/documents/page/<int:page>"], type="http", auth="user",
                website=False)
    def documents(self, page=1, kind="", contract_id="", **kw):
        user = self._b2b_ensure_dealer()
        Document = request.env["b2b.document"]
        kinds = _selection_labels("b2b.document", "kind")
        domain = []
        if kind and kind in kinds:
            domain.append(("kind", "=", kind))
        else:
            kind = ""
        contract = self._b2b_chosen_contract(user, contract_id) if _as_id(contract_id) else None
        if contract:
            domain.append(("contract_id", "=", contract.id))
        url_args = {key: value for key, value in (("kind", kind),
                                                   ("contract_id", contract.id if contract else ""))
                    if value}
        total = Document.search_count(domain)
        pager = portal_pager(url="/b2b/documents", total=total, page=page,
                             step=DOCUMENTS_PAGE_SIZE, url_args=url_args)
        documents = Document.search(domain, offset=(max(page, 1) - 1) * DOCUMENTS_PAGE_SIZE,
                                    limit=DOCUMENTS_PAGE_SIZE)
        if page > 1 and not documents and total:
            return self._b2b_redirect(pager["page_end"]["url"])
        contracts = self._b2b_contracts(user)
        return request.render("b2b_portal.documents_page", self._prepare_b2b_finance_values(
            user,
            finance_tab="documents",
            documents=documents,
            document_kinds=kinds,
            kind_filter=kind,
            contract_filter=contract.id if contract else 0,
            contracts=contracts,
            show_contract_filter=len(contracts) > 1,
            pager=pager,
            total=total))

    @http.route("/b2b/document/<int:document_id>", type="http", auth="user", website=False)
    def document_download(self, document_id, **kw):
        """The file of a document the user may read (as the user); 404 for anything else."""
        self._b2b_ensure_dealer()
        document = request.env["b2b.document"].browse(document_id)
        try:
            document.check_access_rights("read")
            document.check_access_rule("read")
            attachment = document.attachment_id
        except (AccessError, MissingError):
            raise werkzeug.exceptions.NotFound()
        if not document.exists() or not attachment:
            raise werkzeug.exceptions.NotFound()
        attachment = attachment.sudo()
        if attachment.res_model != "b2b.document" or attachment.res_id != document.id:
            raise werkzeug.exceptions.NotFound()
        data = base64.b64decode(attachment.datas or b"")
        filename = attachment.datas_fname or attachment.name or document.name
        return self._b2b_file_response(data, filename,
                                       attachment.mimetype or "application/octet-stream",
                                       [("X-Content-Type-Options", "nosniff")])

    # ------------------------------------------------------------------ quarterly reports
    @http.route("/b2b/finance/quarter", type="http", auth="user", website=False)
    def quarter(self, **kw):
        user = self._b2b_ensure_dealer()
        special = self._b2b_special_contracts(user)
        Report = request.env["b2b.quarter.report"]
        reports = Report.search([("contract_id", "in", special.ids)]) if special else Report
        by_contract = rules.group_by(reports, lambda report: report.contract_id.id)
        return request.render("b2b_portal.quarter_page", self._prepare_b2b_finance_values(
            user,
            finance_tab="quarter",
            special_contracts=special,
            reports_by_contract=by_contract,
            quarter_labels=_selection_labels("b2b.quarter.report", "quarter")))
