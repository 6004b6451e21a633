import base64
import io

from odoo import _, api, fields, models
from odoo.exceptions import AccessError

from ..tools import business_date


class B2bAgingReport(models.TransientModel):
    """Debt aging of all dealers for accountants: as of a date, filtered by dealer, manager and
    blocked state; one line per contract with the bucket amounts, drill-down to the ledger lines,
    xlsx export. 1C's summaries are shown where current, with the difference from the computed
    aging."""
    _name = "b2b.aging.report"
    _description = "Debt Aging Report"

    as_of = fields.Date("As of", required=True, default=business_date.default_today)
    dealer_ids = fields.Many2many("res.partner", string="Dealers",
                                  domain=[("b2b_is_dealer", "=", True)])
    manager_id = fields.Many2one("res.users", "Supplier Manager", domain=[("share", "=", False)])
    blocked_only = fields.Boolean(help="Only contracts with debt over the last "
                                       "bucket edge (shipments stopped).")
    overdue_only = fields.Boolean()
    line_ids = fields.One2many("b2b.aging.report.line", "report_id", "Lines", readonly=True)
    edges = fields.Char("Bucket Edges (days)", readonly=True)

    def _b2b_check_access(self):
        user = self.env.user
        if not (user.has_group("b2b_base.group_b2b_accountant")
                or user.has_group("b2b_base.group_b2b_manager")):
            raise AccessError(_("Only the supplier's accountants and managers can see the debt "
                                "aging report."))

    @api.multi
    def action_compute(self):
        """Fill the lines (one per contract with a debt or an advance) and show them."""
        self.ensure_one()
        self._b2b_check_access()
        Ledger = self.env["b2b.settlement.line"]
        edges = Ledger._b2b_aging_edges()
        domain = []
        if self.dealer_ids:
            domain.append(("dealer_id", "in", self.dealer_ids.ids))
        if self.manager_id:
            domain.append(("dealer_id.b2b_manager_id", "=", self.manager_id.id))
        # the contracts the user may read (a manager: those of their dealers)
        contracts = self.env["b2b.contract"].with_context(active_test=False).search(domain)
        agings = Ledger._b2b_agings(contracts.ids, Ledger._b2b_as_of(self.as_of), edges)
        self.line_ids.unlink()
        lines = []
        for contract in contracts.sudo():
            shown, source, computed, summary_date = agings[contract.id]
            if not (shown.balance or shown.not_due or shown.overdue or computed.balance):
                continue
            if self.blocked_only and not shown.blocked:
                continue
            if self.overdue_only and not shown.overdue:
                continue
            buckets = [cents / 100.0 for cents in shown.buckets]
            lines.append({
                "report_id": self.id, "contract_id": contract.id, "dealer_id": contract.dealer_id.id,
                "partner_id": contract.partner_id.id,
                "manager_id": contract.dealer_id.b2b_manager_id.id,
                "balance": shown.balance / 100.0, "not_due": shown.not_due / 100.0,
                "overdue_1": buckets[0], "overdue_2": buckets[1], "overdue_3": buckets[2],
                "overdue_4": buckets[3], "overdue": shown.overdue / 100.0,
                "oldest_days": shown.oldest_days, "blocked": shown.blocked, "source": source,
                "summary_date": summary_date and fields.Date.to_string(summary_date),
                "computed_balance": computed.balance / 100.0,
                "computed_overdue": computed.overdue / 100.0,
                "difference_overdue": (shown.overdue - computed.overdue) / 100.0,
                "difference_balance": (shown.balance - computed.balance) / 100.0,
            })
        Line = self.env["b2b.aging.report.line"]
        for vals in lines:
            Line.create(vals)
        self.edges = ",".join(str(edge) for edge in edges)
        return {
            "type": "ir.actions.act_window",
            "name": _("Debt Aging as of %s") % self.as_of,
            "res_model": "b2b.aging.report.line",
            "view_mode": "tree,pivot",
            "domain": [("report_id", "=", self.id)],
            "context": {"search_default_group_dealer": 1},
            "target": "current",
        }

    @api.multi
    def action_export_xlsx(self):
        """The report as an xlsx file (computed first when empty)."""
        self.ensure_one()
        self._b2b_check_access()
        if not self.line_ids:
            self.action_compute()
        data = self._b2b_xlsx()
        attachment = self.env["ir.attachment"].create({
            "name": "debt_aging_%s.xlsx" % self.as_of,
            "datas_fname": "debt_aging_%s.xlsx" % self.as_of,
            "datas": base64.b64encode(data),
            "res_model": self._name, "res_id": self.id,
            "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        })
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/web/content/%d?download=true" % attachment.id}

    def _b2b_xlsx(self):
        import openpyxl
        from openpyxl.styles import Font
        Line = self.env["b2b.aging.report.line"]
        labels = Line.fields_get()
        columns = ["dealer_id", "partner_id", "contract_id", "manager_id", "balance", "not_due",
                   "overdue_1", "overdue_2", "overdue_3", "overdue_4", "overdue", "oldest_days",
                   "blocked", "source", "computed_overdue", "difference_overdue"]
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = _("Debt Aging")[:31]
        sheet.append([_("Debt aging as of %s") % self.as_of])
        sheet.append([labels[name]["string"] for name in columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        sources = dict(Line._fields["source"]._description_selection(self.env))
        for line in self.line_ids.sorted(lambda l: (l.dealer_id.name or "", l.contract_id.name)):
            row = []
            for name in columns:
                value = line[name]
                if name in ("dealer_id", "partner_id", "manager_id"):
                    value = value.name or ""
                elif name == "contract_id":
                    value = value.name
                elif name == "source":
                    value = sources.get(value, value)
                elif name == "blocked":
                    value = _("yes") if value else ""
                row.append(value)
            sheet.append(row)
        total_row = [_("Total"), "", "", ""]
        for name in columns[4:11]:
            total_row.append(round(sum(self.line_ids.mapped(name)), 2))
        sheet.append(total_row)
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for index, width in enumerate([30, 30, 14, 20] + [14] * 12, start=1):
            sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = width
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()
