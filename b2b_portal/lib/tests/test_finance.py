import datetime
import io
from collections import namedtuple
from decimal import Decimal

import openpyxl

from b2b_portal.lib.finance import (BAD_FROM, BAD_TO, DEFAULT_DAYS, REVERSED, TOO_LONG, XLSX_TEXTS,
                                    Period, as_date, ledger_workbook, parse_period)

TODAY = datetime.date(2024, 3, 15)
D = datetime.date

# the shape of b2b_base's lib.ledger.Statement (this package does not import b2b_base)
Statement = namedtuple("Statement", "opening lines debit credit closing")
StatementLine = namedtuple("StatementLine", "row balance")


def test_blank_period_is_the_last_days_up_to_today():
    period, problems = parse_period("", None, TODAY)
    assert problems == []
    assert period == Period(TODAY - datetime.timedelta(days=DEFAULT_DAYS), TODAY)


def test_dates_as_the_date_input_sends_them_or_typed_the_russian_way():
    period, problems = parse_period("2024-01-01", "31.01.2024", TODAY)
    assert problems == []
    assert period == Period(D(2024, 1, 1), D(2024, 1, 31))
    assert parse_period(" 2024-02-01 ", "2024-02-01", TODAY)[0] == Period(D(2024, 2, 1), D(2024, 2, 1))


def test_one_blank_side_is_filled_sensibly():
    # only the end: the default length before it
    period, _problems = parse_period("", "2023-06-30", TODAY)
    assert period == Period(D(2023, 6, 30) - datetime.timedelta(days=DEFAULT_DAYS), D(2023, 6, 30))
    # only the start: up to today; a start in the future: just that day
    assert parse_period("2024-01-10", "", TODAY)[0] == Period(D(2024, 1, 10), TODAY)
    assert parse_period("2024-05-01", "", TODAY)[0] == Period(D(2024, 5, 1), D(2024, 5, 1))


def test_bad_dates_are_named_and_give_no_period():
    period, problems = parse_period("2024-13-01", "yesterday", TODAY)
    assert period is None
    assert [(p.template, p.params["value"]) for p in problems] == [
        (BAD_FROM, "2024-13-01"), (BAD_TO, "yesterday")]
    assert "2024-13-01" in problems[0].render()


def test_reversed_and_too_long_periods_are_refused():
    period, problems = parse_period("2024-02-10", "2024-02-01", TODAY)
    assert period is None
    assert problems[0].template == REVERSED
    assert problems[0].render() == ("The period starts on 10.02.2024, after it ends on "
                                    "01.02.2024: swap the dates.")
    period, problems = parse_period("0202-01-01", "2024-01-01", TODAY)
    assert period is None and problems[0].template == TOO_LONG


def test_as_date():
    assert as_date(None) is None and as_date("  ") is None
    assert as_date(D(2024, 1, 2)) == D(2024, 1, 2)
    assert as_date(datetime.datetime(2024, 1, 2, 10, 0)) == D(2024, 1, 2)


def test_workbook_holds_the_statement_as_numbers_and_dates():
    rows = [
        {"date": "2024-01-05", "kind": "shipment", "doc_number": "РН-1", "debit": 1000.0,
         "credit": 0.0, "due_date": "2024-02-04", "note": False},
        {"date": D(2024, 1, 20), "kind": "payment", "doc_number": "ПП-7", "debit": 0.0,
         "credit": 400.5, "due_date": None, "note": "частично"},
    ]
    statement = Statement(Decimal("250.00"),
                          [StatementLine(rows[0], Decimal("1250.00")),
                           StatementLine(rows[1], Decimal("849.50"))],
                          Decimal("1000.00"), Decimal("400.50"), Decimal("849.50"))
    texts = dict(XLSX_TEXTS, date="Дата", opening="Начальное сальдо", closing="Конечное сальдо")
    data = ledger_workbook(statement, texts, {"shipment": "Реализация", "payment": "Оплата"},
                           "Д-1", Period(D(2024, 1, 1), D(2024, 1, 31)), currency="RUB")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[0] == "Дата")
    opening, first, second, turnover, closing = values[header + 1:header + 6]
    assert opening[0] == "Начальное сальдо" and opening[5] == 250.0
    assert first[0].date() == D(2024, 1, 5) and first[1] == "Реализация" and first[2] == "РН-1"
    assert (first[3], first[5]) == (1000.0, 1250.0)
    assert first[6].date() == D(2024, 2, 4)
    assert (second[4], second[5], second[7]) == (400.5, 849.5, "частично")
    assert second[6] is None
    assert (turnover[3], turnover[4]) == (1000.0, 400.5)
    assert closing[0] == "Конечное сальдо" and closing[5] == 849.5
    assert isinstance(closing[5], float)
    assert values[1][:2] == ["Contract", "Д-1"]
