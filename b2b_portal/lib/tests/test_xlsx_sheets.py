"""Order workbooks as dealers send them: an instructions sheet first, the order on another sheet
(the active one or not), a header below a title, merged cells, a totals row, a sheet in English."""
import io

import openpyxl
import pytest

from b2b_base.lib.pricing import Offer, check_quantity
from b2b_portal.lib.xlsx_order import (ERROR_COLUMN_TITLE, OrderFileError, choose_sheet,
                                       marked_copy, match_rows, matching_rows, read_order_book,
                                       read_order_file)


def offer(product_id, sku):
    return Offer(product_id, sku, 100.0, 150.0, "in_stock", 0, None, None, False, True)


CATALOG = {sku: offer(number, sku) for number, sku in enumerate(
    ("MIX-00001", "MIX-00002", "SNK-00001", "TWR-00001", "ACC-00001"), 1)}


def save(workbook):
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def dealer_workbook(active=1, total="Итого:", english=True, after_total=True):
    """Sheet 1 «Инструкция» (text, a merged title), sheet 2 «Заказ» (a merged title, the header
    on row 4, three goods, a totals row merged over A:C with the quantity and the amount, a
    signature below), sheet 3 «Order (EN)» (English titles, two goods)."""
    workbook = openpyxl.Workbook()
    notes = workbook.active
    notes.title = "Инструкция"
    notes["A1"] = "Как заполнить заказ"
    notes.merge_cells("A1:D1")
    notes["A3"] = "1. Впишите коды товаров и количества на листе «Заказ»."
    notes["A4"] = "2. Сохраните книгу и загрузите её на портале."
    notes["A5"] = "Пример: MIX-00001 — 10 шт."

    order = workbook.create_sheet("Заказ")
    order["A1"] = "Заказ покупателя ООО «Бета-Трейд»"
    order.merge_cells("A1:E1")
    order["A2"] = "Дата: 07.12.2026"
    for column, title in enumerate(("№", "Артикул", "Наименование", "Кол-во, шт", "Сумма"), 1):
        order.cell(4, column, title)
    goods = [("MIX-00001", "Смеситель", 10), ("SNK-00001", "Мойка", 3),
             ("TWR-00001", "Полотенцесушитель", 2)]
    for number, (sku, name, qty) in enumerate(goods, 1):
        order.append((number, sku, name, qty, qty * 100))
    if total is not None:
        order.append((total, None, None, 15, 1500))         # row 8
        order.merge_cells("A8:C8")
    if after_total:
        order.append(())
        order["A10"] = "Менеджер: ____________"
        order["B11"] = "ACC-00001"                          # a note below the total
        order["D11"] = 1

    if english:
        other = workbook.create_sheet("Order (EN)")
        other.append(("SKU", "Qty"))
        other.append(("MIX-00002", 4))
        other.append(("ACC-00001", 6))
    workbook.active = active
    return save(workbook)


# ------------------------------------------------------------------ the sheet the preview starts from
def test_every_visible_sheet_is_read_and_the_active_order_sheet_is_chosen():
    book = read_order_book(dealer_workbook(active=1), "заказ.xlsx")
    assert [sheet.title for sheet in book.sheets] == ["Инструкция", "Заказ", "Order (EN)"]
    assert book.active == "Заказ"
    order = book.sheet("Заказ").parsed
    assert (order.header_row, order.sku_column, order.qty_column) == (4, 2, 4)
    assert [(row.row, row.sku, row.qty) for row in order.rows] == [
        (5, "MIX-00001", 10.0), (6, "SNK-00001", 3.0), (7, "TWR-00001", 2.0)]
    counts = {sheet.title: matching_rows(sheet.parsed, CATALOG)
              for sheet in book.sheets if sheet.parsed}
    assert counts["Заказ"] == 3 and counts["Order (EN)"] == 2
    assert counts.get("Инструкция", 0) == 0
    assert choose_sheet(book, CATALOG) == "Заказ"


def test_instructions_sheet_active_the_sheet_with_most_matching_rows_is_chosen():
    book = read_order_book(dealer_workbook(active=0), "заказ.xlsx")
    assert book.active == "Инструкция"
    assert choose_sheet(book, CATALOG) == "Заказ"


def test_active_sheet_whose_rows_match_is_kept_even_when_another_matches_more():
    book = read_order_book(dealer_workbook(active=2), "заказ.xlsx")
    assert book.active == "Order (EN)"
    assert choose_sheet(book, CATALOG) == "Order (EN)"
    parsed = book.sheet("Order (EN)").parsed
    assert [(row.sku, row.qty) for row in parsed.rows] == [("MIX-00002", 4.0), ("ACC-00001", 6.0)]


def test_no_matching_row_anywhere_starts_from_the_active_sheet():
    book = read_order_book(dealer_workbook(active=2), "заказ.xlsx")
    assert choose_sheet(book, {}) == "Order (EN)"


def test_hidden_sheets_are_left_out():
    workbook = openpyxl.load_workbook(io.BytesIO(dealer_workbook()))
    workbook["Order (EN)"].sheet_state = "hidden"
    book = read_order_book(save(workbook), "заказ.xlsx")
    assert [sheet.title for sheet in book.sheets] == ["Инструкция", "Заказ"]


def test_a_sheet_that_is_no_order_is_listed_with_its_reason():
    workbook = openpyxl.load_workbook(io.BytesIO(dealer_workbook()))
    prices = workbook.create_sheet("Прайс")
    prices.append(("Артикул", "Цена"))
    prices.append(("MIX-00001", 1200))
    book = read_order_book(save(workbook), "заказ.xlsx")
    listed = book.sheet("Прайс")
    assert listed.parsed is None and listed.problem.code == "no_qty_column"
    assert 'sheet "Прайс"' in listed.problem.render()
    assert choose_sheet(book, CATALOG) == "Заказ"


def test_a_workbook_without_any_order_sheet_is_refused_with_its_sheets_named():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Пусто"
    workbook.create_sheet("Прайс").append(("Артикул", "Цена"))
    with pytest.raises(OrderFileError) as caught:
        read_order_book(save(workbook), "заказ.xlsx")
    assert caught.value.problem.code == "no_order_sheet"
    assert caught.value.problem.render() == (
        'No sheet of the file "заказ.xlsx" holds an order (sheets: "Пусто", "Прайс"). Put the '
        'SKUs in a column titled "Артикул" and the quantities in a column titled "Количество" '
        'on one sheet.')


def test_a_one_sheet_workbook_keeps_the_sheets_own_reason():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Заказ"
    workbook.active.append(("Артикул", "Цена"))
    with pytest.raises(OrderFileError) as caught:
        read_order_book(save(workbook), "заказ.xlsx")
    assert caught.value.problem.code == "no_qty_column"


def test_a_damaged_workbook_is_still_refused_with_its_message():
    data = dealer_workbook()
    with pytest.raises(OrderFileError) as caught:
        read_order_book(data[:len(data) // 2], "заказ.xlsx")
    assert caught.value.problem.code == "corrupt_file"
    assert caught.value.problem.render().startswith(
        'The file "заказ.xlsx" is damaged and cannot be read as an Excel workbook.')


def test_one_sheet_is_read_by_its_title():
    parsed = read_order_file(dealer_workbook(), "заказ.xlsx", sheet="Order (EN)")
    assert [row.sku for row in parsed.rows] == ["MIX-00002", "ACC-00001"]
    with pytest.raises(OrderFileError) as caught:
        read_order_file(dealer_workbook(), "заказ.xlsx", sheet="Лист9")
    assert caught.value.problem.code == "no_such_sheet"


# ------------------------------------------------------------------ the totals row
@pytest.mark.parametrize("total", ["Итого", "Итого:", "ИТОГО:", "Всего", "Total", "Итого по заказу",
                                   "Всего к оплате:"])
def test_totals_row_ends_the_order_and_is_no_unknown_sku(total):
    book = read_order_book(dealer_workbook(total=total), "заказ.xlsx")
    parsed = book.sheet("Заказ").parsed
    assert [row.sku for row in parsed.rows] == ["MIX-00001", "SNK-00001", "TWR-00001"]
    assert (parsed.total_row, parsed.after_total) == (8, 2)
    preview = match_rows(parsed, CATALOG, check_quantity)
    assert preview.ok and [line.sku for line in preview.lines] == [
        "MIX-00001", "SNK-00001", "TWR-00001"]


@pytest.mark.parametrize("column", [1, 2, 3])
@pytest.mark.parametrize("with_qty", [True, False])
def test_totals_row_in_any_column_with_or_without_a_quantity(column, with_qty):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(("Артикул", "Наименование", "Количество"))
    sheet.append(("MIX-00001", "Смеситель", 2))
    total = [None, None, 2 if with_qty else None]
    total[column - 1] = "Итого:" if column != 3 else "Итого: 2"
    sheet.append(total)
    parsed = read_order_file(save(workbook), "заказ.xlsx")
    assert [row.sku for row in parsed.rows] == ["MIX-00001"]
    assert parsed.total_row == 3


def test_totals_row_of_a_sheet_without_header():
    workbook = openpyxl.Workbook()
    for row in (("MIX-00001", 2), ("SNK-00001", 1), ("Итого", 3)):
        workbook.active.append(row)
    parsed = read_order_file(save(workbook), "заказ.xlsx")
    assert [row.sku for row in parsed.rows] == ["MIX-00001", "SNK-00001"]
    assert (parsed.total_row, parsed.after_total) == (3, 0)


def test_a_product_whose_name_begins_with_total_is_still_ordered():
    workbook = openpyxl.Workbook()
    for row in (("Артикул", "Наименование", "Количество"), ("MIX-00001", "Total Clean, спрей", 2),
                (12345, "Всего понемногу: набор", 1)):
        workbook.active.append(row)
    parsed = read_order_file(save(workbook), "заказ.xlsx")
    assert [(row.sku, row.qty) for row in parsed.rows] == [("MIX-00001", 2.0), ("12345", 1.0)]
    assert parsed.total_row is None


def test_no_totals_row_reads_to_the_end():
    parsed = read_order_file(dealer_workbook(total=None), "заказ.xlsx", sheet="Заказ")
    assert parsed.total_row is None
    # the signature line has no SKU and no quantity in the SKU and quantity columns
    assert [row.sku for row in parsed.rows] == ["MIX-00001", "SNK-00001", "TWR-00001",
                                                "ACC-00001"]


# ------------------------------------------------------------------ the file back, marked
def test_marked_copy_marks_the_sheet_of_the_order_and_leaves_the_others():
    data = dealer_workbook(active=0)
    book = read_order_book(data, "заказ.xlsx")
    parsed = book.sheet(choose_sheet(book, CATALOG)).parsed
    catalog = dict(CATALOG)
    del catalog["SNK-00001"]
    preview = match_rows(parsed, catalog, check_quantity)
    assert [(result.row, result.problem.code) for result in preview.rejected] == [
        (6, "unknown_sku")]
    marked = openpyxl.load_workbook(io.BytesIO(marked_copy(data, preview)))
    order = marked["Заказ"]
    assert order.cell(4, 6).value == ERROR_COLUMN_TITLE
    assert order.cell(6, 6).value == 'unknown SKU "SNK-00001"'
    assert order.cell(5, 6).value is None
    assert marked["Инструкция"].max_column == 4 and marked["Инструкция"]["A1"].value == (
        "Как заполнить заказ")
    assert [sheet.title for sheet in marked.worksheets] == ["Инструкция", "Заказ", "Order (EN)"]
