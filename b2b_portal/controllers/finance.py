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
import werkzeug.utils

from odoo import _, http
from odoo.addons.b2b_base import business_date
from odoo.addons.b2b_base.rule_messages import render, translate
from odoo.addons.portal.controllers.portal import pager as portal_pager
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request
from odoo.tools.misc import format_date

from ..lib import finance as rules
from .cart import _formatters
from .orders import B2bOrders
from .portal_base import allowed_contracts, current_contract, ensure_dealer, layout_values

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCUMENTS_PAGE_SIZE = 20
ACTS_PAGE_SIZE = 20


def _message(error):
    return (error.name if hasattr(error, "name") else str(error)).strip()


def _today():
    return business_date.today(request.env)


def _as_id(value):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return -1   # a forged value: no record has it


def _user_contracts(user):
    """The contracts the user acts for, AS THE USER (record rules apply to what is read next)."""
    return request.env["b2b.contract"].browse(allowed_contracts(user).ids)


def _chosen_contract(user, contract_id):
    """The contract asked for by ``contract_id`` (as the user) if it is one the user acts for,
    else 404; none asked: the session's current contract (or an empty recordset)."""
    wanted = _as_id(contract_id)
    if not wanted:
        return request.env["b2b.contract"].browse(current_contract().ids)
    if wanted not in allowed_contracts(user).ids:
        raise werkzeug.exceptions.NotFound()
    contract = request.env["b2b.contract"].browse(wanted)
    try:
        contract.check_access_rule("read")
    except AccessError:
        raise werkzeug.exceptions.NotFound()
    return contract


def _period(date_from, date_to):
    """(Period, error text): the period a form asks for, or the reasons it cannot be used."""
    period, problems = rules.parse_period(date_from, date_to, _today())
    return period, render(request.env, problems) if problems else None


def _selection_labels(model, field):
    """{value: label} of a selection field, in the user's language."""
    return dict(request.env[model]._fields[field]._description_selection(request.env))


def _formatting():
    values = _formatters()
    values["b2b_date"] = lambda value: format_date(request.env, value) if value else ""
    return values


def _holder(user):
    """Whose stored debt state concerns the user: an outlet user's contract, else the dealer."""
    if user.b2b_role == "outlet":
        return user.b2b_contract_id
    return user.b2b_dealer_id


def _special_contracts(user):
    return allowed_contracts(user).filtered("special_conditions")


def finance_values(user, **values):
    """layout_values() of a finance page (with the tabs' data)."""
    values.setdefault("page_name", "b2b_finance")
    values.setdefault("has_quarter", bool(_special_contracts(user)))
    values.update(_formatting())
    return layout_values(**values)


class B2bFinance(http.Controller):

    # ------------------------------------------------------------------ balances, aging, ledger
    @http.route("/b2b/finance", type="http", auth="user", website=False)
    def finance(self, contract_id=None, date_from=None, date_to=None, **kw):
        user = ensure_dealer()
        contract = _chosen_contract(user, contract_id)
        period, error = _period(date_from, date_to)
        values = self._overview(user)
        statement = export_url = None
        if contract and period:
            statement = self._statement(contract, period)
            export_url = "/b2b/finance/ledger.xlsx?" + werkzeug.urls.url_encode({
                "contract_id": contract.id, "date_from": period.date_from.isoformat(),
                "date_to": period.date_to.isoformat()})
        return request.render("b2b_portal.finance_page", finance_values(
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

    def _overview(self, user):
        """Balances and aging of every contract the user acts for (as the user), the dealer's
        shipment block and the totals."""
        contracts = _user_contracts(user)
        aging = request.env["b2b.settlement.line"].b2b_aging(contracts) if contracts else {}
        rows = []
        for contract in allowed_contracts(user):
            figures = aging.get(contract.id)
            if figures is not None:
                rows.append({"contract": contract, "aging": figures})
        labels = [bucket["label"] for bucket in rows[0]["aging"]["buckets"]] if rows else []
        totals = None
        currencies = {row["contract"].currency_id for row in rows}
        if len(rows) > 1 and len(currencies) == 1:
            totals = {key: sum(row["aging"][key] for row in rows)
                      for key in ("balance", "not_due", "overdue")}
            totals["buckets"] = [sum(row["aging"]["buckets"][index]["amount"] for row in rows)
                                 for index in range(len(labels))]
            totals["oldest_days"] = max(row["aging"]["oldest_days"] for row in rows)
        holder = _holder(user)
        blocked = any(row["aging"]["blocked"] for row in rows) or bool(
            holder and holder.b2b_shipment_blocked)
        return {"aging_rows": rows, "bucket_labels": labels, "aging_totals": totals,
                "blocked": blocked}

    def _statement(self, contract, period):
        try:
            return request.env["b2b.settlement.line"].b2b_statement(
                contract, period.date_from.isoformat(), period.date_to.isoformat())
        except AccessError:
            raise werkzeug.exceptions.NotFound()

    @http.route("/b2b/finance/ledger.xlsx", type="http", auth="user", website=False)
    def ledger_xlsx(self, contract_id=None, date_from=None, date_to=None, **kw):
        """The ledger the finance page shows for the same parameters, as an xlsx file."""
        user = ensure_dealer()
        contract = _chosen_contract(user, contract_id)
        if not contract:
            raise werkzeug.exceptions.NotFound()
        period, error = _period(date_from, date_to)
        if error:
            return self.finance(contract_id=contract.id, date_from=date_from, date_to=date_to)
        statement = self._statement(contract, period)
        texts = {key: translate(request.env, text) for key, text in rules.XLSX_TEXTS.items()}
        data = rules.ledger_workbook(
            statement, texts, _selection_labels("b2b.settlement.line", "kind"),
            contract.sudo().display_name, period, currency=contract.sudo().currency_id.name)
        name = "ledger-%s-%s-%s.xlsx" % (contract.sudo().name, period.date_from.isoformat(),
                                         period.date_to.isoformat())
        return request.make_response(data, headers=[
            ("Content-Type", XLSX_MIME), ("Content-Disposition", content_disposition(name))])

    # ------------------------------------------------------------------ reconciliation acts
    @http.route(["/b2b/acts", "/b2b/acts/page/<int:page>"], type="http", auth="user",
                methods=["GET"], website=False)
    def acts(self, page=1, requested=None, **kw):
        user = ensure_dealer()
        period = rules.default_period(_today())
        return self._render_acts(user, page=page, requested=_as_id(requested), form={
            "contract_id": current_contract().id,
            "date_from": period.date_from.isoformat(),
            "date_to": period.date_to.isoformat()})

    @http.route("/b2b/acts", type="http", auth="user", methods=["POST"], website=False)
    def act_request(self, contract_id=None, date_from=None, date_to=None, **kw):
        """Request a reconciliation act: recorded and queued for 1C, with a preliminary act
        rendered from the ledger at once (b2b.reconciliation.request.b2b_request_act, as the
        user). A bad period or a refusal shows the form again with the reason, and nothing is
        created; a contract the user does not act for answers 404."""
        user = ensure_dealer()
        form = {"contract_id": _as_id(contract_id), "date_from": date_from or "",
                "date_to": date_to or ""}
        if not _as_id(contract_id):
            return self._render_acts(user, form=form, error=_("Choose the contract of the act."))
        contract = _chosen_contract(user, contract_id)
        Request = request.env["b2b.reconciliation.request"]
        try:
            # the model checks the period (b2b_base's rules for acts) before it creates anything
            with request.env.cr.savepoint():
                act_request = Request.b2b_request_act(
                    contract.id, (date_from or "").strip(), (date_to or "").strip())
        except (UserError, ValidationError) as refusal:
            request.env.cache.invalidate()
            return self._render_acts(user, form=form, error=_message(refusal))
        except AccessError:
            request.env.cache.invalidate()
            raise werkzeug.exceptions.NotFound()
        return werkzeug.utils.redirect("/b2b/acts?requested=%d" % act_request.id, 303)

    def _render_acts(self, user, page=1, form=None, error=None, requested=None):
        Request = request.env["b2b.reconciliation.request"]
        total = Request.search_count([])
        pager = portal_pager(url="/b2b/acts", total=total, page=page, step=ACTS_PAGE_SIZE)
        act_requests = Request.search([], offset=(max(page, 1) - 1) * ACTS_PAGE_SIZE,
                                      limit=ACTS_PAGE_SIZE)
        # the acts of the listed requests, as the user (what the user may download)
        documents = request.env["b2b.document"].search(
            [("request_id", "in", act_requests.ids)], order="preliminary, date desc, id desc")
        by_request = {}
        for document in documents:
            by_request.setdefault(document.request_id.id, request.env["b2b.document"])
            by_request[document.request_id.id] |= document
        return request.render("b2b_portal.acts_page", finance_values(
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
        user = ensure_dealer()
        Document = request.env["b2b.document"]
        kinds = _selection_labels("b2b.document", "kind")
        domain = []
        if kind and kind in kinds:
            domain.append(("kind", "=", kind))
        else:
            kind = ""
        contract = _chosen_contract(user, contract_id) if _as_id(contract_id) else None
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
            return werkzeug.utils.redirect(pager["page_end"]["url"], 303)
        contracts = allowed_contracts(user)
        return request.render("b2b_portal.documents_page", finance_values(
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
        ensure_dealer()
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
        return request.make_response(data, headers=[
            ("Content-Type", attachment.mimetype or "application/octet-stream"),
            ("Content-Disposition", content_disposition(filename)),
            ("X-Content-Type-Options", "nosniff")])

    # ------------------------------------------------------------------ quarterly reports
    @http.route("/b2b/finance/quarter", type="http", auth="user", website=False)
    def quarter(self, **kw):
        user = ensure_dealer()
        special = _special_contracts(user)
        Report = request.env["b2b.quarter.report"]
        reports = Report.search([("contract_id", "in", special.ids)]) if special else Report
        by_contract = {}
        for report in reports:
            by_contract.setdefault(report.contract_id.id, Report)
            by_contract[report.contract_id.id] |= report
        return request.render("b2b_portal.quarter_page", finance_values(
            user,
            finance_tab="quarter",
            special_contracts=special,
            reports_by_contract=by_contract,
            quarter_labels=_selection_labels("b2b.quarter.report", "quarter")))


class B2bOrdersDocuments(B2bOrders):
    """The order page lists the order's documents (read as the user)."""

    def _render_detail(self, detail, **values):
        values.setdefault("order_documents", request.env["b2b.document"].search(
            [("order_id", "=", detail["id"])]))
        values.setdefault("document_kinds", _selection_labels("b2b.document", "kind"))
        for key, function in _formatting().items():
            values.setdefault(key, function)
        return super(B2bOrdersDocuments, self)._render_detail(detail, **values)
