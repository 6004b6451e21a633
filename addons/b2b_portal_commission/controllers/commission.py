"""The commission agent's pages of the dealer portal: the consignment lists of the agent's
contracts, the report form of a month as an xlsx to fill in, the filled-in file uploaded (a draft
report with its commission, or the located problems and the agent's own file with the bad rows
marked, nothing saved), the agent's reports, and a report's page (lines, commission, state, the
reason of a rejection, 1C's closing documents, messages) with its actions: send for approval, back
to draft, delete.

Everything goes through the dealer API of ``b2b.commission.report`` (b2b_commission) as the
dealer's user: the record rules decide what is the agent's own, and a contract or report of
another dealer answers 404 whatever id a path or form carries."""
import base64
import datetime

import babel.dates
import werkzeug.exceptions

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.b2b_base.lib.xlsx_reader import MAX_SIZE
from odoo.addons.b2b_portal.controllers.portal_base import XLSX_MIME, B2bPortal

NOTICE_KEY = "b2b_commission_notice"


def _as_id(value):
    """A form's id as an int, or None."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class B2bCommissionPortal(B2bPortal):

    # ------------------------------------------------------------------ the frame
    def _prepare_b2b_layout_values(self, **values):
        """Every page knows whether the user's dealer is a commission agent (the menu item and
        the dashboard's shortcut to the reports are for agents only)."""
        result = super(B2bCommissionPortal, self)._prepare_b2b_layout_values(**values)
        user = result.get("b2b_user")
        if "b2b_commission_agent" not in values:
            result["b2b_commission_agent"] = bool(user and user.b2b_dealer_id.b2b_commission_agent)
        return result

    def _b2b_formatters(self):
        """b2b_portal's formatters and ``b2b_month``: a month ('2026-12' or a date of it) as the
        user's language names it ('December 2026', 'декабрь 2026')."""
        result = super(B2bCommissionPortal, self)._b2b_formatters()
        result["b2b_month"] = self._b2b_month_text
        return result

    def _b2b_month_text(self, value):
        if not value:
            return ""
        try:
            month = datetime.date(int(value[:4]), int(value[5:7]), 1)
        except (TypeError, ValueError):
            return value
        return babel.dates.format_date(month, "LLLL yyyy",
                                       locale=request.env.lang or "en_US")

    # ------------------------------------------------------------------ helpers
    def _commission_notice(self):
        """What the last action on a report did (kept in the session over its redirect), in the
        user's language, or None."""
        notice = request.session.pop(NOTICE_KEY, None)
        if notice == "submitted":
            return _("The report has been sent to the supplier for approval.")
        if notice == "reset":
            return _("The report is a draft again: correct it and send it again.")
        if notice == "deleted":
            return _("The draft report has been deleted.")
        return None

    def _commission_contract(self, contracts, contract_id):
        """The row of ``contracts`` (b2b_agent_contracts) with the id ``contract_id`` (a path's or
        a form's value), or 404: another dealer's contract, or no agent's contract at all."""
        wanted = _as_id(contract_id)
        for contract in contracts:
            if contract["id"] == wanted:
                return contract
        raise werkzeug.exceptions.NotFound()

    def _render_commission(self, error=None, problems=None, marked=None, form=None, status=200):
        """The agent's page: the consignment lists, the report form's download and the upload,
        the reports. ``problems`` (located messages) and ``marked`` ({name, href}) after a file
        that could not be taken."""
        Report = request.env["b2b.commission.report"]
        contracts = Report.b2b_agent_contracts()
        months = Report.b2b_report_months() if contracts else []
        reports = Report.b2b_reports()
        form = dict(form or {})
        if contracts and not form.get("contract_id"):
            form["contract_id"] = contracts[0]["id"]
        if months and not form.get("month"):
            # the month just ended is the one an agent reports (this month's report is partial)
            form["month"] = months[1] if len(months) > 1 else months[0]
        response = request.render(
            "b2b_portal_commission.commission_page", self._prepare_b2b_layout_values(
                page_name="b2b_commission", contracts=contracts, months=months, reports=reports,
                error=error, problems=problems or [], marked=marked, form=form,
                notice=self._commission_notice()))
        response.status_code = status
        return response

    def _render_report(self, report_id, error=None):
        try:
            report = request.env["b2b.commission.report"].b2b_report_view(report_id)
        except (AccessError, MissingError):
            raise werkzeug.exceptions.NotFound()
        return request.render(
            "b2b_portal_commission.report_page", self._prepare_b2b_layout_values(
                page_name="b2b_commission", report=report, error=error,
                notice=self._commission_notice()))

    # ------------------------------------------------------------------ the agent's page
    @http.route("/b2b/commission", type="http", auth="user", website=False)
    def commission(self, **kw):
        """The consignment lists of the agent's contracts, the report forms, the reports; a
        dealer that is not a commission agent is told so."""
        self._b2b_ensure_dealer()
        return self._render_commission()

    @http.route("/b2b/commission/<int:contract_id>/list.xlsx", type="http", auth="user",
                website=False)
    def commission_list(self, contract_id, month=None, **kw):
        """The consignment list of the contract as the report form of ``month`` (YYYY-MM), to
        fill in."""
        self._b2b_ensure_dealer()
        Report = request.env["b2b.commission.report"]
        contract = self._commission_contract(Report.b2b_agent_contracts(), contract_id)
        months = Report.b2b_report_months()
        month = month or (months[0] if months else None)
        if month not in months:
            return self._render_commission(
                error=_("Choose a month to report on from the list."),
                form={"contract_id": contract["id"]}, status=400)
        try:
            workbook = Report.b2b_list_workbook(contract["id"], month)
        except (AccessError, MissingError):
            raise werkzeug.exceptions.NotFound()
        except UserError as refusal:
            return self._render_commission(error=self._b2b_error_text(refusal),
                                           form={"contract_id": contract["id"], "month": month},
                                           status=400)
        return self._b2b_file_response(workbook["data"], workbook["name"])

    @http.route("/b2b/commission/upload", type="http", auth="user", methods=["POST"],
                website=False)
    def commission_upload(self, report_file=None, contract_id=None, month=None, **kw):
        """The filled-in report form: a draft report (the page of the report, to check and send),
        or the page again with every problem located and the agent's file with the bad rows
        marked to download (nothing is saved)."""
        self._b2b_ensure_dealer()
        Report = request.env["b2b.commission.report"]
        contract = self._commission_contract(Report.b2b_agent_contracts(), contract_id)
        form = {"contract_id": contract["id"], "month": month}
        if month not in Report.b2b_report_months():
            return self._render_commission(
                error=_("Choose a month to report on from the list."), form=form)
        if not hasattr(report_file, "read") or not report_file.filename:
            return self._render_commission(
                error=_("Choose the filled-in xlsx file of your report to upload."), form=form)
        # a byte more than the limit is enough for the report's reader to tell it is too large
        data = report_file.read(MAX_SIZE + 1)
        answer, error = self._b2b_attempt(Report.b2b_upload, contract["id"], month,
                                          report_file.filename, data,
                                          refusals=(UserError, ValidationError))
        if error:
            return self._render_commission(error=error, form=form)
        if answer.get("report_id"):
            return self._b2b_redirect("/b2b/commission/report/%d" % answer["report_id"])
        marked = None
        if answer.get("marked"):
            marked = {"name": answer.get("marked_name") or report_file.filename,
                      "href": "data:%s;base64,%s" % (
                          XLSX_MIME, base64.b64encode(answer["marked"]).decode("ascii"))}
        return self._render_commission(problems=answer.get("problems") or [], marked=marked,
                                       form=form)

    # ------------------------------------------------------------------ a report
    @http.route("/b2b/commission/report/<int:report_id>", type="http", auth="user",
                website=False)
    def commission_report(self, report_id, **kw):
        """The report: its state (the reason of a rejection), the lines with their commission and
        the totals, 1C's closing documents, the messages, and what the agent may do with it."""
        self._b2b_ensure_dealer()
        return self._render_report(report_id)

    def _commission_action(self, report_id, method, notice, target=None):
        self._b2b_ensure_dealer()
        Report = request.env["b2b.commission.report"]
        try:
            Report.b2b_report_view(report_id)
        except (AccessError, MissingError):
            raise werkzeug.exceptions.NotFound()
        # the report is the agent's own (read above): a refusal of the action is told on its page
        try:
            _result, error = self._b2b_attempt(getattr(Report, method), report_id,
                                               refusals=(UserError, ValidationError, AccessError))
        except MissingError:
            raise werkzeug.exceptions.NotFound()
        if error:
            return self._render_report(report_id, error=error)
        request.session[NOTICE_KEY] = notice
        return self._b2b_redirect(target or "/b2b/commission/report/%d" % report_id)

    @http.route("/b2b/commission/report/<int:report_id>/submit", type="http", auth="user",
                methods=["POST"], website=False)
    def commission_report_submit(self, report_id, **kw):
        """Send the draft report to the supplier for approval."""
        return self._commission_action(report_id, "b2b_submit", "submitted")

    @http.route("/b2b/commission/report/<int:report_id>/reset", type="http", auth="user",
                methods=["POST"], website=False)
    def commission_report_reset(self, report_id, **kw):
        """Put a rejected report back to draft, to correct it."""
        return self._commission_action(report_id, "b2b_reset", "reset")

    @http.route("/b2b/commission/report/<int:report_id>/delete", type="http", auth="user",
                methods=["POST"], website=False)
    def commission_report_delete(self, report_id, **kw):
        """Delete a draft report."""
        return self._commission_action(report_id, "b2b_delete", "deleted", "/b2b/commission")
