import datetime
import io

import openpyxl
import pytest

from b2b_portal.lib.stats import (BAD_FROM, BAD_TO, MAX_MONTHS, REVERSED, TOO_LONG, XLSX_TEXTS,
                                  Period, add_months, default_period, month_points, months_of,
                                  parse_month, parse_period, plan_history, row_points, shape,
                                  stats_workbook)

D = datetime.date
TODAY = D(2026, 3, 15)


def test_default_period_is_the_last_twelve_months_to_the_end_of_this_one():
    period, problems = parse_period("", None, TODAY)
    assert problems == []
    assert period == Period(D(2025, 4, 1), D(2026, 3, 31))
    assert period == default_period(TODAY)
    assert len(months_of(period)) == 12
    assert default_period(TODAY, 6) == Period(D(2025, 10, 1), D(2026, 3, 31))


def test_months_as_the_month_input_sends_them_or_typed_the_russian_way():
    assert parse_period("2025-11", "02.2026", TODAY)[0] == Period(D(2025, 11, 1), D(2026, 2, 28))
    assert parse_period("2024-02-10", "29.02.2024", TODAY)[0] == Period(D(2024, 2, 1),
                                                                         D(2024, 2, 29))
    # a blank first month: twelve months up to the last one
    assert parse_period("", "2025-06", TODAY)[0] == Period(D(2024, 7, 1), D(2025, 6, 30))
    # a blank last month: up to the current one
    assert parse_period("2026-01", "", TODAY)[0] == Period(D(2026, 1, 1), D(2026, 3, 31))


def test_bad_months_are_named_and_give_no_period():
    period, problems = parse_period("2026-13", "весна", TODAY)
    assert period is None
    assert [(p.template, p.params["value"]) for p in problems] == [(BAD_FROM, "2026-13"),
                                                                    (BAD_TO, "весна")]
    assert parse_period("31.02.2026", "", TODAY)[1][0].template == BAD_FROM
    period, problems = parse_period("2026-03", "2026-01", TODAY)
    assert period is None and problems[0].template == REVERSED
    assert problems[0].render() == ("The period starts in 03.2026, after it ends in 01.2026: "
                                    "swap the months.")
    period, problems = parse_period("2020-01", "2026-01", TODAY)
    assert period is None and problems[0].template == TOO_LONG
    assert problems[0].params["months"] == MAX_MONTHS
    assert parse_period("2023-02", "2026-01", TODAY)[0] is not None, "36 months are allowed"


def test_month_arithmetic_crosses_years():
    assert add_months(D(2025, 12, 1), 1) == D(2026, 1, 1)
    assert add_months(D(2026, 1, 1), -13) == D(2024, 12, 1)
    assert parse_month(D(2026, 5, 17)) == D(2026, 5, 1)
    assert parse_month(" ") is None
    with pytest.raises(ValueError):
        parse_month("2026/05")


def rows():
    mar, jan = D(2026, 3, 1), D(2026, 1, 1)
    return [
        {"kind": "month", "key": jan, "currency": "RUB", "amount": 1000, "qty": 10, "orders": 2},
        {"kind": "month", "key": mar, "currency": "RUB", "amount": 500.5, "qty": 3, "orders": 1},
        {"kind": "month", "key": mar, "currency": "USD", "amount": 20, "qty": 1, "orders": 1},
        {"kind": "group", "key": 7, "name": "Смесители", "currency": "RUB", "amount": 1200.5,
         "qty": 8},
        {"kind": "group", "key": 8, "name": "Ванны", "currency": "RUB", "amount": 300, "qty": 5},
        {"kind": "contract", "key": 1, "name": "А-001", "currency": "RUB", "amount": 1500.5,
         "orders": 3},
        {"kind": "entity", "key": 3, "name": "ООО Альфа", "currency": "RUB", "amount": 1500.5,
         "orders": 3},
        {"kind": "product", "key": 11, "name": "Смеситель", "sku": "MIX-1", "uom": "шт",
         "currency": "RUB", "amount": 300, "qty": 5},
        {"kind": "product", "key": 12, "name": "Ванна", "sku": "BTH-1", "uom": "шт",
         "currency": "RUB", "amount": 1200.5, "qty": 8},
        {"kind": "product", "key": 13, "name": "Кран", "sku": "TAP-1", "uom": "шт",
         "currency": "USD", "amount": 20, "qty": 1},
    ]


def test_shape_gives_a_section_per_currency_largest_first_with_every_month():
    period = Period(D(2025, 12, 1), D(2026, 3, 31))
    rub, usd = shape(rows(), period)
    assert rub["currency"] == "RUB" and usd["currency"] == "USD"
    assert rub["total"] == 1500.5 and rub["orders"] == 3
    assert rub["average"] == round(1500.5 / 4, 2)
    assert [(m["label"], m["amount"], m["orders"]) for m in rub["months"]] == [
        ("12.2025", 0.0, 0), ("01.2026", 1000.0, 2), ("02.2026", 0.0, 0), ("03.2026", 500.5, 1)]
    assert [(g["name"], g["share"]) for g in rub["groups"]] == [("Смесители", 80.0),
                                                                ("Ванны", 20.0)]
    assert [p["sku"] for p in rub["top"]] == ["BTH-1", "MIX-1"], "largest amount first"
    assert [p["sku"] for p in usd["top"]] == ["TAP-1"], "currencies are never mixed"
    assert month_points(rub)[1] == ("01.26", 1000.0)
    assert row_points(rub["groups"]) == [("Смесители", 1200.5), ("Ванны", 300.0)]
    assert shape(rows(), period, top_limit=1)[0]["top"][0]["sku"] == "BTH-1"
    assert len(shape(rows(), period, top_limit=1)[0]["top"]) == 1


def test_shape_of_nothing_is_no_section():
    assert shape([], default_period(TODAY)) == []


def test_plan_history_by_month():
    history = plan_history([
        {"month": "2026-02-01", "name": "Товар месяца: февраль", "percent": 50},
        {"month": D(2026, 1, 1), "name": "Б", "percent": 100},
        {"month": D(2026, 1, 1), "name": "А", "percent": 40.04},
    ])
    assert [(m["label"], m["percent"]) for m in history] == [("01.2026", 70.0), ("02.2026", 50.0)]
    assert [p["name"] for p in history[0]["plans"]] == ["А", "Б"]
    assert plan_history([]) == []


def test_workbook_has_a_sheet_per_breakdown_with_numbers():
    period = Period(D(2025, 12, 1), D(2026, 3, 31))
    sections = shape(rows(), period)
    texts = dict(XLSX_TEXTS, months="По месяцам", amount="Сумма")
    data = stats_workbook(sections, texts, period, plans=plan_history(
        [{"month": "2026-02-01", "name": "План", "percent": 50}]))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["По месяцам", "By product group", "By contract", "By legal entity",
                               "Top goods", "Plan fulfilment"]
    sheet = book["По месяцам"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1] == ["Period", "12.2025", "03.2026", None, None]
    assert values[3] == ["Currency", "Month", "Сумма", "Orders", "Quantity"]
    assert values[5] == ["RUB", "01.2026", 1000.0, 2, 10.0]
    assert isinstance(values[7][2], float)
    assert ["Total", None, 1500.5, 3, None] in values
    top = [[cell.value for cell in row] for row in book["Top goods"].iter_rows()]
    assert ["RUB", "BTH-1", "Ванна", 8.0, "шт", 1200.5, 80.0] in top
    assert ["USD", "TAP-1", "Кран", 1.0, "шт", 20.0, 100.0] in top
    plans = [[cell.value for cell in row] for row in book["Plan fulfilment"].iter_rows()]
    assert ["02.2026", "План", 50.0] in plans


def test_workbook_without_purchases_or_plans_still_opens():
    data = stats_workbook([], XLSX_TEXTS, default_period(TODAY))
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert "Plan fulfilment" not in book.sheetnames
    assert len(book.sheetnames) == 5


def test_months_as_the_database_writes_them():
    period = Period(D(2026, 1, 1), D(2026, 2, 28))
    section, = shape([{"kind": "month", "key": "2026-02-01", "currency": "RUB", "amount": 7,
                       "qty": 1, "orders": 1}], period)
    assert [m["amount"] for m in section["months"]] == [0.0, 7.0]
