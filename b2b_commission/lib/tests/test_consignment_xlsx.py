"""The commission agent's spreadsheet: the consignment list written for filling in, filled in
(by a program here, as Excel would save it), read back with every bad row located, and the
agent's own file marked."""
import datetime
import functools
import io
import re
import zipfile

import openpyxl
import pytest

from b2b_base.lib.xlsx_reader import ERROR_COLUMN_TITLE, FileError
from b2b_commission.lib.consignment_xlsx import (COLUMNS, ListItem, marked_copy, read_report,
                                                 write_list)

GOODS = [ListItem("DR-1", "Дрель ударная", "шт", 5), ListItem("00123", "Пила", "шт", 2),
         ListItem("GL-7", "Перчатки", "пар", 100)]
HELD = {"DR-1": 5, "00123": 2, "GL-7": 100}
FIRST = 7                           # the sheet row of the first product (header on row 6)


@functools.lru_cache(maxsize=None)
def listing():
    return write_list(GOODS, "ООО «Комиссионер»", "К-001/2026", datetime.date(2026, 11, 17))


def filled(cells=(), change=None):
    """The list with ``cells`` ({"E7": 3, ...}) typed in; ``change(sheet)`` edits it further."""
    workbook = openpyxl.load_workbook(io.BytesIO(listing()))
    sheet = workbook.active
    for name, value in dict(cells).items():
        sheet[name] = value
    if change:
        change(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def read(data, held=None, **kwargs):
    return read_report(data, "отчёт.xlsx", HELD if held is None else held, **kwargs)


def taken(report):
    return [(row.row, row.sku, row.qty, row.price) for row in report.rows]


def told(report):
    return [problem.render() for problem in report.problems]


# ------------------------------------------------------------------ the list
def test_list_has_the_title_the_header_and_the_goods_held():
    sheet = openpyxl.load_workbook(io.BytesIO(listing())).active
    assert sheet.title == "Отчёт комиссионера"
    assert [sheet.cell(row, 1).value for row in (1, 2, 3)] == [
        "Отчёт комиссионера за ноябрь 2026", "Договор № К-001/2026",
        "Комиссионер: ООО «Комиссионер»"]
    assert [cell.value for cell in sheet[6]] == [
        "Артикул", "Наименование", "Ед. изм.", "Остаток на комиссии", "Продано, шт",
        "Цена продажи"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows(min_row=7, max_row=9)] == [
        ["DR-1", "Дрель ударная", "шт", 5, None, None],
        ["00123", "Пила", "шт", 2, None, None],
        ["GL-7", "Перчатки", "пар", 100, None, None]]
    assert sheet.freeze_panes == "A7"
    assert [sheet.column_dimensions[letter].width for letter in "ABCDEF"] == [
        column.width for column in COLUMNS]
    assert sheet["A10"].number_format == "@"      # an SKU typed in an added row stays text


def test_list_is_protected_but_its_fill_in_cells_and_the_rows_below_are_open():
    sheet = openpyxl.load_workbook(io.BytesIO(listing())).active
    assert sheet.protection.sheet and not sheet.protection.password
    assert sheet.protection.insertRows is False       # the agent may add rows
    assert all(sheet.cell(6, column).protection.locked for column in range(1, 7))
    assert all(sheet.cell(row, column).protection.locked
               for row in (1, 2, 7, 9) for column in range(1, 5))
    assert not any(sheet.cell(row, column).protection.locked
                   for row in (7, 8, 9) for column in (5, 6))
    assert not any(sheet.cell(row, column).protection.locked
                   for row in (10, 300, 509) for column in range(1, 7))


def test_list_validates_the_numbers_to_fill_in_over_the_rows_below_too():
    sheet = openpyxl.load_workbook(io.BytesIO(listing())).active
    rules = {str(rule.sqref): rule for rule in sheet.data_validations.dataValidation}
    assert set(rules) == {"E7:E509", "F7:F509"}
    for rule in rules.values():
        assert (rule.type, rule.operator, rule.formula1) == ("decimal", "greaterThanOrEqual", "0")
        assert rule.allow_blank and rule.showErrorMessage


# ------------------------------------------------------------------ reading back
def test_filled_list_gives_the_rows_sold_and_skips_the_goods_not_sold():
    report = read(filled({"E7": 3, "F7": 2499.9, "E9": "12,5", "F9": "1 200"}))
    assert report.ok and report.readable
    assert taken(report) == [(7, "DR-1", 3.0, 2499.9), (9, "GL-7", 12.5, 1200.0)]
    assert (report.contract, report.period) == ("К-001/2026", datetime.date(2026, 11, 1))
    assert (report.header_row, report.columns) == (6, {"sku": 1, "qty": 5, "price": 6})


def test_one_product_at_several_prices_stays_several_rows_and_its_total_is_checked():
    def more_rows(sheet):
        sheet["A10"], sheet["E10"], sheet["F10"] = "dr-1 ", 1, 2100
        sheet["A11"], sheet["E11"], sheet["F11"] = "DR-1", 1, 0
    report = read(filled({"E7": 3, "F7": 2500}, more_rows))
    assert report.ok
    assert taken(report) == [(7, "DR-1", 3.0, 2500.0), (10, "DR-1", 1.0, 2100.0),
                             (11, "DR-1", 1.0, 0.0)]
    assert report.totals() == {"DR-1": 5.0}


def test_sold_more_than_held_over_its_rows_marks_each_of_them():
    def more_rows(sheet):
        sheet["A10"], sheet["E10"], sheet["F10"] = "DR-1", 2.5, 2100
    report = read(filled({"E7": 3, "F7": 2500, "E8": 1, "F8": 900}, more_rows))
    assert told(report) == [
        '"отчёт.xlsx", row 7, column E: 5.5 sold in rows 7, 10 is more than the 5 held on '
        'consignment',
        '"отчёт.xlsx", row 10, column E: 5.5 sold in rows 7, 10 is more than the 5 held on '
        'consignment']
    assert taken(report) == [(8, "00123", 1.0, 900.0)]
    single = read(filled({"E8": 3, "F8": 900}))
    assert told(single) == [
        '"отчёт.xlsx", row 8, column E: 3 sold is more than the 2 held on consignment']


def test_rows_added_in_the_middle_and_a_column_inserted_are_read():
    def rework(sheet):
        sheet.insert_rows(8)
        sheet["A8"], sheet["E8"], sheet["F8"] = "DR-1", 1, 2000
        sheet.insert_cols(2)
        sheet["B6"] = "Комментарий"
        sheet.column_dimensions["A"].width = 40
    report = read(filled({"E7": 2, "F7": 2500, "E8": 1, "F8": 800}, rework))
    assert report.columns == {"sku": 1, "qty": 6, "price": 7}
    assert taken(report) == [(7, "DR-1", 2.0, 2500.0), (8, "DR-1", 1.0, 2000.0),
                             (9, "00123", 1.0, 800.0)]


def test_each_kind_of_bad_row_is_told_at_its_cell():
    def rows(sheet):
        for number, values in enumerate([
                ("ZZZ-9", 1, 10),                           # 10: unknown SKU
                ("KN-1", 1, 10),                            # 11: known, not on consignment
                ("GL-7", 0, 10),                            # 12: zero quantity
                ("GL-7", -2, 10),                           # 13: negative quantity
                ("GL-7", 1, -5),                            # 14: negative price
                ("GL-7", "два", 10),                        # 15: text in a number cell
                ("GL-7", 1, "дёшево"),                      # 16: text in the price
                ("GL-7", "=E7*2", 10),                      # 17: formula, no value saved
                ("GL-7", 1, datetime.date(2026, 11, 3)),    # 18: a date in the price
                ("GL-7", datetime.datetime(2026, 1, 2), 5),  # 19: a date in the quantity
                ("GL-7", 1, None),                          # 20: a quantity with no price
                ("GL-7", None, 100),                        # 21: a price with no quantity
                (None, 1, 100),                             # 22: no SKU
                ("GL-7", 1, 10),                            # 23: merged with 24 (SKU column)
                (None, 1, 10),                              # 24
                ("GL-7", 3, 10),                            # 25: good
        ], 10):
            for column, value in zip("AEF", values):
                if value is not None:
                    sheet["%s%d" % (column, number)] = value
        sheet.merge_cells("A23:A24")
        sheet.merge_cells("B9:C9")                          # the name only: harmless
    report = read(filled(change=rows), known=lambda texts: {"kn-1"} & {t.lower() for t in texts})
    where = '"отчёт.xlsx", row %d, column %s: '
    assert told(report) == [
        where % (10, "A") + 'unknown SKU "ZZZ-9"',
        where % (11, "A") + 'the product "KN-1" is not on consignment under this contract',
        where % (12, "E") + "the quantity must be greater than zero (got 0)",
        where % (13, "E") + "the quantity must be greater than zero (got -2)",
        where % (14, "F") + "the price cannot be negative (got -5.00)",
        where % (15, "E") + 'the quantity "два" is not a number',
        where % (16, "F") + 'the sale price "дёшево" is not a number',
        where % (17, "E") + "the cell holds a formula with no computed value: open the file in "
                            "Excel or LibreOffice, let it compute the formulas and save it "
                            "again, or type the number",
        where % (18, "F") + "the sale price holds a date (2026-11-03 00:00:00), not a number",
        where % (19, "E") + "the quantity sold holds a date (2026-01-02 00:00:00), not a number",
        where % (20, "F") + "the sale price is empty",
        where % (21, "E") + "the quantity is empty",
        where % (22, "A") + "the SKU is empty",
        where % (23, "A") + "the cells A23:A24 are merged: unmerge them and fill in each row on "
                            "its own",
        where % (24, "A") + "the cells A23:A24 are merged: unmerge them and fill in each row on "
                            "its own",
    ]
    assert report.bad_rows == list(range(10, 25))
    assert taken(report) == [(25, "GL-7", 3.0, 10.0)]
    assert {problem.code for problem in report.problems} == {
        "unknown_sku", "not_on_consignment", "bad_qty", "bad_price", "bad_sku",
        "formula_no_value", "merged_cells"}


def test_without_the_catalog_a_sku_not_held_is_not_on_consignment():
    report = read(filled({"A10": "ZZZ-9", "E10": 1, "F10": 10}))
    assert told(report) == ['"отчёт.xlsx", row 10, column A: the product "ZZZ-9" is not on '
                            'consignment under this contract']
    known = read(filled({"A10": "ZZZ-9", "E10": 1, "F10": 10}), known={"DR-1"})
    assert [problem.code for problem in known.problems] == ["unknown_sku"]


def test_a_formula_with_its_value_saved_is_read_as_the_value():
    data = filled({"E7": "=1+1", "F7": 2500})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(r"<f>1\+1</f>(<v\s*/>|<v></v>)?",
                                               "<f>1+1</f><v>2</v>", sheet_xml).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    report = read(out.getvalue())
    assert report.ok and taken(report) == [(7, "DR-1", 2.0, 2500.0)]


# ------------------------------------------------------------------ files that cannot be read
@pytest.mark.parametrize("data, code, message", [
    (b"\xd0\xa1\xd0\xba\xd1\x83;1;100\n", "not_xlsx",
     'The file "отчёт.xlsx" is not an Excel workbook (.xlsx). Save the report as an Excel '
     'Workbook (.xlsx) and upload it again; CSV, PDF and other formats are not read.'),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old_xls",
     'The file "отчёт.xlsx" is an Excel 97-2003 workbook (.xls). Save it as an Excel Workbook '
     '(.xlsx) and upload it again.'),
    (b"PK\x03\x04broken", "corrupt_file",
     'The file "отчёт.xlsx" is damaged and cannot be read as an Excel workbook. Open it in '
     'Excel, save it again as .xlsx and upload the new file.'),
    (b"", "empty_file", 'The file "отчёт.xlsx" is empty.'),
])
def test_a_file_that_cannot_be_read_gives_one_file_level_problem(data, code, message):
    report = read(data)
    assert not report.readable and not report.rows
    assert [(problem.code, problem.row, problem.render()) for problem in report.problems] == [
        (code, None, message)]
    with pytest.raises(FileError):
        marked_copy(data, report)


def test_a_workbook_without_the_report_header_is_told_so():
    workbook = openpyxl.Workbook()
    workbook.active.append(("Артикул", "Количество"))
    workbook.active.append(("DR-1", 1))
    out = io.BytesIO()
    workbook.save(out)
    report = read(out.getvalue())
    assert told(report) == [
        'No header with the columns "Артикул", "Продано, шт" and "Цена продажи" found on the '
        'first sheet "Sheet" of the file "отчёт.xlsx". Fill in the consignment list downloaded '
        'from the portal, keeping its header.']


# ------------------------------------------------------------------ the marked copy
def test_marked_copy_marks_the_bad_rows_of_the_agents_own_file():
    data = filled({"E7": 3, "F7": 2500, "E8": "два", "F8": -1, "A10": "ZZZ", "E10": 1,
                   "F10": 5, "E9": 10, "F9": 100})
    report = read(data)
    russian = {'the quantity "%(value)s" is not a number': "количество «%(value)s» — не число"}
    copy = marked_copy(data, report, translate=lambda text: russian.get(text, text))
    sheet = openpyxl.load_workbook(io.BytesIO(copy)).active
    assert sheet["G6"].value == ERROR_COLUMN_TITLE
    marks = {row: sheet.cell(row, 7).value for row in range(7, 12)}
    assert marks == {
        7: None,
        8: "количество «два» — не число; the price cannot be negative (got -1.00)",
        9: None,
        10: 'the product "ZZZ" is not on consignment under this contract',
        11: None}
    assert sheet["G8"].fill.fgColor.rgb == "FFFFC7CE" and sheet["G10"].fill.fgColor.rgb == \
        "FFFFC7CE"
    # the agent's values and the list's protection are kept
    assert [cell.value for cell in sheet[8]][:6] == ["00123", "Пила", "шт", 2, "два", -1]
    assert sheet.protection.sheet
    # the agent fixes the rows in the marked copy and uploads it again: the error column is
    # no report column, and a new copy reuses it
    sheet["E8"], sheet["F8"], sheet["A10"] = 1, 900, "GL-7"
    out = io.BytesIO()
    sheet.parent.save(out)
    fixed = read(out.getvalue())
    assert fixed.ok and taken(fixed) == [(7, "DR-1", 3.0, 2500.0), (8, "00123", 1.0, 900.0),
                                         (9, "GL-7", 10.0, 100.0), (10, "GL-7", 1.0, 5.0)]
    again = openpyxl.load_workbook(io.BytesIO(marked_copy(out.getvalue(), fixed))).active
    assert [again.cell(6, column).value for column in (7, 8)] == [ERROR_COLUMN_TITLE, None]
    assert [again.cell(row, 7).value for row in range(7, 11)] == [None] * 4
