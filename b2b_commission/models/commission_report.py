import base64
import datetime

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError

from ..lib import commission, consignment_xlsx, report_export
from .commission_report_line import BULK_CONTEXT
from odoo.addons.b2b_base.lib import numbers
from odoo.addons.b2b_base.tools import business_date
from odoo.addons.b2b_base.tools.rule_messages import render, translate

STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
# (from, to) -> who may make the move: "editor" anyone who may write the report, "accountant"
TRANSITIONS = {
    ("draft", "submitted"): "editor",
    ("submitted", "approved"): "accountant",
    ("submitted", "rejected"): "accountant",
    ("rejected", "draft"): "editor",
}
# written by the report itself when its state moves, never directly
STAMP_FIELDS = {"submit_date", "decision_user_id", "decision_date"}


MONTHS_TO_REPORT = 3   # the months an agent may report from the portal: this one and the two before


class CommissionReport(models.Model):
    _name = "b2b.commission.report"
    _inherit = ["mail.thread"]
    _description = "Commission Agent Report"
    _order = "period desc, partner_id"

    name = fields.Char("Report", compute="_compute_name", store=True)
    partner_id = fields.Many2one(
        "res.partner", "Commission Agent", required=True, index=True, ondelete="restrict",
        domain=[("b2b_commission_agent", "=", True)],
        help="The dealer that holds the supplier's goods on consignment.")
    period = fields.Date(
        "Month", required=True, index=True, default=lambda self: commission.month_start(
            business_date.today(self.env)).strftime("%Y-%m-%d"),
        help="The month reported on, kept as its first day.")
    state = fields.Selection(STATES, "Status", default="draft", required=True, readonly=True,
                             copy=False, index=True)
    contract_id = fields.Many2one(
        "b2b.contract", index=True, ondelete="restrict",
        help="The commission contract the goods were held under (the consignment list the "
             "report was filled in from).")
    line_ids = fields.One2many("b2b.commission.report.line", "report_id", "Goods Sold", copy=True)
    commission_total = fields.Monetary("Commission", compute="_compute_amount_total", store=True,
                                       help="The agent's commission: the sum of the lines' "
                                            "commissions under the contract's terms.")
    source_file = fields.Binary("Agent's File", attachment=True, readonly=True, copy=False,
                                help="The spreadsheet the agent uploaded the report from.")
    source_name = fields.Char("File Name", readonly=True, copy=False)
    document_ids = fields.One2many("b2b.document", "commission_report_id", "Closing Documents",
                                   readonly=True,
                                   help="The agent's report, act and invoice 1C printed once the "
                                        "report was approved.")
    company_id = fields.Many2one("res.company", required=True,
                                 default=lambda self: self.env.user.company_id)
    currency_id = fields.Many2one("res.currency", related="company_id.currency_id", readonly=True)
    amount_total = fields.Monetary("Total", compute="_compute_amount_total", store=True)
    reject_reason = fields.Text("Reason for Rejection", readonly=True, copy=False)
    submit_date = fields.Datetime("Submitted On", readonly=True, copy=False)
    decision_user_id = fields.Many2one("res.users", "Decided By", readonly=True, copy=False)
    decision_date = fields.Datetime("Decided On", readonly=True, copy=False)

    _sql_constraints = [
        ("agent_contract_month_unique", "unique(partner_id, contract_id, period)",
         "The commission agent already has a report for this contract and month."),
    ]

    @api.depends("partner_id.name", "period")
    def _compute_name(self):
        for report in self:
            month = commission.as_date(report.period).strftime("%m.%Y") if report.period else ""
            report.name = "%s %s" % (report.partner_id.name or "", month)

    @api.depends("line_ids.amount", "line_ids.commission_amount")
    def _compute_amount_total(self):
        for report in self:
            report.amount_total = commission.report_total(report._lib_lines())
            report.commission_total = round(sum(report.line_ids.mapped("commission_amount")),
                                            commission.AMOUNT_DIGITS)

    def _lib_lines(self):
        """The report's lines for the rules in lib/, in the order the agent sees them. Read as
        superuser: a dealer's portal user may not read the product catalogue itself."""
        lines = self.sudo().line_ids.sorted(lambda l: (l.sequence, l.id or 0))
        return [line._lib_line() for line in lines]

    # ------------------------------------------------------------------ constraints
    @api.constrains("partner_id", "period", "contract_id")
    def _check_agent_and_month(self):
        for report in self:
            if not report.partner_id.b2b_commission_agent:
                raise ValidationError(_('"%s" is not a commission agent.')
                                      % report.partner_id.display_name)
            if report.contract_id and report.contract_id.dealer_id != report.partner_id:
                raise ValidationError(_('Contract %(contract)s is not a contract of "%(agent)s".')
                                      % {"contract": report.contract_id.name,
                                         "agent": report.partner_id.display_name})
            period = commission.as_date(report.period)
            problem = commission.period_problem(
                period, business_date.today(self.env))
            if problem:
                raise ValidationError(render(self.env, [problem]))

    def _check_one_per_month(self, partner_id, period, contract_id=False):
        """Checked before the row is written, so that the agent reads this message rather than the
        database's unique constraint (which still guards reports the user cannot see)."""
        same = self.search([("partner_id", "=", partner_id), ("period", "=", period),
                            ("contract_id", "=", contract_id or False),
                            ("id", "not in", self.ids)], limit=1)
        if same:
            raise ValidationError(
                _('The commission agent "%(agent)s" already has a report for %(month)s.')
                % {"agent": same.partner_id.display_name,
                   "month": commission.as_date(period).strftime("%m.%Y")})

    # ------------------------------------------------------------------ CRUD
    @api.model
    def _normalize(self, vals):
        if vals.get("period"):
            vals["period"] = commission.month_start(commission.as_date(vals["period"])).strftime("%Y-%m-%d")
        return vals

    @api.model
    def create(self, vals):
        vals = self._normalize(dict(vals))
        if vals.get("state", "draft") != "draft":
            raise UserError(_("A new commission report starts as a draft."))
        self._check_no_stamps(vals)
        if vals.get("partner_id") and vals.get("period"):
            self._check_one_per_month(vals["partner_id"], vals["period"], vals.get("contract_id"))
        return super(CommissionReport, self).create(vals)

    @api.multi
    def write(self, vals):
        vals = self._normalize(dict(vals))
        self._check_no_stamps(vals)
        # the thread's own fields (followers, messages) are not the report's content
        content = {name for name in vals if not name.startswith("message_")} - {"state", "reject_reason"}
        if content:
            self._check_draft()
        if "partner_id" in vals or "period" in vals or "contract_id" in vals:
            for report in self:
                report._check_one_per_month(vals.get("partner_id", report.partner_id.id),
                                            vals.get("period", report.period),
                                            vals.get("contract_id", report.contract_id.id))
        if "reject_reason" in vals and vals.get("state") != "rejected":
            raise UserError(_("A reason for rejection is given when a report is rejected."))
        if "state" not in vals:
            return super(CommissionReport, self).write(vals)
        for report in self:
            old_state = report.state
            super(CommissionReport, report).write(report._transition_values(vals))
            if report.state != old_state:
                report._b2b_notify_state()
        return True

    # ------------------------------------------------------------------ notices to the agent
    def _b2b_agent_partners(self):
        """Who hears of the report: the agent's administrators and the user who made it."""
        self.ensure_one()
        users = self.env["res.users"].sudo().search([
            ("partner_id.b2b_dealer_id", "=", self.partner_id.id), ("b2b_role", "=", "admin")])
        creator = self.sudo().create_uid
        if creator.b2b_role and creator.partner_id.b2b_dealer_id == self.partner_id:
            users |= creator
        return users.mapped("partner_id")

    def _b2b_notify_agent(self, subject, body):
        """A message on the report to the agent's people: sent by e-mail, shown on the portal's
        report page."""
        self.ensure_one()
        self.sudo().message_post(body=body, subject=subject,
                                 partner_ids=self._b2b_agent_partners().ids,
                                 message_type="comment", subtype="mail.mt_comment")

    def _b2b_notify_state(self):
        report = self.sudo().with_context(lang=self.partner_id.lang or self.env.lang)
        notice = report._b2b_state_notice()
        if notice:
            report._b2b_notify_agent(*notice)

    def _b2b_state_notice(self):
        """(subject, body) of the notice of the report's state, in the environment's language
        (``_`` takes it from ``self``), or None."""
        params = {"report": self.name}
        if self.state == "submitted":
            return (_("Commission report %(report)s submitted") % params,
                    _("Report %(report)s is submitted for approval: %(amount)s sold, commission "
                      "%(commission)s.") % dict(params, amount=self._b2b_money(self.amount_total),
                                                commission=self._b2b_money(self.commission_total)))
        if self.state == "approved":
            return (_("Commission report %(report)s approved") % params,
                    _("Report %(report)s is approved; the closing documents will follow from the "
                      "supplier's accounting.") % params)
        if self.state == "rejected":
            return (_("Commission report %(report)s rejected") % params,
                    _("Report %(report)s is rejected: %(reason)s Correct it and submit it again.")
                    % dict(params, reason=self.reject_reason))
        return None

    def _b2b_money(self, amount):
        lang = self.env.lang or "en_US"
        sep, point = self.env["res.lang"]._b2b_number_format(lang)
        return numbers.format_money(amount, self.currency_id.symbol or "",
                                    self.currency_id.position or "after", sep, point)

    def b2b_documents_arrived(self, documents):
        """1C's closing documents ``documents`` (b2b.document) of this approved report arrived:
        link them and tell the agent."""
        self.ensure_one()
        documents.sudo().write({"commission_report_id": self.id})
        report = self.sudo().with_context(lang=self.partner_id.lang or self.env.lang)
        report._b2b_notify_agent(*report._b2b_documents_notice(documents))

    def _b2b_documents_notice(self, documents):
        params = {"report": self.name, "documents": ", ".join(documents.sudo().mapped("name"))}
        return (_("Closing documents of commission report %(report)s") % params,
                _("The closing documents of report %(report)s have arrived: %(documents)s.")
                % params)

    @api.multi
    def unlink(self):
        self._check_draft()
        return super(CommissionReport, self).unlink()

    def _check_no_stamps(self, vals):
        if STAMP_FIELDS & set(vals):
            raise UserError(_("Submission and decision dates are set by the report itself."))

    def _check_draft(self):
        for report in self:
            if report.state != "draft":
                raise UserError(_('Report "%(report)s" is %(state)s: only draft reports can be '
                                  'changed.')
                                % {"report": report.name, "state": report._state_label()})

    def _state_label(self):
        return dict(self.fields_get(["state"])["state"]["selection"])[self.state]

    def _transition_values(self, vals):
        """``vals`` completed with the stamps of the state move, after checking the move is allowed."""
        self.ensure_one()
        new = vals["state"]
        if new == self.state:
            return vals
        who = TRANSITIONS.get((self.state, new))
        labels = dict(self.fields_get(["state"])["state"]["selection"])
        if not who:
            raise UserError(_('Report "%(report)s" cannot go from %(old)s to %(new)s.')
                            % {"report": self.name, "old": labels[self.state],
                               "new": labels.get(new, new)})
        if who == "accountant" and not self.env.user.has_group("b2b_base.group_b2b_accountant"):
            raise AccessError(_('Only accountants approve or reject commission reports ("%s").')
                              % self.name)
        vals = dict(vals)
        now = fields.Datetime.now()
        if new == "submitted":
            problems = commission.submission_problems(self._lib_lines())
            if problems:
                raise UserError(_('Report "%s" cannot be submitted:') % self.name + "\n"
                                + render(self.env, problems))
            vals["submit_date"] = now
        elif new == "rejected":
            if not (vals.get("reject_reason") or "").strip():
                raise UserError(_('Say why report "%s" is rejected: the agent needs the reason to '
                                  'correct it.') % self.name)
            vals.update(decision_user_id=self.env.uid, decision_date=now)
        elif new == "approved":
            vals.update(decision_user_id=self.env.uid, decision_date=now, reject_reason=False)
        elif new == "draft":
            vals.update(submit_date=False, decision_user_id=False, decision_date=False)
        return vals

    # ------------------------------------------------------------------ buttons
    @api.multi
    def action_submit(self):
        return self.write({"state": "submitted"})

    @api.multi
    def action_approve(self):
        return self.write({"state": "approved"})

    @api.multi
    def action_reject(self, reason):
        return self.write({"state": "rejected", "reject_reason": reason})

    @api.multi
    def action_reset_to_draft(self):
        return self.write({"state": "draft"})

    @api.multi
    def action_open_reject_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reject Report"),
            "res_model": "b2b.commission.report.reject",
            "view_mode": "form",
            "target": "new",
            "context": {"default_report_id": self.id},
        }

    # ------------------------------------------------------------------ the accountants' export
    @api.multi
    def action_export_xlsx(self):
        """The reports' lines as an xlsx for the supplier's accountants, downloaded at once."""
        labels = dict(self.fields_get(["state"])["state"]["selection"])
        titles = {"agent": _("Commission Agent"), "contract": _("Contract"), "month": _("Month"),
                  "state": _("Status"), "sku": _("SKU"), "product": _("Product"),
                  "held": _("Held"), "sold": _("Sold"), "price": _("Price"),
                  "amount": _("Amount"), "percent": _("Commission (%)"),
                  "commission": _("Commission"), "total": _("Total")}
        rows = []
        for report in self.sorted(lambda r: (r.period, r.partner_id.name or "", r.id)):
            for line in report.line_ids.sorted(lambda l: (l.sequence, l.id)):
                rows.append({
                    "agent": report.partner_id.name, "contract": report.contract_id.name or "",
                    "month": commission.as_date(report.period).strftime("%m.%Y"),
                    "state": labels[report.state], "sku": line.product_id.default_code or "",
                    "product": line.product_id.name, "held": line.qty_consigned,
                    "sold": line.qty_sold, "price": line.price_unit, "amount": line.amount,
                    "percent": line.commission_percent, "commission": line.commission_amount})
        data = report_export.reports_workbook(_("Commission Reports"), titles, rows)
        name = "commission-reports-%s.xlsx" % fields.Date.context_today(self)
        attachment = self.env["ir.attachment"].create({
            "name": name, "datas_fname": name, "datas": base64.b64encode(data),
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/web/content/%d?download=true" % attachment.id}

    # ------------------------------------------------------------------ terms and lines
    def _b2b_apply_terms(self):
        """Set each line's commission percent from the contract's terms (while a draft): the
        lines whose percent changes are written together, one write per new percent."""
        Line = self.env["b2b.commission.report.line"]
        for report in self.filtered(lambda r: r.state == "draft"):
            lines = report.line_ids.sudo()
            percents = Line._b2b_term_percents(report.contract_id, lines.mapped("product_id"))
            changed = {}
            for line in lines:
                percent = percents[line.product_id.id]
                if line.commission_percent != percent:
                    changed.setdefault(percent, []).append(line.id)
            for percent, ids in sorted(changed.items()):
                lines.browse(ids).with_context(**{BULK_CONTEXT: True}).write(
                    {"commission_percent": percent})

    def _b2b_replace_lines(self, values):
        """Replace the draft's lines with ``values`` (dicts of line values) at once: checked once,
        all together, before anything is written (a refused set of lines leaves the draft as it
        was), then written in one go with their commission from the contract's terms (the line
        model's ``_b2b_write_lines``)."""
        self.ensure_one()
        self.env["b2b.commission.report.line"]._b2b_write_lines(self, values)

    # ------------------------------------------------------------------ the agent's portal API
    def _b2b_own_agent(self):
        """The commission agent (dealer) the current user works for, or an empty record."""
        user = self.env.user
        if not user.b2b_role:
            return self.env["res.partner"]
        dealer = user.partner_id.sudo().b2b_dealer_id
        return dealer if dealer.b2b_commission_agent else self.env["res.partner"]

    def _b2b_own_contract(self, contract_id):
        """The contract ``contract_id`` of the current user's agent (as superuser), or AccessError:
        one the user acts for (b2b_base's scope of the user: an outlet's user, its contract only)."""
        agent = self._b2b_own_agent()
        contract = self.env["b2b.contract"].sudo().browse(
            int(contract_id) if str(contract_id or "").isdigit() else 0).exists()
        if not agent or not contract or contract.dealer_id != agent \
                or contract not in self.env.user.b2b_allowed_contract_ids:
            raise AccessError(_("This contract is not among your commission contracts."))
        return contract

    def _b2b_own_report(self, report_id):
        """The report ``report_id`` as the current user reads it (record rules), or an error."""
        report = self.browse(int(report_id) if str(report_id or "").isdigit() else 0).exists()
        if not report:
            raise MissingError(_("This commission report does not exist."))
        report.check_access_rights("read")
        report.check_access_rule("read")
        return report

    @staticmethod
    def _b2b_month(month):
        """The first day (a date) of ``month`` ("YYYY-MM" or a date string), or UserError."""
        try:
            return datetime.datetime.strptime(str(month or "")[:7], "%Y-%m").date()
        except ValueError:
            raise UserError(_('"%s" is not a month (YYYY-MM).') % (month or ""))

    @api.model
    def b2b_report_months(self):
        """The months the agent may report from the portal, newest first: ["YYYY-MM", ...]."""
        month = commission.month_start(business_date.today(self.env))
        result = []
        for _index in range(MONTHS_TO_REPORT):
            result.append(month.strftime("%Y-%m"))
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        return result

    @api.model
    def b2b_agent_contracts(self):
        """The current user's agent's commission contracts with their consignment lists."""
        agent = self._b2b_own_agent()
        if not agent:
            return []
        contracts = self.env.user.b2b_allowed_contract_ids.sudo().filtered(
            lambda contract: contract.dealer_id == agent and contract.state == "active")
        Line = self.env["b2b.consignment.line"].sudo()
        result = []
        for contract in contracts:
            lines = Line.search([("contract_id", "=", contract.id)])
            if not lines and not contract.b2b_commission_term_ids:
                continue
            result.append({
                "id": contract.id, "name": contract.display_name,
                "as_of": max(lines.mapped("date")) if lines else False,
                "lines": [{"product_id": line.product_id.id,
                           "sku": line.product_id.default_code or "",
                           "name": line.product_id.name, "unit": line.product_id.uom_id.name,
                           "handed": line.qty_handed, "sold": line.qty_sold,
                           "returned": line.qty_returned, "remaining": line.qty,
                           "price": line.price_unit} for line in lines],
            })
        return result

    def _b2b_consignment_rows(self, contract):
        """The goods with an SKU on ``contract``'s consignment list, in one query: [(SKU,
        product id, name and unit in the user's language, quantity held)], in the list's order
        (a list of thousands of goods read through the ORM would take seconds)."""
        self.env.cr.execute("""
            SELECT pp.default_code, pp.id, COALESCE(NULLIF(tn.value, ''), pt.name),
                   COALESCE(NULLIF(tu.value, ''), u.name), c.qty
              FROM b2b_consignment_line c
              JOIN product_product pp ON pp.id = c.product_id
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
              JOIN product_uom u ON u.id = pt.uom_id
              LEFT JOIN ir_translation tn ON tn.type = 'model' AND tn.name = 'product.template,name'
                                         AND tn.res_id = pt.id AND tn.lang = %(lang)s
              LEFT JOIN ir_translation tu ON tu.type = 'model' AND tu.name = 'product.uom,name'
                                         AND tu.res_id = u.id AND tu.lang = %(lang)s
             WHERE c.contract_id = %(contract)s AND COALESCE(pp.default_code, '') <> ''
             ORDER BY c.product_id""", {"contract": contract.id, "lang": self.env.lang or "en_US"})
        return self.env.cr.fetchall()

    def _b2b_list_items(self, contract):
        return [consignment_xlsx.ListItem(sku=sku, name=name, unit=unit or "", qty=qty)
                for sku, _product, name, unit, qty in self._b2b_consignment_rows(contract)]

    @api.model
    def b2b_list_workbook(self, contract_id, month):
        """The consignment list of the agent's ``contract_id`` made for filling in for ``month``:
        {"name": file name, "data": bytes of the xlsx}."""
        contract = self._b2b_own_contract(contract_id)
        period = self._b2b_month(month)
        data = consignment_xlsx.write_list(self._b2b_list_items(contract),
                                           contract.dealer_id.name, contract.name, period)
        name = "otchet-komissionera-%s-%s.xlsx" % (
            "".join(c if c.isalnum() else "-" for c in contract.name), period.strftime("%Y-%m"))
        return {"name": name, "data": data}

    @api.model
    def b2b_upload(self, contract_id, month, filename, data):
        """The agent uploads the filled-in list of ``contract_id`` for ``month``. When every row
        is good, the month's draft of that contract is made (or a draft or rejected one replaced)
        and {"report_id"} is returned; otherwise nothing is saved and the answer is
        {"problems": [located messages], "marked_name", "marked": the agent's file with the bad
        rows marked (False when it could not be read at all)}."""
        contract = self._b2b_own_contract(contract_id)
        period = self._b2b_month(month)
        by_sku = {sku: (product, qty)
                  for sku, product, _name, _unit, qty in self._b2b_consignment_rows(contract)}

        def known(texts):
            found = self.env["product.product"].sudo().search_read(
                [("default_code", "in", sorted(texts))], ["default_code"])
            return {row["default_code"] for row in found}

        data = base64.b64decode(data) if isinstance(data, str) else data
        parsed = consignment_xlsx.read_report(
            data, filename, {sku: qty for sku, (_product, qty) in by_sku.items()}, known=known)
        problems = list(parsed.problems) or consignment_xlsx.upload_problems(
            parsed, contract.name, period)
        if problems:
            def tr(text):
                return translate(self.env, text)
            marked = False
            if parsed.readable and parsed.bad_rows:
                marked = consignment_xlsx.marked_copy(data, parsed, translate=tr)
            return {"problems": [problem.render(tr) for problem in problems],
                    "marked_name": (parsed.filename.rsplit(".", 1)[0] + "-errors.xlsx")
                    if marked else False,
                    "marked": marked}
        report = self.search([("partner_id", "=", contract.dealer_id.id),
                              ("contract_id", "=", contract.id),
                              ("period", "=", period.strftime("%Y-%m-%d"))], limit=1)
        if report and report.state in ("submitted", "approved"):
            raise UserError(_('The report "%(report)s" is %(state)s: it cannot be replaced.')
                            % {"report": report.name, "state": report._state_label()})
        if report and report.state == "rejected":
            report.action_reset_to_draft()
        values = {"source_file": base64.b64encode(data), "source_name": parsed.filename}
        if report:
            report.write(values)
        else:
            report = self.with_context(mail_create_nolog=True).create(dict(
                values, partner_id=contract.dealer_id.id, contract_id=contract.id,
                period=period.strftime("%Y-%m-%d")))
        by_key = {consignment_xlsx.sku_key(sku): held for sku, held in by_sku.items()}
        values = []
        for number, row in enumerate(parsed.rows, 1):
            product, qty = by_key[consignment_xlsx.sku_key(row.sku)]
            values.append({"sequence": number, "source_row": row.row, "product_id": product,
                           "qty_consigned": qty, "qty_sold": row.qty, "price_unit": row.price})
        report._b2b_replace_lines(values)
        return {"report_id": report.id}

    def _b2b_summary(self):
        return {"id": self.id, "name": self.name,
                "contract": self.sudo().contract_id.display_name or "",
                "period": self.period, "state": self.state, "state_label": self._state_label(),
                "amount_total": self.amount_total, "commission_total": self.commission_total,
                "reject_reason": self.reject_reason or ""}

    @api.model
    def b2b_reports(self):
        """The current user's agent's reports, newest first."""
        agent = self._b2b_own_agent()
        if not agent:
            return []
        return [report._b2b_summary() for report in self.search([("partner_id", "=", agent.id)])]

    @api.model
    def b2b_report_view(self, report_id):
        """What the report page shows of ``report_id`` (the user's agent's report)."""
        report = self._b2b_own_report(report_id)
        result = report._b2b_summary()
        lines = report.sudo().line_ids.sorted(lambda l: (l.sequence, l.id))
        result.update(
            currency_symbol=report.currency_id.symbol or "",
            submit_date=report.submit_date or False, decision_date=report.decision_date or False,
            lines=[{"sku": line.product_id.default_code or "", "name": line.product_id.name,
                    "qty_consigned": line.qty_consigned, "qty_sold": line.qty_sold,
                    "price": line.price_unit, "amount": line.amount,
                    "percent": line.commission_percent if report.contract_id.sudo()
                    .b2b_commission_term_ids else None,
                    "commission": line.commission_amount} for line in lines],
            documents=[{"id": doc.id, "name": doc.name, "number": doc.number or "",
                        "kind": doc.kind, "date": doc.date} for doc in report.document_ids],
            messages=[{"date": message.date, "body": message.body}
                      for message in report.sudo().message_ids.filtered(
                          lambda m: m.message_type == "comment" and m.body)],
            can_submit=report.state == "draft" and bool(lines),
            can_reset=report.state == "rejected", can_delete=report.state == "draft")
        return result

    @api.model
    def b2b_submit(self, report_id):
        report = self._b2b_own_report(report_id)
        report._b2b_apply_terms()
        report.action_submit()
        return True

    @api.model
    def b2b_reset(self, report_id):
        self._b2b_own_report(report_id).action_reset_to_draft()
        return True

    @api.model
    def b2b_delete(self, report_id):
        """Delete the agent's draft ``report_id``. Deleted as superuser once the user's right to
        delete it is checked: Odoo 11 removes the agent's file (an attachment) after the report's
        row, and would then refuse a portal user the attachment of a record that is gone."""
        report = self._b2b_own_report(report_id)
        report.check_access_rights("unlink")
        report.check_access_rule("unlink")
        report._check_draft()
        report.sudo().unlink()
        return True
