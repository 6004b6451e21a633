"""Numbers as people and 1C write them: the one formatter of the suite's rules and pages.

- ``format_plain``: no useless zeros, no grouping: 2.0 -> '2', 2.5 -> '2.5' (quantities in
  messages, points, 1C's files);
- ``format_number``: rounded half up to a number of decimals, thousands grouped, in the separators
  of the reader's language: 12345.5 -> '12 345,50';
- ``format_quantity``: grouped, with the decimals the quantity has (up to 3);
- ``format_money``: an amount with its currency symbol where the currency puts it;
- ``format_count``: a number with the word it counts, in the form the language's grammar gives
  that number: '1 балл', '3 балла', '25 баллов', '2,5 балла'; '1 point', '25 points'.
"""
from decimal import ROUND_HALF_UP, Decimal

QTY_DIGITS = 3


def _dec(value):
    return Decimal(repr(float(value)))


def format_plain(value, digits=QTY_DIGITS):
    """``value`` with at most ``digits`` decimals and none of them useless; '' for None."""
    if value is None:
        return ""
    text = "%.*f" % (digits, float(value))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_number(value, digits=2, thousands_sep=" ", decimal_point=","):
    """``value`` rounded half up to ``digits`` with grouped thousands: 12345.5 -> '12 345,50';
    '' for None."""
    if value is None:
        return ""
    quantum = Decimal(1).scaleb(-digits)
    number = _dec(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _sep, fraction = ("%.*f" % (digits, abs(number))).partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sign + (thousands_sep or "").join(groups)
    return text + (decimal_point + fraction if digits > 0 else "")


def format_quantity(value, thousands_sep=" ", decimal_point=","):
    """A quantity grouped, with the decimals it has (up to 3): 1234.5 -> '1 234,5', 2.0 -> '2';
    '' for None."""
    if value is None:
        return ""
    digits = len(format_plain(value).partition(".")[2])
    return format_number(value, digits, thousands_sep, decimal_point)


def format_money(value, symbol="", position="after", thousands_sep=" ", decimal_point=","):
    """An amount with its currency symbol where the currency puts it; '' for None."""
    if value is None:
        return ""
    text = format_number(value, 2, thousands_sep, decimal_point)
    if not symbol:
        return text
    return (symbol + "\u00a0" + text) if position == "before" else (text + "\u00a0" + symbol)


# The word forms of what the pages count, per language and plural category (Unicode CLDR): Odoo
# 11's gettext has no plural forms, and Russian needs three for whole numbers and a fourth for
# fractions. A language not listed uses English.
COUNT_WORDS = {
    "points": {"en": {"one": "point", "other": "points"},
               "ru": {"one": "балл", "few": "балла", "many": "баллов", "other": "балла"}},
    "days": {"en": {"one": "day", "other": "days"},
             "ru": {"one": "день", "few": "дня", "many": "дней", "other": "дня"}},
}


def plural_category(value, lang="en_US"):
    """The CLDR plural category of ``value`` in ``lang``: 'one', 'few', 'many' or 'other'
    (Russian: 1, 21 -> one; 2-4, 22 -> few; 0, 5-20, 25 -> many; fractions -> other)."""
    number = _dec(value).normalize()
    whole = number == number.to_integral_value()
    if (lang or "").split("_")[0] == "ru":
        if not whole:
            return "other"
        n = abs(int(number))
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if whole and abs(int(number)) == 1 else "other"


def format_count(value, unit, lang="en_US", thousands_sep=" ", decimal_point=","):
    """``value`` (grouped, with the decimals it has) and the word of ``unit`` (a key of
    COUNT_WORDS) agreeing with it in ``lang``: format_count(25, 'points', 'ru_RU') -> '25 баллов'."""
    words = COUNT_WORDS[unit]
    forms = words.get((lang or "").split("_")[0]) or words["en"]
    shown = float(format_plain(value or 0.0))  # the word agrees with the number as it is written
    return "%s %s" % (format_quantity(shown, thousands_sep, decimal_point),
                      forms[plural_category(shown, lang)])
