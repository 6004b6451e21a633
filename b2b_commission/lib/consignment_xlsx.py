"""The commission agent's spreadsheet: the consignment list out, the goods sold back in.

- ``write_list``: the consignment list of one agent and contract as an xlsx made for filling in:
  the month, the contract and the agent above a table of the goods held (Артикул, Наименование,
  Ед. изм., Остаток на комиссии) with the two columns to fill (Продано, шт; Цена продажи). The
  sheet is protected without a password: the agent fills in the two columns, and adds rows below
  the table for a product sold at another price (the same SKU again).
- ``read_report``: the filled-in file as a ``ReportFile``: the report rows (sheet row, SKU as the
  consignment list spells it, quantity sold, sale price) and a located ``Problem`` for every row
  that cannot be taken. Rows with neither a quantity nor a price are the goods not sold. A
  product sold at several prices is several rows, and they stay several report lines; what is
  checked against the quantity held is their total. The header is found by its titles, so a file
  re-saved by LibreOffice, with columns widened or rows added anywhere below the header, reads the
  same. Nothing raises: a file that cannot be read at all gives one file-level problem.
- ``marked_copy``: the agent's own file back with a last column "Ошибка / Error" on the bad rows.

Messages are ``Problem``s of b2b_base's ``lib.messages`` (English templates marked with ``_``;
the ORM layer translates them). Nothing here touches the database.
"""
import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from odoo.addons.b2b_base.lib import messages, xlsx_reader
from odoo.addons.b2b_base.lib.messages import _
from odoo.addons.b2b_base.lib.numbers import format_plain
from odoo.addons.b2b_base.lib.xlsx_reader import (QTY_EMPTY, QTY_NOT_NUMBER, QTY_NOT_POSITIVE,
                                                  SKU_EMPTY, UNKNOWN_SKU, FormColumn, Limits,
                                                  Problem, sku_key)

from .commission import PRICE_NEGATIVE, SOLD_MORE_THAN_HELD


SHEET_TITLE = "Отчёт комиссионера"
HEADER_SCAN_ROWS = 20                   # the header is looked for in the first non-empty rows
MONTHS = ("январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь",
          "октябрь", "ноябрь", "декабрь")
COLUMNS = (
    FormColumn("Артикул", 18, number_format="@"),
    FormColumn("Наименование", 46),
    FormColumn("Ед. изм.", 9),
    FormColumn("Остаток на комиссии", 14),
    FormColumn("Продано, шт", 13, fill=True, number=True),
    FormColumn("Цена продажи", 15, fill=True, number=True, number_format="#,##0.00"),
)
HINT = ("Заполните столбцы «Продано, шт» и «Цена продажи» у проданных товаров. Товар, проданный "
        "по разным ценам, — отдельные строки: добавьте под таблицей строку с тем же артикулом.")
NUMBER_ERROR = "Введите число не меньше нуля."

# Column titles, lower case, best first
SKU_TITLES = ("артикул", "sku", "article", "код", "code")
SOLD_TITLES = ("продано", "продано, шт", "количество продано", "sold", "qty sold",
               "quantity sold")
PRICE_TITLES = ("цена продажи", "цена", "sale price", "price")

_PERIOD = re.compile(r"за\s+(%s)\s+(\d{4})" % "|".join(MONTHS), re.IGNORECASE)
_CONTRACT = re.compile(r"^\s*Договор\s*№\s*(.+?)\s*$")

# ------------------------------------------------------------------ file-level messages
FILE_TOO_LARGE = _('The file "%(file)s" is %(size)s MB; a report file can be at most %(limit)s '
                   'MB.')
UNPACKED_TOO_LARGE = _('The file "%(file)s" holds %(size)s MB of data once unpacked; a report '
                       'file can hold at most %(limit)s MB. Keep only the report sheet in the '
                       'workbook and save it again.')
NOT_XLSX = _('The file "%(file)s" is not an Excel workbook (.xlsx). Save the report as an Excel '
             'Workbook (.xlsx) and upload it again; CSV, PDF and other formats are not read.')
EMPTY_SHEET = _('The first sheet "%(sheet)s" of the file "%(file)s" is empty. Fill in the '
                'consignment list downloaded from the portal and upload it.')
NO_HEADER = _('No header with the columns "Артикул", "Продано, шт" and "Цена продажи" found on '
              'the first sheet "%(sheet)s" of the file "%(file)s". Fill in the consignment list '
              'downloaded from the portal, keeping its header.')
TOO_MANY_ROWS = _('The file "%(file)s" has more than %(limit)s report rows (row %(row)s is past '
                  'the limit).')

OTHER_CONTRACT = _('The file "%(file)s" is the list of contract %(contract)s, not of contract '
                   '%(expected)s: download the list of this contract and fill it in.')
OTHER_MONTH = _('The file "%(file)s" is the report for %(month)s, not for %(expected)s: choose the '
                'month of the file, or download the list for %(expected)s and fill it in.')
NOTHING_SOLD = _('The file "%(file)s" holds no goods sold: fill in the quantity sold and the sale '
                 'price of each product sold.')

# ------------------------------------------------------------------ row messages
QTY_IS_DATE = _("the quantity sold holds a date (%(value)s), not a number")
PRICE_EMPTY = _("the sale price is empty")
PRICE_IS_DATE = _("the sale price holds a date (%(value)s), not a number")
PRICE_NOT_NUMBER = _('the sale price "%(value)s" is not a number')
FORMULA_NO_VALUE = _("the cell holds a formula with no computed value: open the file in Excel "
                     "or LibreOffice, let it compute the formulas and save it again, or type "
                     "the number")
MERGED_CELLS = _("the cells %(cells)s are merged: unmerge them and fill in each row on its own")
NOT_ON_CONSIGNMENT = _('the product "%(sku)s" is not on consignment under this contract')
SOLD_MORE_IN_ROWS = _("%(qty)s sold in rows %(rows)s is more than the %(held)s held on "
                      "consignment")

WORDING = xlsx_reader.Wording(FILE_TOO_LARGE, UNPACKED_TOO_LARGE, NOT_XLSX, EMPTY_SHEET)


@dataclass(frozen=True)
class ListItem:
    """A product on consignment as the list shows it: ``qty`` is the quantity held."""
    sku: str
    name: str = ""
    unit: str = "шт"
    qty: float = 0.0


@dataclass(frozen=True)
class SoldRow:
    """A row of the report taken: ``sku`` as the consignment list spells it."""
    row: int
    sku: str
    qty: float
    price: float


@dataclass(frozen=True)
class ReportFile:
    """What ``read_report`` made of a file. ``problems`` (row, then column order) holds one
    file-level problem (no ``row``) when the file cannot be read at all (``readable`` False);
    ``rows`` are the rows with no problem. ``contract`` and ``period`` (first day of the month)
    are read back from the title area the list was written with, when it is still there."""
    filename: str
    rows: tuple = ()
    problems: tuple = ()
    sheet: str = None
    header_row: int = None
    columns: dict = field(default_factory=dict)     # {"sku"|"qty"|"price": 1-based column}
    contract: str = None
    period: datetime.date = None
    limits: Limits = Limits()

    @property
    def readable(self):
        return not any(problem.row is None for problem in self.problems)

    @property
    def ok(self):
        return not self.problems

    @property
    def bad_rows(self):
        return sorted({problem.row for problem in self.problems if problem.row is not None})

    def totals(self):
        """{SKU: quantity sold over its rows} of the rows taken."""
        sums = {}
        for row in self.rows:
            sums[row.sku] = sums.get(row.sku, Decimal(0)) + _dec(row.qty)
        return {sku: float(total) for sku, total in sums.items()}


def _dec(value):
    return Decimal(repr(float(value)))


def period_title(period):
    return "Отчёт комиссионера за %s %d" % (MONTHS[period.month - 1], period.year)


# ------------------------------------------------------------------ writing
def write_list(goods, agent, contract, period):
    """The consignment list (bytes of an xlsx) of the agent named ``agent`` under the contract
    ``contract`` (its number, e.g. "К-001/2026") for the month of the date ``period``; ``goods``
    are ``ListItem``s (or any objects with ``sku``, ``name``, ``unit`` and ``qty``), in the order
    the list shows them."""
    title_lines = (period_title(period), "Договор № %s" % contract, "Комиссионер: %s" % agent,
                   HINT)
    rows = ((item.sku, item.name or "", item.unit or "", item.qty) for item in goods)
    data, _header_row = xlsx_reader.form_workbook(SHEET_TITLE, title_lines, COLUMNS, rows,
                                                  number_error=NUMBER_ERROR)
    return data


# ------------------------------------------------------------------ reading
def _find_header(head):
    """(header row, {"sku", "qty", "price": column}) of the first row naming all three."""
    for number, cells in head:
        sku = xlsx_reader.best_column(cells, SKU_TITLES)
        if sku is None:
            continue
        qty = xlsx_reader.best_column(cells, SOLD_TITLES, skip=(sku,))
        price = xlsx_reader.best_column(cells, PRICE_TITLES, skip=(sku, qty))
        if qty is not None and price is not None:
            return number, {"sku": sku, "qty": qty, "price": price}
    return None, {}


def _title_facts(head, header_row):
    """(contract, period) written in the title area above the header, when they are there."""
    contract = period = None
    for number, cells in head:
        if number >= header_row:
            break
        for cell in cells:
            if not isinstance(cell.value, str):
                continue
            found = _CONTRACT.match(cell.value)
            if found and contract is None:
                contract = found.group(1)
            found = _PERIOD.search(cell.value)
            if found and period is None:
                period = datetime.date(int(found.group(2)),
                                       MONTHS.index(found.group(1).lower()) + 1, 1)
    return contract, period


def _held_index(held):
    """{sku_key: (SKU as the list spells it, quantity held)}."""
    return {sku_key(sku): (sku, float(qty or 0.0)) for sku, qty in held.items() if sku is not None}


def _known_keys(known, texts):
    """The sku_keys of ``texts`` the catalog knows (see ``read_report``'s ``known``)."""
    if known is None or not texts:
        return None
    answer = known(set(texts)) if callable(known) else known
    return {sku_key(text) for text in answer if text is not None}


def read_report(data, filename, held, known=None, limits=None):
    """ReportFile of the filled-in consignment list ``data`` (bytes of an xlsx named
    ``filename``).

    ``held``: {SKU: quantity held on consignment under the contract}. ``known`` tells an unknown
    SKU from a product not on consignment: a collection of the catalog's SKUs, or a function
    given the set of the file's SKU texts that are not held and answering those the catalog has;
    without it, a SKU not held is reported as not on consignment. SKUs are compared as b2b_base's
    ``sku_key`` does (spaces and letter case aside)."""
    limits = limits or Limits()
    name = xlsx_reader.base_name(filename, "report.xlsx")
    try:
        return _read(bytes(data or b""), name, held, known, limits)
    except xlsx_reader.FileError as error:
        return ReportFile(name, problems=(error.problem.replace(file=name),), limits=limits)


def _read(data, name, held, known, limits):
    workbook, parts = xlsx_reader.load_with_parts(data, name, limits, WORDING)
    try:
        sheet = xlsx_reader.first_sheet(workbook, name)
        rows = list(xlsx_reader.sheet_rows(sheet, name))
        if not rows:
            xlsx_reader.refuse("empty_workbook", EMPTY_SHEET, file=name, sheet=sheet.title)
        head = rows[:HEADER_SCAN_ROWS]
        header_row, columns = _find_header(head)
        if header_row is None:
            xlsx_reader.refuse("no_header", NO_HEADER, file=name, sheet=sheet.title)
        contract, period = _title_facts(head, header_row)
        body = [(number, cells) for number, cells in rows if number > header_row]
        if limits.max_rows and len(body) > limits.max_rows:
            xlsx_reader.refuse("too_many_rows", TOO_MANY_ROWS, file=name, limit=limits.max_rows,
                               row=body[limits.max_rows][0])
        formulas = xlsx_reader.formulas_without_value(data, parts[sheet.title], name)
        merged = _merged_rows(sheet, header_row, columns)
        problems, taken = _check_rows(body, name, columns, formulas, merged, held, known)
    finally:
        workbook.close()
    problems.sort(key=lambda problem: (problem.row, problem.column or ""))
    return ReportFile(name, tuple(taken), tuple(problems), sheet.title, header_row, columns,
                      contract, period, limits)


def _merged_rows(sheet, header_row, columns):
    """{row: range text} of the rows below the header where a merged range covers a column the
    report reads."""
    wanted = set(columns.values())
    found = {}
    for cells in sheet.merged_cells.ranges:
        if cells.max_row <= header_row or not any(cells.min_col <= column <= cells.max_col
                                                  for column in wanted):
            continue
        for row in range(max(cells.min_row, header_row + 1), cells.max_row + 1):
            found.setdefault(row, (cells.coord, cells.min_col))
    return found


def _check_rows(body, name, columns, formulas, merged, held, known):
    letters = {key: xlsx_reader.get_column_letter(column) for key, column in columns.items()}
    index = _held_index(held)
    problems = []
    candidates = []         # (row, text, key, qty, price) of rows with no problem of their own

    def problem(code, template, params, row, key):
        problems.append(Problem(code, template, params, name, row, letters[key]))

    seen = set()
    for number, cells in body:
        seen.add(number)
        if number in merged:
            coord, column = merged[number]
            problems.append(Problem("merged_cells", MERGED_CELLS, {"cells": coord}, name, number,
                                    xlsx_reader.get_column_letter(column)))
            continue
        cell = {key: xlsx_reader.cell_at(cells, column) for key, column in columns.items()}
        formula = {key for key, column in columns.items() if (number, column) in formulas}
        if (xlsx_reader.blank(cell["qty"].value) and xlsx_reader.blank(cell["price"].value)
                and not formula & {"qty", "price"}):
            continue            # not sold
        before = len(problems)
        for key in sorted(formula):
            problem("formula_no_value", FORMULA_NO_VALUE, {}, number, key)
        text = ""
        if "sku" not in formula:
            text, template, params = xlsx_reader.sku_text(cell["sku"])
            if template is not None:
                problem("bad_sku", template, params, number, "sku")
            elif not text:
                problem("bad_sku", SKU_EMPTY, {}, number, "sku")
        qty = price = None
        if "qty" not in formula:
            qty = _number(cell["qty"].value, number, "qty", problem)
        if "price" not in formula:
            price = _number(cell["price"].value, number, "price", problem)
        if len(problems) == before:
            candidates.append((number, text, sku_key(text), qty, price))
    # rows merged into ranges whose other rows are blank were not among the non-empty rows
    for number in sorted(set(merged) - seen):
        coord, column = merged[number]
        problems.append(Problem("merged_cells", MERGED_CELLS, {"cells": coord}, name, number,
                                xlsx_reader.get_column_letter(column)))

    unheld = {text for _n, text, key, _q, _p in candidates if key not in index}
    known_keys = _known_keys(known, unheld)
    groups = {}
    for number, text, key, qty, price in candidates:
        if key not in index:
            if known_keys is not None and key not in known_keys:
                problem("unknown_sku", UNKNOWN_SKU, {"sku": text}, number, "sku")
            else:
                problem("not_on_consignment", NOT_ON_CONSIGNMENT, {"sku": text}, number, "sku")
            continue
        groups.setdefault(index[key][0], []).append((number, qty, price))
    taken = []
    for sku, members in groups.items():
        qty_held = index[sku_key(sku)][1]
        total = sum((_dec(qty) for _n, qty, _p in members), Decimal(0))
        if total > _dec(qty_held):
            numbers = [number for number, _q, _p in members]
            for number, _qty, _price in members:
                if len(members) == 1:
                    problem("sold_more_than_held", SOLD_MORE_THAN_HELD,
                            {"qty": format_plain(total), "consigned": format_plain(qty_held)},
                            number, "qty")
                else:
                    problem("sold_more_than_held", SOLD_MORE_IN_ROWS,
                            {"qty": format_plain(total), "rows": ", ".join(map(str, numbers)),
                             "held": format_plain(qty_held)}, number, "qty")
            continue
        taken.extend(SoldRow(number, sku, qty, price) for number, qty, price in members)
    taken.sort(key=lambda row: row.row)
    return problems, taken


_NUMBER_TEMPLATES = {
    "qty": {"empty": QTY_EMPTY, "date": QTY_IS_DATE, "not_number": QTY_NOT_NUMBER},
    "price": {"empty": PRICE_EMPTY, "date": PRICE_IS_DATE, "not_number": PRICE_NOT_NUMBER},
}


def _number(value, number, key, problem):
    """The quantity (> 0) or the price (>= 0) of a cell, or None with its problem told."""
    amount, reason, params = xlsx_reader.parse_number(value)
    if reason is not None:
        problem("bad_" + key, _NUMBER_TEMPLATES[key][reason], params, number, key)
        return None
    if key == "qty" and amount <= 0:
        problem("bad_qty", QTY_NOT_POSITIVE, {"qty": format_plain(amount, 6)}, number, key)
        return None
    if key == "price" and amount < 0:
        problem("bad_price", PRICE_NEGATIVE, {"price": "%.2f" % amount}, number, key)
        return None
    return amount


# ------------------------------------------------------------------ the marked copy
def marked_copy(data, report, translate=messages.same):
    """The agent's file ``data`` with a last column "Ошибка / Error" holding, on each bad row of
    ``report`` (what ``read_report`` made of ``data``), its problems (through ``translate``),
    filled red. Raises b2b_base's ``xlsx_reader.FileError`` when the file cannot be read at all
    (``report.readable`` False): there is no row to mark then."""
    if not report.readable:
        raise xlsx_reader.FileError(report.problems[0])
    texts = {}
    for item in report.problems:
        texts.setdefault(item.row, []).append(item.message(translate))
    marks = [(row, "; ".join(found), True) for row, found in sorted(texts.items())]
    return xlsx_reader.mark_rows(data, report.filename, report.limits, WORDING,
                                 report.header_row, marks)


def upload_problems(report, contract, period):
    """What stops a file whose rows are all good (``report``, from ``read_report``) from being
    the report of ``contract`` (its number) for the month of the date ``period``: the list of
    another contract or month (as its title area says, when it is still there), or no goods sold."""
    name = report.filename
    problems = []
    if report.contract and report.contract != contract:
        problems.append(Problem("other_contract", OTHER_CONTRACT, {
            "file": name, "contract": report.contract, "expected": contract}, file=name))
    if report.period and (report.period.year, report.period.month) != (period.year, period.month):
        problems.append(Problem("other_month", OTHER_MONTH, {
            "file": name, "month": report.period.strftime("%m.%Y"),
            "expected": period.strftime("%m.%Y")}, file=name))
    if not report.rows:
        problems.append(Problem("nothing_sold", NOTHING_SOLD, {"file": name}, file=name))
    return problems
