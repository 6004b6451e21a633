import base64
import datetime
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.b2b_base.lib import pricing
from odoo.addons.b2b_base.tools.rule_messages import translate

from ..lib import cart as rules
from ..lib import xlsx_order


class B2bCartUpload(models.Model):
    """An order file a dealer's user uploaded, matched against the contract's offers and waiting
    for the dealer to confirm the preview: nothing goes into the cart before that.

    The matched lines and the verdict on every row are kept as JSON (one upload can hold 10,000
    rows: one text field each instead of thousands of records), the file itself as an attachment
    so that the dealer can download it back with the bad rows marked. Uploads are the user's own
    (record rules as for carts) and short-lived: a confirmed upload and those older than a day are
    deleted when the user uploads or confirms the next one, and by a daily cron."""
    _name = "b2b.cart.upload"
    _inherit = ["b2b.portal.owned"]
    _description = "Dealer Order File Upload"
    _order = "id desc"
    _b2b_owner_fields = ("user_id", "contract_id")

    # an upload is kept this long for its preview
    _B2B_KEEP = datetime.timedelta(days=1)

    user_id = fields.Many2one("res.users", required=True, index=True, ondelete="cascade",
                              default=lambda self: self.env.uid, readonly=True)
    contract_id = fields.Many2one("b2b.contract", required=True, index=True,
                                  ondelete="cascade", readonly=True)
    dealer_id = fields.Many2one(related="contract_id.dealer_id", readonly=True, string="Dealer")
    file_name = fields.Char(required=True, readonly=True)
    file_data = fields.Binary("File", attachment=True, readonly=True)
    layout_json = fields.Text("Sheet Layout", readonly=True,
                              help="Where the order sits in the file: sheet, header row, columns.")
    lines_json = fields.Text("Matched Lines", readonly=True,
                             help="The lines the confirmed preview puts into the cart, as JSON.")
    results_json = fields.Text("Row Verdicts", readonly=True,
                               help="Every row of the file with its verdict, as JSON.")
    row_count = fields.Integer("Rows", readonly=True)
    line_count = fields.Integer("Matched Lines", readonly=True)
    rejected_count = fields.Integer("Rejected Rows", readonly=True)
    state = fields.Selection([("preview", "Waiting for confirmation"), ("done", "Added to cart")],
                             "Status", default="preview", required=True, readonly=True)

    @api.model
    def _b2b_not_yours(self):
        return _("The uploaded file does not exist or is not yours.")

    # ------------------------------------------------------------------ dealer API
    @api.model
    def b2b_upload(self, contract_id, filename, data):
        """Read the order file ``data`` (bytes, or base64 text) named ``filename`` and match it
        against the offers of ``contract_id`` for the current user; returns the new upload's id.

        A file that cannot be read as an order raises UserError with the reason (file, sheet, row
        or column named) and nothing is stored. One query finds the products of every SKU of the
        file and one more prices them, whatever the number of rows."""
        Cart = self.env["b2b.cart"]
        contract = Cart._b2b_contract_for_user(contract_id)
        Cart._b2b_check_open(contract)
        if isinstance(data, str):
            data = base64.b64decode(data)
        data = bytes(data or b"")
        values = self._b2b_read_file(contract, filename, data)
        self._b2b_clean_old()
        values.update({
            "user_id": self.env.uid,
            "contract_id": contract.id,
            "file_data": base64.b64encode(data),
        })
        return self.create(values).id

    @api.model
    def b2b_upload_sheet(self, upload_id, sheet):
        """Read the sheet titled ``sheet`` of the workbook the user uploaded (the file kept with
        the upload: nothing is uploaded again) and match it as ``b2b_upload`` did, in place of
        the sheet the preview showed. A sheet that holds no order raises UserError and changes
        nothing. Returns the upload's id."""
        upload = self._b2b_own(upload_id)
        if upload.state != "preview":
            raise UserError(_("The lines of the file %s are already in the cart.") % upload.file_name)
        Cart = self.env["b2b.cart"]
        contract = Cart._b2b_contract_for_user(upload.contract_id.id)
        Cart._b2b_check_open(contract)
        data = base64.b64decode(upload.sudo().file_data or b"")
        upload.write(self._b2b_read_file(contract, upload.file_name, data, sheet=sheet or ""))
        return upload.id

    @api.model
    def _b2b_read_file(self, contract, filename, data, sheet=None):
        """The values of an upload of the workbook ``data``: every sheet listed with the number
        of its rows whose SKU the catalog knows, and the sheet titled ``sheet`` (None: the one
        ``xlsx_order.choose_sheet`` picks) matched against the offers of ``contract``. A file or
        sheet that cannot be read as an order raises UserError with the reason (file, sheet, row
        or column named). One query finds the products of every SKU of the workbook and one more
        prices them, whatever the number of rows and sheets."""
        def render(problem):
            return problem.render(lambda text: translate(self.env, text))

        try:
            book = xlsx_order.read_order_book(data, filename)
        except xlsx_order.OrderFileError as error:
            raise UserError(render(error.problem))
        offers = self._b2b_offers_by_sku(contract, book.skus)
        if sheet is None:
            sheet = xlsx_order.choose_sheet(book, offers)
        chosen = book.sheet(sheet)
        if chosen is None:
            raise UserError(render(xlsx_order.Problem(
                "no_such_sheet", xlsx_order.NO_SUCH_SHEET, {"file": book.filename, "sheet": sheet})))
        if chosen.parsed is None:
            raise UserError(render(chosen.problem))
        parsed = chosen.parsed
        preview = xlsx_order.match_rows(parsed, offers, pricing.check_quantity)
        products = {row["id"]: row for row in self.env["product.product"].sudo().browse(
            [line.product_id for line in preview.lines]).read(["name", "uom_id"])}
        lines = [{
            "product_id": line.product_id,
            "sku": line.sku,
            "name": products[line.product_id]["name"],
            "unit": products[line.product_id]["uom_id"] and products[line.product_id]["uom_id"][1],
            "qty": line.qty,
            "price": line.offer.price,
            "amount": rules.line_amount(line.qty, line.offer.price),
            "rows": list(line.rows),
        } for line in preview.lines]
        results = [{
            "row": result.row,
            "sku": result.sku,
            "qty": result.qty,
            "product_id": result.product_id,
            "problem": self._b2b_problem_dict(result.problem),
            "note": self._b2b_problem_dict(result.note),
        } for result in preview.results]
        sheets = [{
            "title": item.title,
            "rows": len(item.parsed.rows) if item.parsed else 0,
            "matching": xlsx_order.matching_rows(item.parsed, offers) if item.parsed else 0,
            "problem": self._b2b_problem_dict(item.problem),
        } for item in book.sheets]
        return {
            "file_name": parsed.filename,
            "layout_json": json.dumps({"sheet": parsed.sheet, "header_row": parsed.header_row,
                                       "sku_column": parsed.sku_column,
                                       "qty_column": parsed.qty_column,
                                       "total_row": parsed.total_row,
                                       "after_total": parsed.after_total,
                                       "active": book.active, "sheets": sheets}),
            "lines_json": json.dumps(lines),
            "results_json": json.dumps(results),
            "row_count": len(results),
            "line_count": len(lines),
            "rejected_count": len(preview.rejected),
        }

    @api.model
    def b2b_upload_preview(self, upload_id):
        """What the preview page shows: the matched lines, the rejected rows with their reasons in
        the user's language, counts and totals."""
        upload = self._b2b_own(upload_id, "read")
        lines = json.loads(upload.lines_json or "[]")
        rejected, merged = [], 0

        def text(problem):
            return problem and translate(self.env, problem["template"]) % problem["params"]

        for result in json.loads(upload.results_json or "[]"):
            if result["problem"]:
                rejected.append({"row": result["row"], "sku": result["sku"], "qty": result["qty"],
                                 "code": result["problem"]["code"],
                                 "column": result["problem"]["column"],
                                 "message": text(result["problem"])})
            elif result["note"]:
                merged += 1
        total = rules.totals([(line["qty"], line["price"], None) for line in lines])
        contract = upload.contract_id.sudo()
        layout = json.loads(upload.layout_json or "{}")
        sheets = []
        for item in layout.get("sheets") or []:
            if item["problem"]:
                label = _("%(sheet)s — no order on this sheet") % {"sheet": item["title"]}
            else:
                label = _("%(sheet)s — rows matching the catalog: %(matching)s of %(rows)s") % {
                    "sheet": item["title"], "matching": item["matching"], "rows": item["rows"]}
            sheets.append(dict(item, label=label, message=text(item["problem"])))
        total_note = None
        if layout.get("total_row"):
            total_note = _("Row %(row)s is the totals row: the order ends there.") % {
                "row": layout["total_row"]}
            if layout.get("after_total"):
                total_note += " " + _("The rows below it (%(count)s) are not read as order "
                                      "lines.") % {"count": layout["after_total"]}
        return {
            "id": upload.id,
            "file_name": upload.file_name,
            "contract_id": contract.id,
            "contract": contract.display_name,
            "currency": contract.currency_id.name,
            "state": upload.state,
            "row_count": upload.row_count,
            "line_count": len(lines),
            "rejected_count": len(rejected),
            "merged_rows": merged,
            "lines": lines,
            "rejected": rejected,
            "amount": total.amount,
            "uploaded_on": upload.create_date,
            "sheet": layout.get("sheet"),
            "sheets": sheets,
            "total_note": total_note,
        }

    @api.model
    def b2b_upload_confirm(self, upload_id):
        """Add the matched lines of the preview to the user's cart under the upload's contract, in
        one call: a product already in the cart gets the file's quantity on top of its own. The
        user's other uploads are deleted. Returns the cart's id."""
        upload = self._b2b_own(upload_id)
        if upload.state != "preview":
            raise UserError(_("The lines of the file %s are already in the cart.") % upload.file_name)
        lines = json.loads(upload.lines_json or "[]")
        if not lines:
            raise UserError(_("The file %s has no line that can be ordered: nothing to add.")
                            % upload.file_name)
        Cart = self.env["b2b.cart"]
        cart_id = Cart.b2b_get_cart(upload.contract_id.id)
        current = Cart.browse(cart_id)._b2b_quantities()
        Cart.b2b_set_lines(cart_id, [(line["product_id"], current.get(line["product_id"], 0.0) +
                                      line["qty"]) for line in lines])
        upload.write({"state": "done"})
        self._b2b_own_uploads().filtered(lambda other: other != upload).sudo().unlink()
        return cart_id

    @api.model
    def b2b_upload_marked(self, upload_id):
        """The uploaded file back with a last column "Ошибка / Error" naming the reason on every
        rejected row (and the merge note on merged rows), in the user's language: (name, bytes)."""
        upload = self._b2b_own(upload_id, "read")
        layout = json.loads(upload.layout_json)
        parsed = xlsx_order.ParsedFile(upload.file_name, layout["sheet"], layout["header_row"],
                                       layout["sku_column"], layout["qty_column"], ())
        results = tuple(xlsx_order.RowResult(
            item["row"], item["sku"], item["qty"], item["product_id"],
            self._b2b_problem_from(item["problem"], upload.file_name, item["row"]),
            self._b2b_problem_from(item["note"], upload.file_name, item["row"]),
        ) for item in json.loads(upload.results_json or "[]"))
        preview = xlsx_order.Preview(parsed, (), results)
        data = base64.b64decode(upload.sudo().file_data or b"")
        try:
            marked = xlsx_order.marked_copy(data, preview,
                                            lambda text: translate(self.env, text))
        except xlsx_order.OrderFileError as error:
            raise UserError(error.problem.render(lambda text: translate(self.env, text)))
        name = upload.file_name.rsplit(".", 1)[0] + "-errors.xlsx"
        return name, marked

    # ------------------------------------------------------------------ helpers
    @api.model
    def _b2b_offers_by_sku(self, contract, skus):
        """{SKU as in the file: Offer} of the ``skus`` found by the SKU look-up of every way a
        dealer orders (``product.product._b2b_find_by_sku``: letter case and surrounding spaces
        do not matter), priced under ``contract``; goods the dealer may not buy are included, so
        that the preview says why a row is refused instead of calling the SKU unknown."""
        found = self.env["product.product"]._b2b_find_by_sku(skus)
        if not found:
            return {}
        offers = contract._b2b_offers(sorted(set(found.values())), include_hidden=True)
        return {sku: offers[pid] for sku, pid in found.items() if pid in offers}

    @staticmethod
    def _b2b_problem_dict(problem):
        if problem is None:
            return None
        return {"code": problem.code, "template": problem.template,
                "params": problem.params, "column": problem.column}

    @staticmethod
    def _b2b_problem_from(item, filename, row):
        if not item:
            return None
        return xlsx_order.Problem(item["code"], item["template"], item["params"], filename, row,
                                  item["column"])

    @api.model
    def _b2b_own_uploads(self):
        return self.search([("user_id", "=", self.env.uid)])

    @api.model
    def _b2b_past_their_day(self):
        """The domain of the uploads older than they are kept for (``_B2B_KEEP``)."""
        limit = fields.Datetime.to_string(datetime.datetime.now() - self._B2B_KEEP)
        return [("create_date", "<", limit)]

    @api.model
    def _b2b_clean_old(self):
        """Delete uploads past their day (of every user: they are of no use to anyone) and the
        current user's uploads already added to a cart."""
        old = self.sudo().search(["|"] + self._b2b_past_their_day() + [
            "&", ("user_id", "=", self.env.uid), ("state", "=", "done")])
        old.unlink()

    @api.model
    def b2b_cron_clean_uploads(self):
        """Daily (cron *Dealer portal: delete old order file uploads*): delete every upload past
        its day with its file, also of users who never upload again. Returns how many."""
        old = self.sudo().search(self._b2b_past_their_day())
        count = len(old)
        old.unlink()
        return count
