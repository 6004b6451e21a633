"""The spreadsheets users upload and download, read and written the one safe way.

Every xlsx the suite takes from a user (a dealer's order, a commission agent's report) goes through
here before any rule of its own looks at it:

- ``load`` / ``load_with_parts``: the workbook of uploaded bytes, refused with a ``FileError``
  carrying one file-level ``Problem`` when it is empty, too large, a zip bomb, protected with a
  password, an old .xls, not an xlsx at all, or damaged. What a kind of file says about its size
  and format (``Wording``) is the caller's; the other file-level messages are the same for all.
- cell helpers: ``sku_text`` (a SKU cell as the code the user typed), ``parse_number`` (numbers,
  "5,5", "1 000"), ``normalize_sku`` / ``sku_key`` (the one SKU comparison), ``title_rank`` /
  ``best_column`` (finding a column by its title), ``sheet_rows`` (the non-empty rows),
  ``formulas_without_value`` (formula cells whose value was never computed and saved).
- ``mark_rows``: the user's own file back with a last column "Ошибка / Error" holding the reason
  on each marked row, filled red (an error) or yellow (a note).
- ``form_workbook``: a workbook made for filling in: a title area, a locked header and locked
  pre-filled columns, fill-in columns left unlocked with a number validation, a frozen header.

Messages are ``Problem``s of ``lib.messages`` (English templates marked with ``_``; a row's problem
is located at the file, the sheet row and the column letter). Nothing here touches the database.
"""
import copy
import datetime
import io
import math
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

import openpyxl
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet.datavalidation import DataValidation

from . import messages
from .messages import _
from .numbers import format_plain


MAX_ROWS = 10000                        # data rows (non-empty rows) in one file
MAX_SIZE = 10 * 1024 * 1024             # bytes of the uploaded file
MAX_UNPACKED = 100 * 1024 * 1024        # bytes of the workbook's parts once unzipped
ERROR_COLUMN_TITLE = "Ошибка / Error"

# ------------------------------------------------------------------ file-level messages
EMPTY_FILE = _('The file "%(file)s" is empty.')
PASSWORD_PROTECTED = _('The file "%(file)s" is protected with a password. Save it without a '
                       'password and upload it again.')
OLD_XLS = _('The file "%(file)s" is an Excel 97-2003 workbook (.xls). Save it as an Excel '
            'Workbook (.xlsx) and upload it again.')
CORRUPT_FILE = _('The file "%(file)s" is damaged and cannot be read as an Excel workbook. Open it '
                 'in Excel, save it again as .xlsx and upload the new file.')
NO_WORKSHEET = _('The file "%(file)s" has no worksheet.')

# ------------------------------------------------------------------ row messages
SKU_IS_DATE = _('the SKU cell holds a date (%(value)s), not a code: format the SKU column as text '
                'and type the code again')
SKU_EMPTY = _("the SKU is empty")
QTY_EMPTY = _("the quantity is empty")
QTY_NOT_NUMBER = _('the quantity "%(value)s" is not a number')
QTY_NOT_POSITIVE = _("the quantity must be greater than zero (got %(qty)s)")
UNKNOWN_SKU = _('unknown SKU "%(sku)s"')

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_WHITESPACE = re.compile(r"\s+")                      # \s covers no-break and thin spaces
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_ZEROS_FORMAT = re.compile(r"0+")
_DATES = (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)
_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")


class Problem(messages.Problem):
    """Why a file or a row cannot be taken: an error ``code`` for programs, the message for
    people. A row's problem is located at the file, the sheet ``row`` and the ``column`` letter."""
    __slots__ = ("code",)

    def __init__(self, code, template, params=None, file=None, row=None, column=None):
        super(Problem, self).__init__(template, params, line=row, file=file, column=column)
        self.code = code

    @property
    def row(self):
        return self.line


class FileError(Exception):
    """The uploaded file cannot be read at all; ``problem`` says why."""

    def __init__(self, problem):
        super().__init__(problem.render())
        self.problem = problem


@dataclass(frozen=True)
class Limits:
    max_rows: int = MAX_ROWS
    max_size: int = MAX_SIZE
    max_unpacked: int = MAX_UNPACKED


@dataclass(frozen=True)
class Wording:
    """What a kind of file (an order, a report) says when it is too large, unpacks too large, is
    not an xlsx, or has an empty first sheet: templates with the parameters ``file``, ``size``
    and ``limit`` (MB), ``sheet``."""
    file_too_large: str
    unpacked_too_large: str
    not_xlsx: str
    empty_sheet: str


# ------------------------------------------------------------------ small helpers
def megabytes(size):
    return format_plain(round(size / (1024 * 1024), 1), 6)


def shown(value, limit=40):
    """A cell's value as a message quotes it: spaces collapsed, cut at ``limit`` characters."""
    text = _WHITESPACE.sub(" ", str(value)).strip()
    return text if len(text) <= limit else text[:limit - 1] + "…"


def base_name(filename, default):
    """The file's name without the folders a browser may send; ``default`` when there is none."""
    name = re.split(r"[\\/]", filename or "")[-1].strip()
    return name or default


def normalize_sku(text):
    """SKU text as it is compared: invisible characters dropped, spaces (no-break ones too)
    trimmed and collapsed, a leading apostrophe (Excel's "this is text" mark) dropped."""
    text = _WHITESPACE.sub(" ", _INVISIBLE.sub("", text)).strip()
    if text.startswith("'"):
        text = text[1:].lstrip()
    return text


def sku_key(text):
    """The key two SKU texts are equal by: ``normalize_sku`` and letter case left aside."""
    return normalize_sku(str(text)).casefold()


def number_format(cell):
    try:
        return cell.number_format or "General"
    except (AttributeError, IndexError, KeyError, TypeError):
        return "General"


def sku_text(cell):
    """The SKU of a cell as text: numbers keep the digits the user typed (``123.0`` ->
    ``'123'``, a ``00000`` format pads with zeros as Excel shows it), text keeps leading zeros.
    Returns (text, problem template or None, params)."""
    value = cell.value
    if value is None:
        return "", None, {}
    if isinstance(value, str):
        return normalize_sku(value), None, {}
    if isinstance(value, _DATES):
        return "", SKU_IS_DATE, {"value": shown(value)}
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), None, {}
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value), None, {}
        text = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, int):
        text = str(value)
    else:
        return normalize_sku(str(value)), None, {}
    if float(value).is_integer() and value >= 0:
        zeros = number_format(cell)
        if _ZEROS_FORMAT.fullmatch(zeros):
            text = text.zfill(len(zeros))
    return text, None, {}


def parse_number(value):
    """A number cell as a number: numbers, "5", "5,5" (decimal comma), "1 000" (spaced
    thousands). Returns (number, reason, params): reason None, "empty", "date" (a date or a
    time, Excel's dates being numbers formatted as dates) or "not_number"; params
    ``{"value": the cell as shown}``."""
    if value is None:
        return None, "empty", {}
    if isinstance(value, _DATES):
        return None, "date", {"value": shown(value)}
    if isinstance(value, bool):
        return None, "not_number", {"value": shown(value)}
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return None, "not_number", {"value": shown(value)}
        return float(value), None, {}
    text = _WHITESPACE.sub("", _INVISIBLE.sub("", str(value)))
    if not text:
        return None, "empty", {}
    if not _NUMBER.fullmatch(text):
        return None, "not_number", {"value": shown(value)}
    return float(text.replace(",", ".")), None, {}


def blank(value):
    return value is None or (isinstance(value, str) and not normalize_sku(value))


def title_rank(value, titles):
    """(0, i) when ``value`` is title i, (1, i) when it begins with title i ("Количество, шт",
    "Код товара"), None otherwise; case and spaces do not matter."""
    if not isinstance(value, str):
        return None
    collapsed = _WHITESPACE.sub(" ", _INVISIBLE.sub("", value)).strip().casefold()
    collapsed = collapsed.replace("ё", "е").strip(" :*")
    squeezed = collapsed.replace(" ", "")
    for rank, title in enumerate(titles):
        if squeezed == title.replace(" ", ""):
            return 0, rank
    for rank, title in enumerate(titles):
        if collapsed.startswith(title) and (len(collapsed) == len(title)
                                            or not collapsed[len(title)].isalnum()):
            return 1, rank
    return None


def best_column(cells, titles, skip=()):
    """1-based column whose title ranks best (leftmost among equals), or None; columns in
    ``skip`` are not considered."""
    best = None
    for index, cell in enumerate(cells, 1):
        if index in skip:
            continue
        rank = title_rank(cell.value, titles)
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, index)
    return best[1] if best else None


def cell_at(cells, column):
    """The cell of a row's ``cells`` at the 1-based ``column`` (an empty one past the row's end)."""
    return cells[column - 1] if column <= len(cells) else NoCell


class NoCell:
    value = None
    number_format = "General"


# ------------------------------------------------------------------ opening the file
def refuse(code, template, **params):
    raise FileError(Problem(code, template, params))


def check_container(data, name, limits, wording):
    """Refuse what is not a readable xlsx before openpyxl sees it."""
    if not data:
        refuse("empty_file", EMPTY_FILE, file=name)
    if limits.max_size and len(data) > limits.max_size:
        refuse("file_too_large", wording.file_too_large, file=name, size=megabytes(len(data)),
               limit=megabytes(limits.max_size))
    if data.startswith(_OLE_MAGIC):
        # Excel keeps a password-protected xlsx in an OLE compound file holding an
        # "EncryptedPackage" stream; any other compound file is an old binary workbook.
        if _ENCRYPTED_STREAM in data:
            refuse("password_protected", PASSWORD_PROTECTED, file=name)
        refuse("old_xls", OLD_XLS, file=name)
    if not data.startswith(b"PK"):
        refuse("not_xlsx", wording.not_xlsx, file=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        refuse("corrupt_file", CORRUPT_FILE, file=name)
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names:
        refuse("not_xlsx", wording.not_xlsx, file=name)
    # zipfile never inflates an entry past its declared size, so the declared sizes bound the work
    unpacked = sum(entry.file_size for entry in entries)
    if limits.max_unpacked and unpacked > limits.max_unpacked:
        refuse("unpacked_too_large", wording.unpacked_too_large, file=name,
               size=megabytes(unpacked), limit=megabytes(limits.max_unpacked))


def _corrupt(name, detail):
    return FileError(Problem("corrupt_file", CORRUPT_FILE, {"file": name, "detail": detail}))


def load_with_parts(data, name, limits, wording, read_only=False):
    """(workbook, {sheet title: its part in the archive}) of the xlsx ``data``, values as Excel
    last computed them; raises FileError."""
    data = bytes(data or b"")
    check_container(data, name, limits, wording)
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=read_only, data_only=True)
        reader.read()
        # openpyxl silently drops a sheet whose part is missing from the archive: the "first
        # sheet" would then be another one
        sheets = list(reader.parser.find_sheets())
    except Exception as error:  # openpyxl raises many kinds on a damaged file: all mean "damaged"
        raise _corrupt(name, repr(error)) from error
    missing = [rel.target for _sheet, rel in sheets if rel.target not in reader.valid_files]
    if missing:
        reader.wb.close()
        raise _corrupt(name, "missing %s" % ", ".join(missing))
    return reader.wb, {sheet.name: rel.target for sheet, rel in sheets}


def load(data, name, limits, wording, read_only=False):
    """The workbook of the xlsx ``data`` (values as Excel last computed them), or FileError."""
    return load_with_parts(data, name, limits, wording, read_only)[0]


def first_sheet(workbook, name):
    sheets = workbook.worksheets
    if not sheets:
        refuse("empty_workbook", NO_WORKSHEET, file=name)
    return sheets[0]


def sheet_rows(sheet, name):
    """(row number, cells) of every row that has a non-blank cell; a sheet whose XML breaks
    while it is read is a damaged file, not a crash."""
    try:
        for number, cells in enumerate(sheet.iter_rows(), 1):
            for cell in cells:
                if not blank(cell.value):
                    yield number, cells
                    break
    except Exception as error:  # openpyxl's parser: any failure means a damaged sheet
        raise _corrupt(name, repr(error)) from error


def formulas_without_value(data, part, name):
    """{(row, column)} of the cells of the sheet ``part`` of the xlsx ``data`` that hold a
    formula with no value saved for it (a file written by a program that does not compute
    formulas): read with the values Excel saved, such a cell looks empty."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            raw = archive.read(part)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError) as error:
        raise _corrupt(name, repr(error)) from error
    if not _FORMULA_TAG.search(raw):
        return set()
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        raise _corrupt(name, "a DOCTYPE in %s" % part)
    found = set()
    row_number, column = 0, 0
    try:
        for event, element in ElementTree.iterparse(io.BytesIO(raw), events=("start", "end")):
            local = element.tag.rpartition("}")[2]
            if event == "start":
                if local == "row":
                    row_number = int(element.get("r") or row_number + 1)
                    column = 0
                continue
            if local != "c":
                continue
            reference = _CELL_REF.fullmatch(element.get("r") or "")
            if reference:
                column = column_index_from_string(reference.group(1))
                row_number = int(reference.group(2))
            else:
                column += 1
            children = {child.tag.rpartition("}")[2]: child for child in element}
            value = children.get("v")
            if "f" in children and (value is None or not value.text) and "is" not in children:
                found.add((row_number, column))
            element.clear()
    except (ElementTree.ParseError, ValueError) as error:
        raise _corrupt(name, repr(error)) from error
    return found


# ------------------------------------------------------------------ writing
ERROR_FILL = PatternFill("solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
NOTE_FILL = PatternFill("solid", start_color="FFFFEB9C", end_color="FFFFEB9C")


def mark_rows(data, name, limits, wording, header_row, marks, sheet=None):
    """The user's file ``data`` with a last column "Ошибка / Error" on the sheet titled ``sheet``
    (the first one when None): for each
    (row, text, is_error) of ``marks`` the text in that row, filled red for an error and yellow
    for a note. Other cells keep their values (a formula is saved as the value Excel last
    computed for it) and the sheets their order. A column "Ошибка / Error" left by an earlier
    copy is reused. ``header_row`` None: the sheet has no header (no title is written)."""
    workbook = load(data, name, limits, wording)
    if sheet is not None and sheet in workbook.sheetnames:
        sheet = workbook[sheet]
    else:
        sheet = first_sheet(workbook, name)
    column = None
    if header_row is not None:
        for cell in sheet[header_row]:
            if isinstance(cell.value, str) and cell.value.strip() == ERROR_COLUMN_TITLE:
                column = cell.column
        if column is not None:
            for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=column,
                                           max_col=column):
                cell.value = None
                cell.fill = PatternFill()
    if column is None:
        column = sheet.max_column + 1
    if header_row is not None:
        title = sheet.cell(header_row, column, ERROR_COLUMN_TITLE)
        title.font = Font(bold=True)
    for row, text, is_error in marks:
        cell = sheet.cell(row, column, text)
        cell.fill = ERROR_FILL if is_error else NOTE_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions[get_column_letter(column)].width = 60
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class FormColumn:
    """A column of a form workbook: its ``title``, ``width`` (characters), whether the user
    fills it in (``fill``: unlocked; with ``number`` validated as a number not below zero) and
    the ``number_format`` of its cells ("@" keeps typed codes as text)."""
    title: str
    width: float = 14
    fill: bool = False
    number: bool = False
    number_format: str = None


FORM_FILL_ROWS = 500            # rows below the data left open and validated for added rows
_LOCKED = Protection(locked=True)
_UNLOCKED = Protection(locked=False)
_HEADER_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
_INPUT_FILL = PatternFill("solid", start_color="FFFFF2CC", end_color="FFFFF2CC")


def form_workbook(sheet_title, title_lines, columns, rows, fill_rows=FORM_FILL_ROWS,
                  number_error=None):
    """An xlsx (bytes) made for filling in. The first sheet ``sheet_title`` holds the
    ``title_lines`` (the first one in large bold), an empty row, the header of ``columns`` and the
    ``rows`` (tuples of values of the columns that are not filled in, in order; the fill-in
    columns start empty). The sheet is protected without a password: the titles, the header and
    the pre-filled cells are locked; the fill-in cells of the rows, and every cell of the
    ``fill_rows`` rows below them (where the user adds rows), are unlocked; the ``number``
    columns accept only a number not below zero there (``number_error`` is the message Excel
    shows otherwise). The header stays in view when the user scrolls. Returns (bytes,
    header row)."""
    # written row by row (openpyxl's write-only mode): a list of thousands of goods is quick
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    header_row = len(title_lines) + 2
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A%d" % (header_row + 1)

    def cell(value=None, number_format=None, **style):
        written = WriteOnlyCell(sheet, value)
        for name, item in style.items():
            setattr(written, name, item)
        if number_format:
            written.number_format = number_format
        return written

    for number, text in enumerate(title_lines, 1):
        sheet.append([cell(text, font=Font(bold=True, size=14) if number == 1 else Font(size=11))])
    sheet.append([])
    header_alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.append([cell(column.title, font=Font(bold=True), fill=_HEADER_FILL,
                       alignment=header_alignment, protection=_LOCKED) for column in columns])
    # the style of each column's cells made once, then given to each cell (styling every cell
    # anew is most of the time of a long list)
    data_styles = [cell(None, column.number_format, protection=_UNLOCKED, fill=_INPUT_FILL)._style
                   if column.fill else cell(None, column.number_format)._style
                   for column in columns]
    open_styles = [cell(None, column.number_format, protection=_UNLOCKED)._style
                   for column in columns]

    def styled(value, style):
        written = WriteOnlyCell(sheet, value)
        written._style = copy.copy(style)
        return written

    count = 0
    for values in rows:
        values = iter(values)
        sheet.append([styled(None if column.fill else next(values, None), style)
                      for column, style in zip(columns, data_styles)])
        count += 1
    end = header_row + count + fill_rows
    for _number in range(fill_rows):
        sheet.append([styled(None, style) for style in open_styles])
    for index, column in enumerate(columns, 1):
        if not column.number:
            continue
        letter = get_column_letter(index)
        validation = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                                    allow_blank=True, showErrorMessage=True,
                                    error=number_error, errorStyle="stop")
        validation.add("%s%d:%s%d" % (letter, header_row + 1, letter, end))
        sheet.data_validations.append(validation)
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = False      # the user may widen columns,
    protection.formatRows = False         # rows,
    protection.insertRows = False         # add rows
    protection.deleteRows = False
    protection.sort = False
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), header_row
