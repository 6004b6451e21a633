"""The values 1C writes in its files, read one way by every reader: numbers, yes/no words, dates.

Real exports write numbers with a decimal comma and spaces or no-break spaces between thousands
(``1 234,50``), yes/no as ``true``, ``1``, ``да`` or ``Истина``, dates with or without a time, in
ISO form or 1C's own (``01.05.2024 9:30:00``), and 1C's empty date as year 1. The readers say
where a value is and what is wrong with it; these functions only say whether it is one.
"""
import datetime
import re
from decimal import Decimal, InvalidOperation

SPACES = re.compile(r"[\s\u00a0\u202f]")
TRUE = frozenset(("true", "1", "да", "истина", "yes"))
FALSE = frozenset(("false", "0", "нет", "ложь", "no"))

_DATE_FORMS = (
    # 2024-05-01, 2024-05-01T09:30:00, 2024-05-01 09:30, 2024-05-01T09:30:00.000+03:00
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
               r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
               r"(?:Z|[+-]\d{2}:?\d{2})?"),
    # 01.05.2024, 01.05.2024 9:30:00 (1C's own presentation)
    re.compile(r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
               r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"),
)
_TIME = re.compile(r"(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?")


def number(text):
    """The Decimal of ``text``; None when it is empty; ValueError when it is not a finite
    number."""
    cleaned = SPACES.sub("", text or "").replace(",", ".")
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def boolean(text, default=None):
    """True or False of a yes/no word (any letter case); ``default`` when empty; ValueError when
    it is neither."""
    word = (text or "").strip().lower()
    if not word:
        return default
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise ValueError(text)


def truthy(text):
    """Whether ``text`` is a yes word; anything else (empty, unknown) is no."""
    return (text or "").strip().lower() in TRUE


def _clock(match):
    if not match or match.group("H") is None:
        return None
    return datetime.time(int(match.group("H")), int(match.group("M")), int(match.group("S") or 0))


def date_time(text):
    """(date, time or None) of ``text``; (None, None) when it is empty or 1C's empty date (year
    1); ValueError when it is not a date."""
    value = (text or "").strip()
    if not value:
        return None, None
    for form in _DATE_FORMS:
        match = form.fullmatch(value)
        if not match:
            continue
        if int(match.group("y")) <= 1:
            return None, None
        try:
            day = datetime.date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        except ValueError:
            break
        return day, _clock(match)
    raise ValueError(text)


def date(text):
    """The date of ``text`` (its time, if any, left out); None when empty; ValueError."""
    return date_time(text)[0]


def clock(text):
    """The time of 1C's ``Время`` (``09:30:00``, ``9:30``); None when it has none."""
    return _clock(_TIME.fullmatch((text or "").strip()))
