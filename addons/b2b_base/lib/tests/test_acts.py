"""Reconciliation act and quarterly report rules (plain Python, no database)."""
import datetime
from decimal import Decimal

import pytest

from b2b_base.lib import acts, ledger

TODAY = datetime.date(2026, 6, 15)


@pytest.mark.parametrize("value,expected", [
    (0, "0,00"),
    (5, "5,00"),
    (999.995, "1 000,00"),
    (1234.56, "1 234,56"),
    (1234567.8, "1 234 567,80"),
    (-98765.4, "-98 765,40"),
    (Decimal("100000"), "100 000,00"),
    (None, "0,00"),
])
def test_format_amount(value, expected):
    assert acts.format_amount(value) == expected


def test_format_date():
    assert acts.format_date("2026-03-31") == "31.03.2026"
    assert acts.format_date(datetime.date(2026, 1, 5)) == "05.01.2026"
    assert acts.format_date(False) == ""


@pytest.mark.parametrize("date_from,date_to,expected", [
    ("2026-01-01", "2026-03-31", None),
    ("2026-06-15", "2026-06-15", None),                 # one day, today
    (datetime.date(2023, 6, 16), TODAY, None),          # three years minus a day
    ("2023-06-15", "2026-06-15", "too_long"),           # three years and a day
    ("2026-04-01", "2026-03-31", "reversed"),
    ("2026-06-01", "2026-06-16", "future"),
    ("2026-07-01", "2026-07-31", "future"),
    ("2026-13-01", "2026-03-31", "bad_date"),
    ("01.01.2026", "2026-03-31", "bad_date"),
    (None, "2026-03-31", "missing"),
    ("2026-01-01", "", "missing"),
])
def test_check_period(date_from, date_to, expected):
    problem = acts.check_period(date_from, date_to, TODAY)
    assert (problem[0] if problem else None) == expected


def test_period_messages_name_the_dates():
    code, params = acts.check_period("2026-04-01", "2026-03-31", TODAY)
    assert acts.PERIOD_PROBLEMS[code] % params == \
        "The period starts on 01.04.2026, after it ends on 31.03.2026."
    code, params = acts.check_period("2026-06-01", "2026-06-20", TODAY)
    assert "20.06.2026" in acts.PERIOD_PROBLEMS[code] % params
    assert "15.06.2026" in acts.PERIOD_PROBLEMS[code] % params


def test_add_years_leap_day():
    assert acts.add_years(datetime.date(2024, 2, 29), 3) == datetime.date(2027, 2, 28)
    assert acts.add_years(datetime.date(2024, 2, 29), 4) == datetime.date(2028, 2, 29)


def _statement():
    rows = [
        {"date": "2026-02-03", "kind": "shipment", "doc_number": "Р-17", "debit": 30000.0,
         "credit": 0.0},
        {"date": "2026-02-20", "kind": "payment", "doc_number": "", "debit": 0.0,
         "credit": 45000.5},
        {"date": "2026-03-01", "kind": "return", "doc_number": "В-2", "debit": 0.0,
         "credit": 1000.0},
    ]
    return ledger.statement(12000.0, rows)


def test_build_act_rows_and_balances():
    act = acts.build_act(_statement())
    assert (act.opening_debit, act.opening_credit) == (Decimal("12000.00"), None)
    assert [row.date for row in act.rows] == ["03.02.2026", "20.02.2026", "01.03.2026"]
    assert act.rows[0].document == "Sale (Р-17 of 03.02.2026)"
    assert act.rows[1].document == "Payment from the buyer of 20.02.2026"
    assert (act.rows[0].debit, act.rows[0].credit) == (Decimal("30000.00"), None)
    assert (act.rows[1].debit, act.rows[1].credit) == (None, Decimal("45000.50"))
    assert (act.debit, act.credit) == (Decimal("30000.00"), Decimal("46000.50"))
    # 12 000 + 30 000 - 45 000,50 - 1 000 = -4 000,50: the supplier owes the dealer
    assert (act.closing_debit, act.closing_credit) == (None, Decimal("4000.50"))
    assert act.closing_side == "buyer"
    assert act.closing_amount == Decimal("4000.50")


def test_build_act_debt_and_even():
    owed = acts.build_act(ledger.statement(-500, [{"date": "2026-01-10", "kind": "shipment",
                                                    "doc_number": "1", "debit": 800, "credit": 0}]))
    assert (owed.opening_debit, owed.opening_credit) == (None, Decimal("500.00"))
    assert owed.closing_side == "supplier" and owed.closing_amount == Decimal("300.00")
    even = acts.build_act(ledger.statement(0, []))
    assert even.closing_side == "none"
    assert (even.opening_debit, even.opening_credit, even.closing_debit, even.closing_credit) == \
        (None, None, None, None)


def test_document_text_translates():
    text = acts.document_text({"kind": "payment", "doc_number": "77", "date": "2026-02-01"},
                              {acts.DOCUMENT_TEXTS["payment"]: "Оплата (%(number)s от %(date)s)"}.get)
    assert text == "Оплата (77 от 01.02.2026)"


@pytest.mark.parametrize("plan,actual,expected", [
    (1000, 0, "0.00"),
    (1000, 1000, "100.00"),
    (3000, 1000, "33.33"),
    (800, 1000, "125.00"),
    (0, 500, "0.00"),
])
def test_fulfilment(plan, actual, expected):
    assert acts.fulfilment(plan, actual) == Decimal(expected)


def test_check_quarter_report():
    good = {"b2b_onec_id": "q-1", "year": 2026, "quarter": 2, "commitment_amount": 100,
            "actual_amount": 50, "installment_days": 45}
    assert acts.check_quarter_report(good, [{"group": "Смесители", "plan": 10, "actual": 5}]) == []
    bad = dict(good, b2b_onec_id=" ", quarter=5, year=1899, actual_amount=-1)
    codes = [code for code, _params in acts.check_quarter_report(
        bad, [{"group": "", "plan": 1, "actual": 0}, {"group": "Мойки", "plan": -3, "actual": 1}])]
    assert codes == ["no_id", "bad_quarter", "bad_year", "negative", "line_no_group",
                     "line_negative"]
