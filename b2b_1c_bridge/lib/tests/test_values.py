"""The one reading of 1C's numbers, yes/no words and dates."""
import datetime
from decimal import Decimal

import pytest

from b2b_1c_bridge.lib import values


@pytest.mark.parametrize("text, expected", [
    ("1234.5", Decimal("1234.5")), ("1 234,50", Decimal("1234.50")),
    ("1\u00a0234,5", Decimal("1234.5")), ("-3", Decimal("-3")), ("", None), (None, None),
])
def test_numbers_as_1c_writes_them(text, expected):
    assert values.number(text) == expected


@pytest.mark.parametrize("text", ["12,3,4", "abc", "NaN", "Infinity", "1e"])
def test_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        values.number(text)


def test_yes_no_words():
    assert values.boolean("Истина") is True and values.boolean("нет") is False
    assert values.boolean("", default=True) is True
    with pytest.raises(ValueError):
        values.boolean("maybe")
    assert values.truthy("ДА") and not values.truthy("maybe") and not values.truthy(None)


@pytest.mark.parametrize("text, expected", [
    ("2024-05-01", (datetime.date(2024, 5, 1), None)),
    ("2024-05-01T09:30:00", (datetime.date(2024, 5, 1), datetime.time(9, 30))),
    ("2024-05-01T09:30:00.000+03:00", (datetime.date(2024, 5, 1), datetime.time(9, 30))),
    ("01.05.2024 9:30:15", (datetime.date(2024, 5, 1), datetime.time(9, 30, 15))),
    ("0001-01-01T00:00:00", (None, None)), ("", (None, None)),
])
def test_dates_with_and_without_time(text, expected):
    assert values.date_time(text) == expected


@pytest.mark.parametrize("text", ["2024-02-30", "1 мая", "2024/05/01"])
def test_what_is_not_a_date(text):
    with pytest.raises(ValueError):
        values.date(text)


def test_clock():
    assert values.clock("9:30") == datetime.time(9, 30)
    assert values.clock("") is None
