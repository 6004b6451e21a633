"""Order by xlsx: the dealer fills a workbook with SKUs and quantities and the portal previews it.

- ``read_order_file``: one sheet (the first unless named) of an uploaded workbook as
  ``ParsedFile`` rows (sheet row number, SKU text, quantity or the row's problem). A file that
  cannot be read raises ``OrderFileError`` carrying one ``Problem`` (an error code, an English
  template, parameters). A totals row («Итого», «Всего», «Total») ends the order: it and the
  rows below it (signatures, notes, «в т.ч. НДС») are not order rows.
- ``read_order_book``: every visible sheet of the workbook (an instructions sheet often comes
  first) as an ``OrderBook``; ``choose_sheet`` picks the sheet the preview starts from: the
  active sheet when its rows match the catalog, otherwise the sheet with the most matching rows.
- ``match_rows``: the rows matched against the dealer's offers (``{SKU text of a row: offer}``, as
  the portal's SKU look-up answered it; an offer is any object with the attributes of b2b_base's
  ``Offer``) as a ``Preview``: the order lines, and every row with its verdict. Rows of one product are merged into one line and the merged quantity is
  checked with the ``check_quantity`` the caller passes (b2b_base's ordering rule).
- ``marked_copy``: the dealer's own file back, with a last column "Ошибка / Error" on the rejected
  rows and the merged ones.
- ``template_file``: an empty order workbook to download.

Messages are ``Problem``s of b2b_base's ``lib.messages`` (a row's is located at its file, row and
column), English templates marked with ``_`` so that Odoo's translation export picks them up; the
ORM layer translates a template and then fills in its parameters (``Problem.render``).
Nothing here touches the database: a preview changes nothing.
"""
import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from odoo.addons.b2b_base.lib import messages, pricing, xlsx_reader
from odoo.addons.b2b_base.lib.messages import _
from odoo.addons.b2b_base.lib.numbers import format_plain
# the one reader of uploaded workbooks: its limits, checks, cell helpers and row messages
from odoo.addons.b2b_base.lib.xlsx_reader import (  # noqa: F401 (this module's API too)
    CORRUPT_FILE, EMPTY_FILE, ERROR_COLUMN_TITLE, MAX_ROWS, MAX_SIZE, MAX_UNPACKED, NO_WORKSHEET,
    OLD_XLS, PASSWORD_PROTECTED, QTY_EMPTY, QTY_NOT_NUMBER, QTY_NOT_POSITIVE, SKU_EMPTY,
    SKU_IS_DATE, UNKNOWN_SKU, Limits, Problem, blank as _blank, cell_at as _cell,
    normalize_sku, refuse as _refuse, shown as _shown, sku_text as _sku_text)
from odoo.addons.b2b_base.lib.xlsx_reader import FileError as OrderFileError


HEADER_SCAN_ROWS = 20                   # the header is looked for in the first non-empty rows
TEMPLATE_HEADER = ("Артикул", "Количество")

# Column titles, lower case, best first: "Артикул" is preferred to "Код" when a sheet has both
# (a 1C export often carries its own internal code beside the SKU).
SKU_TITLES = ("артикул", "sku", "article", "код", "code")
QTY_TITLES = ("количество", "кол-во", "qty", "quantity")
# A cell that says the row is the order's total (": " and case aside; "Итого по заказу" too)
TOTAL_TITLES = ("итого", "всего", "итог", "total", "grand total", "subtotal", "sum total")
# What makes a sheet "not an order" rather than the whole file unreadable
SHEET_PROBLEMS = ("empty_workbook", "no_sku_column", "no_qty_column", "too_many_rows")


# ------------------------------------------------------------------ file-level messages
FILE_TOO_LARGE = _('The file "%(file)s" is %(size)s MB; an order file can be at most %(limit)s MB.')
UNPACKED_TOO_LARGE = _('The file "%(file)s" holds %(size)s MB of data once unpacked; an order file '
                       'can hold at most %(limit)s MB. Keep only the order sheet in the workbook '
                       'and save it again.')
NOT_XLSX = _('The file "%(file)s" is not an Excel workbook (.xlsx). Save the order as an Excel '
             'Workbook (.xlsx) and upload it again; CSV, PDF and other formats are not read.')
EMPTY_SHEET = _('The sheet "%(sheet)s" of the file "%(file)s" is empty. Put the SKUs and '
                'quantities on the sheet of the order.')
QTY_TITLE_WITHOUT_SKU = _('No SKU column found on the sheet "%(sheet)s" of the file '
                          '"%(file)s": row %(row)s has a quantity column (%(column)s) but no '
                          'column titled "Артикул", "Код", "SKU", "Article" or "Code".')
UNKNOWN_TITLES = _('No SKU column found on the sheet "%(sheet)s" of the file "%(file)s": '
                   'row %(row)s looks like a header (%(titles)s) but none of its titles is known. '
                   'Title the columns "Артикул" and "Количество", or leave out the header and put '
                   'the SKUs in the first column and the quantities in the second.')
NO_QTY_COLUMN = _('No quantity column found on the sheet "%(sheet)s" of the file '
                  '"%(file)s": row %(row)s has the SKU column %(column)s but no column titled '
                  '"Количество", "Кол-во", "Qty" or "Quantity".')
NO_ORDER_SHEET = _('No sheet of the file "%(file)s" holds an order (sheets: %(sheets)s). Put the '
                   'SKUs in a column titled "Артикул" and the quantities in a column titled '
                   '"Количество" on one sheet.')
NO_SUCH_SHEET = _('The file "%(file)s" has no sheet "%(sheet)s" holding an order.')
TOO_MANY_ROWS = _('The file "%(file)s" has more than %(limit)s order rows (row %(row)s is past the '
                  'limit). Split the order into files of at most %(limit)s rows.')
WORDING = xlsx_reader.Wording(FILE_TOO_LARGE, UNPACKED_TOO_LARGE, NOT_XLSX, EMPTY_SHEET)

# ------------------------------------------------------------------ row messages
NOT_VISIBLE = _('the product "%(sku)s" is not available to you')
FORBIDDEN_REGION = _('the product "%(sku)s" cannot be bought in your region')
NO_PRICE = pricing.NO_PRICE_OF     # a price on request: the one message of every way by SKU
BELOW_MIN_QTY = _("the minimum order quantity is %(min_qty)s (ordered %(qty)s)")
NOT_MULTIPLE = _("order in multiples of %(multiple)s (ordered %(qty)s)")
QTY_REFUSED = _("the quantity %(qty)s cannot be ordered")
MERGED = _('rows %(rows)s hold the same product "%(sku)s": merged into one line of %(qty)s')

# What ``check_quantity`` answers (b2b_base's codes) -> (our reason code, template)
_QTY_RULES = {
    "qty_not_positive": ("bad_qty", QTY_NOT_POSITIVE),
    "below_min_qty": ("below_min_qty", BELOW_MIN_QTY),
    "not_multiple": ("not_multiple", NOT_MULTIPLE),
}

@dataclass(frozen=True)
class OrderRow:
    """One non-empty row of the sheet: ``sku`` is the SKU as text (spaces trimmed), ``qty`` the
    quantity as a number, or None with ``problem`` saying what is wrong with the row."""
    row: int
    sku: str
    qty: float = None
    problem: Problem = None


@dataclass(frozen=True)
class ParsedFile:
    filename: str
    sheet: str
    header_row: int             # None when the sheet has no header (SKU, qty in the first columns)
    sku_column: int             # 1-based
    qty_column: int
    rows: tuple                 # OrderRow, in sheet order
    limits: Limits = Limits()
    total_row: int = None       # the totals row that ended the order, if any
    after_total: int = 0        # non-empty rows below it, not read

    @property
    def skus(self):
        """The distinct SKU texts of the file (to fetch only the offers the file needs)."""
        return {row.sku for row in self.rows if row.sku}


@dataclass(frozen=True)
class RowResult:
    """The verdict on one row: matched to ``product_id``, or rejected with ``problem``; ``note``
    tells that the row was merged with other rows of the same product."""
    row: int
    sku: str
    qty: float
    product_id: int = None
    problem: Problem = None
    note: Problem = None

    @property
    def rejected(self):
        return self.problem is not None

    @property
    def status(self):
        return "rejected" if self.problem is not None else "matched"


@dataclass(frozen=True)
class PreviewLine:
    """A line the confirmed preview puts in the cart: the rows of one product, quantities summed."""
    product_id: int
    sku: str
    qty: float
    rows: tuple
    offer: object = None


@dataclass(frozen=True)
class Preview:
    parsed: ParsedFile
    lines: tuple                # PreviewLine, in the order of their first row
    results: tuple              # RowResult for every row of ``parsed``, in sheet order

    @property
    def rejected(self):
        return tuple(result for result in self.results if result.problem is not None)

    @property
    def ok(self):
        return not self.rejected

    def reasons(self):
        """{reason code: number of rejected rows}, for a summary above the table."""
        counts = {}
        for result in self.rejected:
            counts[result.problem.code] = counts.get(result.problem.code, 0) + 1
        return counts


def parse_qty(value):
    """A quantity cell as a number: numbers, "5", "5,5" (decimal comma), "1 000" (spaced
    thousands). Returns (qty, problem template or None, params)."""
    qty, reason, params = xlsx_reader.parse_number(value)
    if reason == "empty":
        return None, QTY_EMPTY, params
    if reason is not None:
        return None, QTY_NOT_NUMBER, params
    return qty, None, params


# ------------------------------------------------------------------ reading
def _find_columns(head, name, sheet_title):
    """(header row, SKU column, qty column) from the first non-empty rows."""
    for number, cells in head:
        sku_column = xlsx_reader.best_column(cells, SKU_TITLES)
        if sku_column is None:
            continue
        qty_column = xlsx_reader.best_column(cells, QTY_TITLES, skip=(sku_column,))
        if qty_column is not None:
            return number, sku_column, qty_column
    for number, cells in head:
        sku_column = xlsx_reader.best_column(cells, SKU_TITLES)
        if sku_column is not None:
            _refuse("no_qty_column", NO_QTY_COLUMN, file=name, sheet=sheet_title, row=number,
                    column=get_column_letter(sku_column))
        qty_column = xlsx_reader.best_column(cells, QTY_TITLES)
        if qty_column is not None:
            _refuse("no_sku_column", QTY_TITLE_WITHOUT_SKU, file=name, sheet=sheet_title,
                    row=number, column=get_column_letter(qty_column))
    # no header: the SKU in the leftmost used column, the quantity in the next one
    first = min(index for _number, cells in head
                for index, cell in enumerate(cells, 1) if not _blank(cell.value))
    # ... unless the first row is titles nobody knows: text where the rows below have numbers
    number, cells = head[0]
    sku_value = _cell(cells, first).value
    qty_value = _cell(cells, first + 1).value
    if (isinstance(sku_value, str) and isinstance(qty_value, str)
            and parse_qty(qty_value)[1] is not None
            and any(parse_qty(_cell(below, first + 1).value)[1] is None for _n, below in head[1:])):
        titles = ", ".join('"%s"' % _shown(cell.value) for cell in cells if not _blank(cell.value))
        _refuse("no_sku_column", UNKNOWN_TITLES, file=name, sheet=sheet_title, row=number,
                titles=titles)
    return None, first, first + 1


def read_order_file(data, filename, max_rows=MAX_ROWS, max_size=MAX_SIZE,
                    max_unpacked=MAX_UNPACKED, sheet=None):
    """ParsedFile of the sheet titled ``sheet`` (the first one when None) of the xlsx ``data``;
    raises OrderFileError when the file cannot be read as an order. Cell values are read as Excel
    last saved them (formulas are not computed)."""
    name = xlsx_reader.base_name(filename, "order.xlsx")
    limits = Limits(max_rows, max_size, max_unpacked)
    workbook = xlsx_reader.load(data, name, limits, WORDING, read_only=True)
    try:
        if sheet is None:
            found = xlsx_reader.first_sheet(workbook, name)
        elif sheet in workbook.sheetnames:
            found = workbook[sheet]
        else:
            _refuse("no_such_sheet", NO_SUCH_SHEET, file=name, sheet=sheet)
        return _read_sheet(found, name, limits)
    finally:
        workbook.close()


@dataclass(frozen=True)
class SheetRead:
    """One sheet of a workbook: ``parsed`` when it reads as an order, else ``problem`` (empty,
    no SKU or quantity column, too many rows)."""
    title: str
    parsed: ParsedFile = None
    problem: Problem = None


@dataclass(frozen=True)
class OrderBook:
    """The visible sheets of an order workbook, in the workbook's order; ``active`` is the title
    of the sheet Excel opens the workbook on."""
    filename: str
    sheets: tuple
    active: str

    @property
    def skus(self):
        """The distinct SKU texts of every sheet that reads as an order."""
        return {sku for sheet in self.sheets if sheet.parsed for sku in sheet.parsed.skus}

    def sheet(self, title):
        """The SheetRead titled ``title``, or None."""
        return next((sheet for sheet in self.sheets if sheet.title == title), None)


def read_order_book(data, filename, max_rows=MAX_ROWS, max_size=MAX_SIZE,
                    max_unpacked=MAX_UNPACKED):
    """OrderBook of every visible sheet of the xlsx ``data``. A damaged file raises
    OrderFileError; so does a workbook none of whose sheets reads as an order (with the sheet's
    own reason when it has one sheet)."""
    name = xlsx_reader.base_name(filename, "order.xlsx")
    limits = Limits(max_rows, max_size, max_unpacked)
    workbook = xlsx_reader.load(data, name, limits, WORDING, read_only=True)
    try:
        xlsx_reader.first_sheet(workbook, name)     # a workbook without a worksheet is refused
        visible = [sheet for sheet in workbook.worksheets
                   if getattr(sheet, "sheet_state", "visible") == "visible"]
        visible = visible or workbook.worksheets[:1]
        sheets = []
        for sheet in visible:
            try:
                sheets.append(SheetRead(sheet.title, parsed=_read_sheet(sheet, name, limits)))
            except OrderFileError as error:
                if error.problem.code not in SHEET_PROBLEMS:
                    raise
                sheets.append(SheetRead(sheet.title, problem=error.problem))
        try:
            active = workbook.active
        except (AttributeError, IndexError):
            active = None
        titles = [sheet.title for sheet in sheets]
        active_title = active.title if active is not None and active.title in titles else titles[0]
    finally:
        workbook.close()
    if not any(sheet.parsed for sheet in sheets):
        if len(sheets) == 1:
            raise OrderFileError(sheets[0].problem)
        _refuse("no_order_sheet", NO_ORDER_SHEET, file=name,
                sheets=", ".join('"%s"' % title for title in titles))
    return OrderBook(name, tuple(sheets), active_title)


def matching_rows(parsed, offers_by_sku):
    """How many rows of ``parsed`` hold a SKU the catalog knows (``offers_by_sku`` as for
    ``match_rows``), whether or not the dealer may order it."""
    index = _SkuIndex(offers_by_sku)
    return sum(1 for row in parsed.rows if row.sku and index.offers.get(row.sku) is not None)


def choose_sheet(book, offers_by_sku):
    """The title of the sheet the preview starts from: the active sheet when any of its rows
    matches the catalog; otherwise the sheet with the most matching rows (the leftmost of
    equals); when no row of any sheet matches, the active sheet if it reads as an order, else
    the first sheet that does."""
    counts = {sheet.title: matching_rows(sheet.parsed, offers_by_sku)
              for sheet in book.sheets if sheet.parsed}
    if counts.get(book.active):
        return book.active
    best = max(counts.values())
    if best:
        return next(title for title, count in counts.items() if count == best)
    if book.active in counts:
        return book.active
    return next(iter(counts))


def _is_total(cells, sku_value):
    """Whether a row is the order's totals row: a cell reads «Итого», «Итого:», «Всего», «Total»
    (in any column, a merged cell's text being in its first cell) and the SKU cell holds no SKU
    but that word."""
    if not _blank(sku_value) and xlsx_reader.title_rank(sku_value, TOTAL_TITLES) is None:
        return False
    return any(xlsx_reader.title_rank(cell.value, TOTAL_TITLES) is not None for cell in cells)


def _read_sheet(sheet, name, limits):
    """ParsedFile of one worksheet (opened read-only); OrderFileError when it is no order."""
    sheet.reset_dimensions()    # some programs write a wrong size; read what is there
    rows = xlsx_reader.sheet_rows(sheet, name)
    head = []
    for number, cells in rows:
        head.append((number, cells))
        if len(head) >= HEADER_SCAN_ROWS:
            break
    if not head:
        _refuse("empty_workbook", EMPTY_SHEET, file=name, sheet=sheet.title)
    header_row, sku_column, qty_column = _find_columns(head, name, sheet.title)
    parsed = []
    total_row, after_total = None, 0
    for source in (head, rows):
        for number, cells in source:
            if header_row is not None and number <= header_row:
                continue
            if total_row is not None:
                after_total += 1
                continue
            sku_cell = _cell(cells, sku_column)
            if _is_total(cells, sku_cell.value):
                total_row = number
                continue
            order_row = _order_row(number, sku_cell, _cell(cells, qty_column),
                                   name, sku_column, qty_column)
            if order_row is None:
                continue
            if limits.max_rows and len(parsed) >= limits.max_rows:
                _refuse("too_many_rows", TOO_MANY_ROWS, file=name, limit=limits.max_rows,
                        row=number)
            parsed.append(order_row)
    return ParsedFile(name, sheet.title, header_row, sku_column, qty_column, tuple(parsed),
                      limits, total_row, after_total)


def _order_row(number, sku_cell, qty_cell, name, sku_column, qty_column):
    """OrderRow of one sheet row, or None when the row holds neither a SKU nor a quantity."""
    sku, sku_problem, sku_params = _sku_text(sku_cell)
    if not sku and sku_problem is None and _blank(qty_cell.value):
        return None
    if sku_problem is None and not sku:
        sku_problem = SKU_EMPTY
    if sku_problem is not None:
        return OrderRow(number, sku, None, Problem("bad_sku", sku_problem, sku_params, name,
                                                   number, get_column_letter(sku_column)))
    qty, qty_problem, qty_params = parse_qty(qty_cell.value)
    if qty_problem is not None:
        return OrderRow(number, sku, None, Problem("bad_qty", qty_problem, qty_params, name,
                                                   number, get_column_letter(qty_column)))
    return OrderRow(number, sku, qty)


# ------------------------------------------------------------------ matching
class _SkuIndex:
    """Offers by the SKU text of the rows. Which product a text names (letter case and spaces
    aside) the caller's SKU look-up decided, the one of every way a dealer orders by SKU: a text
    it did not answer for is unknown."""

    def __init__(self, offers_by_sku):
        self.offers = {normalize_sku(str(key)): offer
                       for key, offer in offers_by_sku.items() if key is not None}

    def find(self, sku):
        """(offer, None) or (None, (code, template, params))."""
        offer = self.offers.get(sku)
        if offer is None:
            return None, ("unknown_sku", UNKNOWN_SKU, {"sku": sku})
        return offer, None


# b2b_base's reasons why a product cannot be ordered at all (pricing.refusal) -> the row's message
_REFUSALS = {
    "not_available": NOT_VISIBLE,
    "forbidden_region": FORBIDDEN_REGION,
    "no_price": NO_PRICE,
}


def _not_allowed(offer):
    reason = pricing.refusal(offer)
    return _REFUSALS[reason] if reason else None


def match_rows(parsed, offers_by_sku, check_quantity):
    """Preview of ``parsed`` against ``offers_by_sku`` ({SKU text of a row: offer}, as the SKU
    look-up answered for the texts of ``parsed.skus``).

    ``check_quantity(qty, min_qty, multiple)`` answers None when a quantity can be ordered, else
    (reason code, parameters), as b2b_base's ``check_quantity`` does; it is asked about the summed
    quantity of each product."""
    index = _SkuIndex(offers_by_sku)
    sku_letter = get_column_letter(parsed.sku_column)
    qty_letter = get_column_letter(parsed.qty_column)
    name = parsed.filename
    verdicts = {}
    groups = {}

    def reject(row, code, template, params, column):
        verdicts[row.row] = RowResult(row.row, row.sku, row.qty, problem=Problem(
            code, template, params, name, row.row, column))

    for row in parsed.rows:
        if row.problem is not None and row.problem.code == "bad_sku":
            verdicts[row.row] = RowResult(row.row, row.sku, row.qty, problem=row.problem)
            continue
        offer, missing = index.find(row.sku)
        if missing is not None:
            reject(row, *missing, sku_letter)
            continue
        refusal = _not_allowed(offer)
        if refusal is not None:
            reject(row, "not_allowed", refusal, {"sku": row.sku}, sku_letter)
            continue
        if row.problem is not None:
            verdicts[row.row] = RowResult(row.row, row.sku, row.qty, problem=row.problem)
            continue
        if row.qty <= 0:
            reject(row, "bad_qty", QTY_NOT_POSITIVE, {"qty": format_plain(row.qty, 6)}, qty_letter)
            continue
        groups.setdefault(offer.product_id, []).append((row, offer))

    lines = []
    for product_id, members in groups.items():
        offer = members[0][1]
        total = float(sum(Decimal(repr(row.qty)) for row, _offer in members))
        numbers = tuple(row.row for row, _offer in members)
        note_params = None
        if len(members) > 1:
            note_params = {"rows": ", ".join(map(str, numbers)), "sku": offer.sku,
                           "qty": format_plain(total, 6)}
        verdict = check_quantity(total, offer.min_qty, offer.multiple)
        for row, _offer in members:
            note = None
            if note_params is not None:
                note = Problem("merged", MERGED, note_params, name, row.row, sku_letter)
            problem = None
            if verdict:
                code, template = _QTY_RULES.get(verdict[0], (verdict[0], QTY_REFUSED))
                params = dict(verdict[1] or {}, qty=format_plain(total, 6))
                problem = Problem(code, template, params, name, row.row, qty_letter)
            verdicts[row.row] = RowResult(row.row, row.sku, row.qty,
                                          None if verdict else product_id, problem, note)
        if not verdict:
            lines.append(PreviewLine(product_id, offer.sku, total, numbers, offer))
    results = tuple(verdicts[row.row] for row in parsed.rows)
    return Preview(parsed, tuple(lines), results)


# ------------------------------------------------------------------ writing
def marked_copy(data, preview, translate=messages.same):
    """The dealer's file ``data`` with a last column "Ошибка / Error" on the sheet of the order:
    the reason on each rejected
    row and the merge note on merged rows (texts through ``translate``). Other cells keep their
    values (a formula is saved as the value Excel last computed for it) and the sheets their
    order. A column "Ошибка / Error" left by an earlier copy is reused."""
    parsed = preview.parsed
    marks = []
    for result in preview.results:
        texts = [problem.message(translate) for problem in (result.problem, result.note)
                 if problem is not None]
        if texts:
            marks.append((result.row, "; ".join(texts), result.problem is not None))
    return xlsx_reader.mark_rows(data, parsed.filename, parsed.limits, WORDING,
                                 parsed.header_row, marks, sheet=parsed.sheet)


def template_file():
    """An order workbook to fill: the header "Артикул", "Количество", an example row, the SKU
    column formatted as text so that Excel keeps leading zeros."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Заказ"
    sheet.append(TEMPLATE_HEADER)
    sheet.append(("00123", 10))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet["A2"].number_format = "@"
    sheet.column_dimensions["A"].number_format = "@"
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 14
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
