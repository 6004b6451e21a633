import datetime
import io
import struct
import zipfile

import openpyxl
import pytest

from b2b_base.lib.pricing import Offer, check_quantity
from b2b_portal.lib.xlsx_order import (ERROR_COLUMN_TITLE, OrderFileError, marked_copy,
                                       match_rows, read_order_file, template_file)


# ------------------------------------------------------------------ building files
def xlsx(*rows, title="Заказ", formats=None, more_sheets=()):
    """A workbook whose first sheet holds ``rows`` (``None`` cells stay empty); ``formats`` maps
    a cell name to its number format; ``more_sheets`` are (title, rows) after it."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for number, row in enumerate(rows, 1):
        for column, value in enumerate(row, 1):
            if value is not None:
                sheet.cell(number, column, value)
    for name, number_format in (formats or {}).items():
        sheet[name].number_format = number_format
    for other_title, other_rows in more_sheets:
        other = workbook.create_sheet(other_title)
        for row in other_rows:
            other.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def big_xlsx(count, header=("Артикул", "Количество")):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Заказ")
    sheet.append(header)
    for number in range(count):
        sheet.append(("SKU-%05d" % number, 1 + number % 7))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def compound_file(streams):
    """An OLE compound file (the container of Excel's password-protected workbooks and of old
    .xls files) holding ``streams`` [(name, bytes of at least 4096)], 512-byte sectors."""
    free, end, fat_sector, no_stream = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    fat = [fat_sector, end]                 # sector 0: the FAT, sector 1: the directory
    body = b""
    starts = []
    for _name, data in streams:
        assert len(data) >= 4096            # past the mini-stream cutoff: plain sectors
        data += b"\0" * (-len(data) % 512)
        first = len(fat)
        count = len(data) // 512
        fat += list(range(first + 1, first + count)) + [end]
        starts.append(first)
        body += data
    assert len(fat) <= 128
    fat += [free] * (128 - len(fat))

    def entry(name, kind, child=no_stream, right=no_stream, start=end, size=0):
        encoded = (name + "\0").encode("utf-16-le")
        return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
                + struct.pack("<III", no_stream, right, child) + b"\0" * 16
                + struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, child=1)
    for number, ((name, data), start) in enumerate(zip(streams, starts), 1):
        right = number + 1 if number < len(streams) else no_stream
        directory += entry(name, 2, right=right, start=start, size=len(data))
    directory = directory.ljust(512, b"\0")
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    assert len(header) == 512
    return header + struct.pack("<128I", *fat) + directory + body


def offer(product_id, sku, price=100.0, min_qty=None, multiple=None, forbidden=False,
          visible=True):
    return Offer(product_id, sku, price, 150.0, "in_stock", 0, min_qty, multiple, forbidden,
                 visible)


def error_of(data, filename="order.xlsx", **limits):
    with pytest.raises(OrderFileError) as caught:
        read_order_file(data, filename, **limits)
    return caught.value.problem


def rows_of(parsed):
    return [(row.row, row.sku, row.qty, row.problem and row.problem.render())
            for row in parsed.rows]


# ------------------------------------------------------------------ header and columns
def test_russian_header_rows_keep_their_sheet_row_numbers():
    parsed = read_order_file(xlsx(("Артикул", "Количество"), ("A-1", 5), (None, None),
                                  ("B-2", 3)), "заказ.xlsx")
    assert (parsed.header_row, parsed.sku_column, parsed.qty_column) == (1, 1, 2)
    assert (parsed.filename, parsed.sheet) == ("заказ.xlsx", "Заказ")
    assert rows_of(parsed) == [(2, "A-1", 5.0, None), (4, "B-2", 3.0, None)]


def test_english_header_among_other_columns_in_any_order():
    parsed = read_order_file(xlsx(("Name", "Qty", "Price", "SKU"),
                                  ("Drill", 2, 99.5, "DR-1"),
                                  ("Saw", 1, 10, "SW-7")), "order.xlsx")
    assert (parsed.header_row, parsed.sku_column, parsed.qty_column) == (1, 4, 2)
    assert rows_of(parsed) == [(2, "DR-1", 2.0, None), (3, "SW-7", 1.0, None)]


@pytest.mark.parametrize("sku_title, qty_title", [
    ("  АРТИКУЛ ", "кол-во"), ("Код товара", "Количество, шт"), ("article\xa0", "QUANTITY:"),
    ("Code", "Qty."), ("sku", "К О Л И Ч Е С Т В О"),
])
def test_titles_are_recognised_whatever_their_case_and_spaces(sku_title, qty_title):
    parsed = read_order_file(xlsx(("№", sku_title, qty_title), (1, "X-1", 4)), "order.xlsx")
    assert (parsed.header_row, parsed.sku_column, parsed.qty_column) == (1, 2, 3)
    assert rows_of(parsed) == [(2, "X-1", 4.0, None)]


def test_sku_title_is_preferred_to_an_internal_code_column():
    """A 1C export often has both "Код" (its own code) and "Артикул"."""
    parsed = read_order_file(xlsx(("Код", "Наименование", "Артикул", "Кол-во в упаковке",
                                   "Количество"),
                                  ("00000017", "Дрель", "DR-1", 6, 2)), "order.xlsx")
    assert (parsed.sku_column, parsed.qty_column) == (3, 5)
    assert rows_of(parsed) == [(2, "DR-1", 2.0, None)]


def test_header_on_row_3_under_a_title():
    parsed = read_order_file(xlsx(("Заказ ООО «Ромашка» от 01.03",), (None,),
                                  ("Артикул", "Количество"), ("A-1", 5), ("B-2", 7)),
                             "order.xlsx")
    assert parsed.header_row == 3
    assert rows_of(parsed) == [(4, "A-1", 5.0, None), (5, "B-2", 7.0, None)]


def test_without_header_first_column_is_sku_and_second_is_quantity():
    parsed = read_order_file(xlsx(("A-1", 5), ("B-2", "3"), (123, 2)), "order.xlsx")
    assert (parsed.header_row, parsed.sku_column, parsed.qty_column) == (None, 1, 2)
    assert rows_of(parsed) == [(1, "A-1", 5.0, None), (2, "B-2", 3.0, None), (3, "123", 2.0, None)]


def test_without_header_the_leftmost_used_column_is_the_sku():
    parsed = read_order_file(xlsx((None, "A-1", 5), (None, "B-2", 1)), "order.xlsx")
    assert (parsed.sku_column, parsed.qty_column) == (2, 3)
    assert [row.sku for row in parsed.rows] == ["A-1", "B-2"]


# ------------------------------------------------------------------ cell values
def test_skus_as_numbers_or_text_keep_the_code_the_dealer_typed():
    data = xlsx(("Артикул", "Количество"),
                (123, 1), (123.0, 1), ("00123", 1), (4600123, 1), (42, 1), (" AB-1\xa0", 1),
                ("'0042", 1), (12.5, 1),
                formats={"A5": "@", "A6": "00000"})
    parsed = read_order_file(data, "order.xlsx")
    assert [row.sku for row in parsed.rows] == [
        "123", "123", "00123", "4600123", "00042", "AB-1", "0042", "12.5"]


def test_quantities_accept_numbers_decimal_comma_and_spaced_thousands():
    data = xlsx(("Артикул", "Количество"),
                ("A", 5), ("B", 2.5), ("C", "5"), ("D", "5,5"), ("E", "1 000"),
                ("F", "1\xa0000,25"), ("G", " 7 "))
    parsed = read_order_file(data, "order.xlsx")
    assert [row.qty for row in parsed.rows] == [5.0, 2.5, 5.0, 5.5, 1000.0, 1000.25, 7.0]
    assert all(row.problem is None for row in parsed.rows)


def test_bad_quantities_and_skus_are_row_problems_with_their_place():
    data = xlsx(("Артикул", "Количество"),
                ("A", "пять"), ("B", None), ("C", "1.000,5"), (None, 4),
                (datetime.datetime(2024, 3, 1), 2), ("D", True))
    parsed = read_order_file(data, "order.xlsx")
    assert [(row.row, row.problem.code) for row in parsed.rows] == [
        (2, "bad_qty"), (3, "bad_qty"), (4, "bad_qty"), (5, "bad_sku"), (6, "bad_sku"),
        (7, "bad_qty")]
    assert [row.problem.render() for row in parsed.rows] == [
        '"order.xlsx", row 2, column B: the quantity "пять" is not a number',
        '"order.xlsx", row 3, column B: the quantity is empty',
        '"order.xlsx", row 4, column B: the quantity "1.000,5" is not a number',
        '"order.xlsx", row 5, column A: the SKU is empty',
        '"order.xlsx", row 6, column A: the SKU cell holds a date (2024-03-01 00:00:00), not a '
        'code: format the SKU column as text and type the code again',
        '"order.xlsx", row 7, column B: the quantity "True" is not a number',
    ]


def test_empty_and_blank_rows_are_skipped_and_other_columns_do_not_make_a_row():
    data = xlsx(("Артикул", "Количество", "Комментарий"),
                ("A-1", 1), (None, None), ("  ", "\xa0"), (None, None, "позвонить заранее"),
                ("B-2", 2))
    parsed = read_order_file(data, "order.xlsx")
    assert [(row.row, row.sku) for row in parsed.rows] == [(2, "A-1"), (6, "B-2")]


def test_only_the_first_sheet_is_read():
    data = xlsx(("Артикул", "Количество"), ("A-1", 1),
                more_sheets=[("Прайс", [("Артикул", "Количество"), ("Z-9", 100)])])
    assert [row.sku for row in read_order_file(data, "order.xlsx").rows] == ["A-1"]


def test_file_name_from_a_browser_path_is_reduced_to_the_name():
    parsed = read_order_file(xlsx(("A-1", 1)), "C:\\fakepath\\Заказ март.xlsx")
    assert parsed.filename == "Заказ март.xlsx"


# ------------------------------------------------------------------ files refused
def test_csv_renamed_to_xlsx_is_refused():
    problem = error_of("Артикул;Количество\nA-1;5\n".encode("cp1251"), "order.xlsx")
    assert problem.code == "not_xlsx"
    assert problem.render() == (
        'The file "order.xlsx" is not an Excel workbook (.xlsx). Save the order as an Excel '
        'Workbook (.xlsx) and upload it again; CSV, PDF and other formats are not read.')


def test_pdf_renamed_to_xlsx_is_refused():
    assert error_of(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n").code == "not_xlsx"


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.txt", "not a workbook")
    assert error_of(out.getvalue()).code == "not_xlsx"


@pytest.mark.parametrize("damage", ["truncated", "garbled_sheet", "missing_sheet"])
def test_corrupt_workbook_is_refused_not_crashed(damage):
    good = xlsx(("Артикул", "Количество"), *[("A-%d" % n, n) for n in range(1, 200)])
    if damage == "truncated":
        data = good[:len(good) // 2]
    else:
        source = zipfile.ZipFile(io.BytesIO(good))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for item in source.infolist():
                content = source.read(item)
                if item.filename == "xl/worksheets/sheet1.xml":
                    if damage == "missing_sheet":
                        continue
                    content = content[:len(content) // 2]
                archive.writestr(item, content)
        data = out.getvalue()
    problem = error_of(data, "broken.xlsx")
    assert problem.code == "corrupt_file"
    assert problem.render().startswith('The file "broken.xlsx" is damaged')


def test_empty_upload_is_refused():
    assert error_of(b"").code == "empty_file"


def test_password_protected_workbook_is_refused():
    data = compound_file([("EncryptionInfo", b"\x04\x00\x04\x00\x40" + b"\0" * 4091),
                          ("EncryptedPackage", bytes(range(256)) * 16)])
    problem = error_of(data, "secret.xlsx")
    assert problem.code == "password_protected"
    assert problem.render() == ('The file "secret.xlsx" is protected with a password. Save it '
                                'without a password and upload it again.')


def test_old_binary_excel_workbook_is_named_as_such():
    problem = error_of(compound_file([("Workbook", b"\x09\x08" + b"\0" * 4094)]), "old.xlsx")
    assert problem.code == "old_xls"
    assert ".xls" in problem.render()


def test_workbook_with_an_empty_first_sheet_is_refused():
    problem = error_of(xlsx(more_sheets=[("Данные", [("A-1", 1)])]), "empty.xlsx")
    assert problem.code == "empty_workbook"
    assert problem.render() == ('The sheet "Заказ" of the file "empty.xlsx" is empty. Put '
                                'the SKUs and quantities on the sheet of the order.')


def test_brand_new_empty_workbook_is_refused():
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    assert error_of(out.getvalue()).code == "empty_workbook"


def test_quantity_title_without_sku_title_means_no_sku_column():
    problem = error_of(xlsx(("Наименование", "Количество"), ("Дрель", 2)))
    assert problem.code == "no_sku_column"
    assert problem.params["row"] == 1 and problem.params["column"] == "B"
    assert 'row 1 has a quantity column (B) but no column titled "Артикул"' in problem.render()


def test_unknown_header_titles_mean_no_sku_column():
    problem = error_of(xlsx(("Товар", "Штук"), ("Дрель", 2)))
    assert problem.code == "no_sku_column"
    assert 'row 1 looks like a header ("Товар", "Штук")' in problem.render()


def test_headerless_file_with_text_quantities_is_read_and_each_row_told():
    """No row has a number where the quantity should be: these are not titles but bad rows."""
    parsed = read_order_file(xlsx(("A-1", "5 шт"), ("B-2", "3 шт")), "order.xlsx")
    assert parsed.header_row is None
    assert [row.problem.render() for row in parsed.rows] == [
        '"order.xlsx", row 1, column B: the quantity "5 шт" is not a number',
        '"order.xlsx", row 2, column B: the quantity "3 шт" is not a number']


def test_sku_title_without_quantity_title_means_no_quantity_column():
    problem = error_of(xlsx(("Артикул", "Цена"), ("A-1", 2)))
    assert problem.code == "no_qty_column"
    assert "row 1 has the SKU column A" in problem.render()


def test_more_rows_than_the_limit_are_refused():
    problem = error_of(big_xlsx(10001), "big.xlsx")
    assert problem.code == "too_many_rows"
    assert problem.params["limit"] == 10000 and problem.params["row"] == 10002
    assert problem.render().startswith('The file "big.xlsx" has more than 10000 order rows')


def test_row_limit_is_configurable_and_counts_only_order_rows():
    data = xlsx(("Артикул", "Количество"), ("A", 1), (None, None), ("B", 1), ("C", 1))
    assert len(read_order_file(data, "order.xlsx", max_rows=3).rows) == 3
    assert error_of(data, max_rows=2).code == "too_many_rows"


def test_file_over_the_size_limit_is_refused_before_it_is_opened():
    problem = error_of(b"PK" + b"\0" * (10 * 1024 * 1024), "huge.xlsx")
    assert problem.code == "file_too_large"
    assert problem.render() == ('The file "huge.xlsx" is 10 MB; an order file can be at most '
                                '10 MB.')
    small = xlsx(("A-1", 1))
    assert error_of(small, max_size=len(small) - 1).code == "file_too_large"


def test_workbook_that_unpacks_too_large_is_refused():
    data = xlsx(("Артикул", "Количество"), *[("A-%d" % n, n) for n in range(1, 2000)])
    assert error_of(data, max_unpacked=50 * 1024).code == "unpacked_too_large"
    assert read_order_file(data, "order.xlsx").rows[-1].sku == "A-1999"


# ------------------------------------------------------------------ matching
# as the portal's SKU look-up answers: keyed by the SKU texts of the file, a text typed in
# another letter case than the product's SKU ("a-1", "AB-7") naming the product it was found for
OFFERS = {
    "A-1": offer(1, "A-1"),
    "a-1": offer(1, "A-1"),
    "B-2": offer(2, "B-2", min_qty=10),
    "C-3": offer(3, "C-3", multiple=6),
    "D-4": offer(4, "D-4", visible=False),
    "E-5": offer(5, "E-5", forbidden=True),
    "F-6": offer(6, "F-6", price=None),
    "00123": offer(7, "00123"),
    "ab-7": offer(8, "ab-7"),
    "AB-7": offer(8, "ab-7"),
}


def preview_of(*rows, offers=None):
    parsed = read_order_file(xlsx(("Артикул", "Количество"), *rows), "order.xlsx")
    return match_rows(parsed, OFFERS if offers is None else offers, check_quantity)


def verdicts(preview):
    return [(r.row, r.status, r.problem.code if r.problem else r.product_id)
            for r in preview.results]


def test_each_kind_of_row_gets_its_verdict():
    preview = preview_of(("A-1", 2), ("ZZZ", 1), ("D-4", 1), ("E-5", 1), ("F-6", 1),
                         ("A-1x", "два"), ("B-2", 3), ("C-3", 7), ("00123", 0), ("AB-7", -2),
                         ("ab-7", "12"), ("B-2", "много"))
    assert verdicts(preview) == [
        (2, "matched", 1), (3, "rejected", "unknown_sku"), (4, "rejected", "not_allowed"),
        (5, "rejected", "not_allowed"), (6, "rejected", "not_allowed"),
        (7, "rejected", "unknown_sku"), (8, "rejected", "below_min_qty"),
        (9, "rejected", "not_multiple"), (10, "rejected", "bad_qty"), (11, "rejected", "bad_qty"),
        (12, "matched", 8), (13, "rejected", "bad_qty")]
    assert [r.problem.render() for r in preview.rejected] == [
        '"order.xlsx", row 3, column A: unknown SKU "ZZZ"',
        '"order.xlsx", row 4, column A: the product "D-4" is not available to you',
        '"order.xlsx", row 5, column A: the product "E-5" cannot be bought in your region',
        '"order.xlsx", row 6, column A: the price of "F-6" is on request: it cannot be ordered in '
        'the portal, ask your manager for it',
        '"order.xlsx", row 7, column A: unknown SKU "A-1x"',
        '"order.xlsx", row 8, column B: the minimum order quantity is 10 (ordered 3)',
        '"order.xlsx", row 9, column B: order in multiples of 6 (ordered 7)',
        '"order.xlsx", row 10, column B: the quantity must be greater than zero (got 0)',
        '"order.xlsx", row 11, column B: the quantity must be greater than zero (got -2)',
        '"order.xlsx", row 13, column B: the quantity "много" is not a number',
    ]
    assert [(line.product_id, line.sku, line.qty, line.rows) for line in preview.lines] == [
        (1, "A-1", 2.0, (2,)), (8, "ab-7", 12.0, (12,))]
    assert preview.reasons() == {"unknown_sku": 2, "not_allowed": 3, "below_min_qty": 1,
                                 "not_multiple": 1, "bad_qty": 3}
    assert not preview.ok


def test_rows_match_the_texts_the_look_up_answered_for_and_keep_leading_zeros():
    preview = preview_of(("a-1", 1), ("AB-7", 1), ("00123", 1), (123, 1), ("aB-7", 1))
    assert verdicts(preview) == [(2, "matched", 1), (3, "matched", 8), (4, "matched", 7),
                                 (5, "rejected", "unknown_sku"), (6, "rejected", "unknown_sku")]
    assert [line.sku for line in preview.lines] == ["A-1", "ab-7", "00123"]


def test_duplicate_skus_are_merged_into_one_line_with_a_note_on_each_row():
    preview = preview_of(("A-1", 2), ("B-2", 1), ("a-1", "3,5"), ("A-1", 1))
    assert [(line.product_id, line.qty, line.rows) for line in preview.lines] == [
        (1, 6.5, (2, 4, 5))]
    merged = [r for r in preview.results if r.note is not None]
    assert [(r.row, r.status, r.qty) for r in merged] == [
        (2, "matched", 2.0), (4, "matched", 3.5), (5, "matched", 1.0)]
    assert {r.note.message() for r in merged} == {
        'rows 2, 4, 5 hold the same product "A-1": merged into one line of 6.5'}
    assert preview.reasons() == {"below_min_qty": 1}


def test_merged_quantity_is_what_is_checked():
    # 4 + 6 reaches the minimum of 10 that neither row reaches alone
    assert [(l.product_id, l.qty) for l in preview_of(("B-2", 4), ("B-2", 6)).lines] == [(2, 10.0)]
    # 3 + 3 is a multiple of 6 that neither row is alone; 6 + 1 spoils a row that was right
    assert [(l.product_id, l.qty) for l in preview_of(("C-3", 3), ("C-3", 3)).lines] == [(3, 6.0)]
    preview = preview_of(("C-3", 6), ("C-3", 1))
    assert preview.lines == ()
    assert [(r.row, r.problem.code, r.note is not None) for r in preview.results] == [
        (2, "not_multiple", True), (3, "not_multiple", True)]
    assert preview.results[0].problem.message() == "order in multiples of 6 (ordered 7)"


def test_rows_with_a_bad_quantity_are_not_merged():
    preview = preview_of(("A-1", 2), ("A-1", "x"), ("A-1", 0), ("A-1", 3))
    assert [(l.qty, l.rows) for l in preview.lines] == [(5.0, (2, 5))]
    assert verdicts(preview) == [(2, "matched", 1), (3, "rejected", "bad_qty"),
                                 (4, "rejected", "bad_qty"), (5, "matched", 1)]


def test_five_thousand_row_file_previews_in_full():
    data = big_xlsx(5000)
    parsed = read_order_file(data, "big.xlsx")
    assert len(parsed.rows) == 5000 and parsed.rows[-1].row == 5001
    offers = {"SKU-%05d" % n: offer(n + 1, "SKU-%05d" % n, multiple=2 if n % 100 == 0 else None)
              for n in range(4990)}
    preview = match_rows(parsed, offers, check_quantity)
    # the last ten SKUs are unknown; every 100th product is sold in pairs and 1 + n % 7 is odd
    # for n = 0, 200, 400, ... (n % 7 even)
    odd_pairs = sum(1 for n in range(0, 4990, 100) if (1 + n % 7) % 2)
    assert preview.reasons() == {"unknown_sku": 10, "not_multiple": odd_pairs}
    assert len(preview.lines) == 4990 - odd_pairs
    assert preview.lines[-1].sku == "SKU-04989"


# ------------------------------------------------------------------ marked copy and template
def test_marked_copy_adds_the_error_column_and_keeps_the_dealers_values():
    data = xlsx(("Заказ на март",), ("Артикул", "Наименование", "Количество"),
                ("A-1", "Дрель", 2), ("ZZZ", "Пила", 1), ("A-1", "Дрель", 3), ("00123", None, 1),
                formats={"A6": "@"},
                more_sheets=[("Прайс", [("A-1", 100.5)]), ("Скидки", [("x", 1)])])
    preview = match_rows(read_order_file(data, "order.xlsx"), OFFERS, check_quantity)
    copy = marked_copy(data, preview)
    workbook = openpyxl.load_workbook(io.BytesIO(copy))
    assert workbook.sheetnames == ["Заказ", "Прайс", "Скидки"]
    sheet = workbook["Заказ"]
    assert [[cell.value for cell in row] for row in sheet.iter_rows()] == [
        ["Заказ на март", None, None, None],
        ["Артикул", "Наименование", "Количество", ERROR_COLUMN_TITLE],
        ["A-1", "Дрель", 2, 'rows 3, 5 hold the same product "A-1": merged into one line of 5'],
        ["ZZZ", "Пила", 1, 'unknown SKU "ZZZ"'],
        ["A-1", "Дрель", 3, 'rows 3, 5 hold the same product "A-1": merged into one line of 5'],
        ["00123", None, 1, None],
    ]
    assert sheet["A6"].number_format == "@"
    assert [[c.value for c in row] for row in workbook["Прайс"].iter_rows()] == [["A-1", 100.5]]


def test_marked_copy_can_be_fixed_and_uploaded_again():
    data = xlsx(("Артикул", "Количество"), ("A-1", 2), ("B-2", 3), ("ZZZ", 1))
    first = match_rows(read_order_file(data, "order.xlsx"), OFFERS, check_quantity)
    russian = {"the minimum order quantity is %(min_qty)s (ordered %(qty)s)":
               "минимальное количество для заказа %(min_qty)s (заказано %(qty)s)"}
    copy = marked_copy(data, first, translate=lambda text: russian.get(text, text))
    sheet = openpyxl.load_workbook(io.BytesIO(copy)).active
    assert sheet["C3"].value == "минимальное количество для заказа 10 (заказано 3)"
    # the dealer fixes the quantity and drops the unknown SKU, then uploads the copy again
    sheet["B3"] = 10
    sheet.delete_rows(4)
    out = io.BytesIO()
    sheet.parent.save(out)
    fixed = out.getvalue()
    second = match_rows(read_order_file(fixed, "order.xlsx"), OFFERS, check_quantity)
    assert second.ok and [(l.sku, l.qty) for l in second.lines] == [("A-1", 2.0), ("B-2", 10.0)]
    # the error column of the earlier copy is reused and cleared, not doubled
    again = openpyxl.load_workbook(io.BytesIO(marked_copy(fixed, second))).active
    assert [[c.value for c in row] for row in again.iter_rows()] == [
        ["Артикул", "Количество", ERROR_COLUMN_TITLE], ["A-1", 2, None], ["B-2", 10, None]]


def test_marked_copy_of_a_file_without_header_marks_the_rows():
    data = xlsx(("A-1", 1), ("ZZZ", 2))
    preview = match_rows(read_order_file(data, "order.xlsx"), OFFERS, check_quantity)
    sheet = openpyxl.load_workbook(io.BytesIO(marked_copy(data, preview))).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["A-1", 1, None], ["ZZZ", 2, 'unknown SKU "ZZZ"']]


def test_template_has_the_header_an_example_and_a_text_sku_column():
    data = template_file()
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == ["Артикул", "Количество"]
    assert [c.value for c in sheet[2]] == ["00123", 10]
    assert sheet.column_dimensions["A"].number_format == "@"
    assert sheet["A2"].number_format == "@"
    parsed = read_order_file(data, "template.xlsx")
    assert rows_of(parsed) == [(2, "00123", 10.0, None)]
