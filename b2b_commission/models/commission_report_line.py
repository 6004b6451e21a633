from odoo import _, api, fields, models
from odoo.addons import decimal_precision as dp
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

from ..lib import commission
from odoo.addons.b2b_base.tools.bulk import insert_rows
from odoo.addons.b2b_base.tools.rule_messages import render


# set by the report while it writes all its lines at once; it checks them all after
BULK_CONTEXT = "b2b_commission_lines_at_once"


class CommissionReportLine(models.Model):
    _name = "b2b.commission.report.line"
    _description = "Commission Agent Report Line"
    _order = "report_id, sequence, id"

    report_id = fields.Many2one("b2b.commission.report", required=True, index=True,
                                ondelete="cascade")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True, ondelete="restrict")
    qty_sold = fields.Float("Quantity Sold", digits=dp.get_precision("Product Unit of Measure"),
                            help="Units sold by the commission agent in the month.")
    qty_consigned = fields.Float(
        "Quantity on Consignment", digits=dp.get_precision("Product Unit of Measure"),
        help="Units the agent held on consignment, from the supplier's consignment list. "
             "Left at zero when unknown: the quantity sold is then not compared with it.")
    price_unit = fields.Float("Price", digits=dp.get_precision("Product Price"),
                              help="Price of one unit sold.")
    amount = fields.Monetary(compute="_compute_amount", store=True)
    commission_percent = fields.Float(
        "Commission (%)", digits=(16, 2), readonly=True,
        help="The percent of the line's amount the agent earns, from the contract's commission "
             "terms when the report was uploaded or submitted; empty when the contract has none.")
    commission_amount = fields.Monetary("Commission", compute="_compute_amount", store=True)
    source_row = fields.Integer("File Row", readonly=True,
                                help="The row of the agent's spreadsheet the line was read from.")
    currency_id = fields.Many2one("res.currency", related="report_id.currency_id", readonly=True)
    state = fields.Selection(related="report_id.state", readonly=True)
    partner_id = fields.Many2one("res.partner", related="report_id.partner_id", store=True,
                                 readonly=True, index=True)

    @api.depends("qty_sold", "price_unit", "commission_percent")
    def _compute_amount(self):
        for line in self:
            line.amount = commission.line_amount(line.qty_sold, line.price_unit)
            line.commission_amount = commission.line_commission(
                line._lib_line(), line.commission_percent or 0.0)

    def _lib_line(self):
        return commission.ReportLine(product=self.product_id.display_name or "", qty=self.qty_sold,
                                     price=self.price_unit, qty_consigned=self.qty_consigned or None,
                                     key=self.product_id.id)

    @api.constrains("product_id", "qty_sold", "qty_consigned", "price_unit", "report_id")
    def _check_lines(self):
        if self.env.context.get(BULK_CONTEXT):
            return   # the report's lines are written at once and checked once (the upload)
        for report in self.mapped("report_id"):
            problems = commission.line_problems(report._lib_lines())
            if problems:
                raise ValidationError(_('Report "%s":') % report.name + "\n"
                                      + render(self.env, problems))

    @api.model
    def _b2b_term_percents(self, contract, products):
        """{product id: commission percent} of ``products`` under the terms of ``contract`` (no
        contract: 0.0): the group of the terms is looked for once per product category."""
        if not contract:
            return {product.id: 0.0 for product in products}
        contract = contract.sudo()
        default, groups = contract._b2b_commission_terms()
        by_categ, result = {}, {}
        categ_of = {}
        if products:
            # the category alone, not the thousands of products' every field the ORM prefetches
            self.env.cr.execute("""SELECT p.id, t.categ_id FROM product_product p
                                     JOIN product_template t ON t.id = p.product_tmpl_id
                                    WHERE p.id IN %s""", (tuple(products.ids),))
            categ_of = dict(self.env.cr.fetchall())
        for product in products.sudo():
            categ = categ_of.get(product.id)
            if categ not in by_categ:
                # browsed alone: reading its category prefetches no other product
                group = contract._b2b_commission_group_key(product.browse(product.id), groups)
                by_categ[categ] = commission.commission_percent(group, default, groups) or 0.0
            result[product.id] = by_categ[categ]
        return result

    @api.model
    def _b2b_write_lines(self, report, values):
        """Replace the lines of the draft ``report`` with ``values`` (dicts of line values).

        What creating the lines one by one does, for all of them at once: the lines are checked
        together (``line_problems``, as ``_check_lines`` would) before anything is written, so a
        refused set leaves the draft as it was; each line's commission percent comes from the
        contract's terms, its amount and commission from the rules of lib/ on its values rounded
        as the fields store them (what ``_compute_amount`` gives); the lines go in one INSERT and
        the report's totals are written after them (what ``_compute_amount_total`` gives)."""
        report.ensure_one()
        self._check_report_draft(report)
        self.check_access_rights("create")
        fields_ = self._fields

        def rounding(name):
            digits = fields_[name].digits
            return lambda value: float_round(float(value or 0.0), precision_digits=digits[1]) \
                if digits else float(value or 0.0)
        qty, price = rounding("qty_sold"), rounding("price_unit")
        held = rounding("qty_consigned")
        # in the order the agent sees the lines (sequence, then the order written: the ids')
        rows = sorted((dict(vals, sequence=vals.get("sequence", 10), qty_sold=qty(vals.get("qty_sold")),
                            price_unit=price(vals.get("price_unit")),
                            qty_consigned=held(vals.get("qty_consigned")))
                       for vals in values), key=lambda vals: vals["sequence"])
        products = self.env["product.product"].sudo().browse(
            sorted({vals["product_id"] for vals in rows if vals.get("product_id")}))

        def lib_lines(names):
            return [commission.ReportLine(product=names.get(vals.get("product_id")) or "",
                                          qty=vals["qty_sold"], price=vals["price_unit"],
                                          qty_consigned=vals["qty_consigned"] or None,
                                          key=vals.get("product_id") or None)
                    for vals in rows]
        # the products' names (thousands of name_get) only for the messages of a refused set
        lib = lib_lines({product_id: "#%d" % product_id for product_id in products.ids})
        if commission.line_problems(lib):
            problems = commission.line_problems(lib_lines(dict(zip(
                products.ids, products.mapped("display_name")))))
            raise ValidationError(_('Report "%s":') % report.name + "\n" + render(self.env, problems))
        percents = self._b2b_term_percents(report.contract_id, products)
        for vals, line in zip(rows, lib):
            vals.update(report_id=report.id, partner_id=report.partner_id.id,
                        commission_percent=percents[vals["product_id"]],
                        amount=commission.line_amount(line.qty, line.price),
                        commission_amount=commission.line_commission(
                            line, percents[vals["product_id"]]))
        self._b2b_delete_lines(report)
        lines = self.browse(insert_rows(self, rows))
        lines.check_access_rule("create")
        self.invalidate_cache(ids=lines.ids)
        report.invalidate_cache(["line_ids"], report.ids)
        report.sudo()._write({
            "amount_total": commission.report_total(lib),
            "commission_total": round(sum(vals["commission_amount"] for vals in rows),
                                      commission.AMOUNT_DIGITS)})
        report.invalidate_cache(["amount_total", "commission_total"], report.ids)
        return lines

    def _b2b_delete_lines(self, report):
        """Delete the lines of the draft ``report`` as ``unlink`` would (access checked, their
        external ids and attachments with them) in a fixed number of queries: ``unlink``
        recomputes every deleted line's amount before it lets them go."""
        old = report.line_ids
        if not old:
            return
        old.check_access_rights("unlink")
        old.check_access_rule("unlink")
        ids = tuple(old.ids)
        # unlinking even no external id empties every cache of the registry: only when there is one
        for model, field in (("ir.model.data", "model"), ("ir.attachment", "res_model")):
            linked = self.env[model].sudo().search([(field, "=", self._name),
                                                    ("res_id", "in", list(ids))])
            if linked:
                linked.unlink()
        self.env.cr.execute("DELETE FROM b2b_commission_report_line WHERE id IN %s", (ids,))
        self.invalidate_cache(ids=list(ids))
        report.invalidate_cache(["line_ids"], report.ids)

    def _check_report_draft(self, reports):
        for report in reports:
            if report.state != "draft":
                raise UserError(_('Report "%(report)s" is %(state)s: its goods can be changed only '
                                  'while it is a draft.')
                                % {"report": report.name, "state": report._state_label()})

    @api.model
    def create(self, vals):
        self._check_report_draft(self.env["b2b.commission.report"].browse(vals.get("report_id")))
        return super(CommissionReportLine, self).create(vals)

    @api.multi
    def write(self, vals):
        reports = self.mapped("report_id")
        if vals.get("report_id"):
            reports |= reports.browse(vals["report_id"])
        self._check_report_draft(reports)
        return super(CommissionReportLine, self).write(vals)

    @api.multi
    def unlink(self):
        self._check_report_draft(self.mapped("report_id"))
        return super(CommissionReportLine, self).unlink()
