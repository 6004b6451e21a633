import datetime

import pytz

from b2b_bonus.lib.plans import (days_left, line_percent, missing_qty, month_end, period_bounds,
                                 plan_percent)

MOSCOW = pytz.timezone("Europe/Moscow")
D = datetime.date
DT = datetime.datetime


def test_month_end_knows_leap_years_and_december():
    assert month_end(D(2024, 2, 1)) == D(2024, 2, 29)
    assert month_end(D(2023, 2, 1)) == D(2023, 2, 28)
    assert month_end(D(2024, 12, 1)) == D(2024, 12, 31)


def test_period_is_the_supplier_days_in_utc():
    start, end = period_bounds(D(2024, 5, 1), D(2024, 5, 31), MOSCOW)
    # Moscow is UTC+3: May 1st 00:00 there is April 30th 21:00 UTC
    assert start == DT(2024, 4, 30, 21, 0)
    assert end == DT(2024, 5, 31, 21, 0)
    last_minute = MOSCOW.localize(DT(2024, 5, 31, 23, 59)).astimezone(pytz.utc).replace(tzinfo=None)
    next_day = MOSCOW.localize(DT(2024, 6, 1, 0, 0)).astimezone(pytz.utc).replace(tzinfo=None)
    assert start <= last_minute < end
    assert not next_day < end


def test_period_without_time_zone_is_utc():
    assert period_bounds(D(2024, 5, 1), D(2024, 5, 31), None) == (DT(2024, 5, 1), DT(2024, 6, 1))


def test_days_left_counts_today_and_stops_at_zero():
    assert days_left(D(2024, 5, 1), D(2024, 5, 31), D(2024, 5, 31)) == 1
    assert days_left(D(2024, 5, 1), D(2024, 5, 31), D(2024, 5, 20)) == 12
    assert days_left(D(2024, 5, 1), D(2024, 5, 31), D(2024, 6, 1)) == 0
    # not started yet: the whole period
    assert days_left(D(2024, 5, 1), D(2024, 5, 31), D(2024, 4, 10)) == 31


def test_line_percent_by_quantity_then_by_amount():
    assert line_percent(10, 4, 5000, 100) == 40.0
    assert line_percent(0, 0, 5000, 1250) == 25.0
    assert line_percent(3, 4, 0, 0) == 133.3
    assert line_percent(0, 7, 0, 100) == 0.0


def test_plan_percent_does_not_let_one_line_make_up_for_another():
    assert plan_percent([200.0, 0.0]) == 50.0
    assert plan_percent([40.0, 60.0, 100.0]) == 66.7
    assert plan_percent([]) == 0.0


def test_missing_quantity():
    assert missing_qty(10, 4) == 6.0
    assert missing_qty(10, 12) == 0.0
    # an amount-only line: whole units at the price
    assert missing_qty(0, 0, 1000.0, 250.0, 300.0) == 3.0
    assert missing_qty(0, 0, 1000.0, 1000.0, 300.0) == 0.0
    assert missing_qty(0, 0, 1000.0, 0.0, 0.0) == 0.0
