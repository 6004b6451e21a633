"""A list of SKUs and quantities pasted into the cart ("quick order"), without the ORM.

Each non-blank line holds a SKU and a quantity separated by a tab (a copy from Excel), a semicolon
or spaces: ``MIX-00001<TAB>12``, ``MIX-00001;12``, ``MIX-00001 12``. A line with a SKU alone orders
one piece. Quantities take a decimal comma and spaced thousands (``1 000``). ``parse_sku_list``
answers the lines and, for every line that cannot be read, a ``Problem`` naming its line number;
the caller adds nothing when there is any problem, so the dealer fixes the list and pastes it again.
"""
import re

from odoo.addons.b2b_base.lib.messages import Problem, _


MAX_LINES = 5000

EMPTY_LIST = _("Paste at least one line: a SKU and a quantity.")
TOO_MANY_LINES = _("The list has %(count)s lines; paste at most %(limit)s at once or upload an "
                   "xlsx file.")
QTY_NOT_NUMBER = _('the quantity "%(value)s" of %(sku)s is not a number')
QTY_NOT_POSITIVE = _("the quantity of %(sku)s must be greater than zero")
QTY_TOO_LARGE = _("the quantity of %(sku)s is too large")
UNKNOWN_SKU = _('no product with the SKU "%(sku)s" can be ordered under this contract')

_SEPARATOR = re.compile(r"[\t;]|\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
MAX_QTY = 10 ** 9


class PastedLine(tuple):
    """(line number, SKU text, quantity)."""

    __slots__ = ()

    def __new__(cls, line, sku, qty):
        return tuple.__new__(cls, (line, sku, qty))

    line = property(lambda self: self[0])
    sku = property(lambda self: self[1])
    qty = property(lambda self: self[2])


def parse_qty_text(text):
    """A typed quantity as a float, or None when it is not a number."""
    text = re.sub(r"\s+", "", _INVISIBLE.sub("", str(text)))
    if not _NUMBER.fullmatch(text):
        return None
    return float(text.replace(",", "."))


def parse_sku_list(text, max_lines=MAX_LINES):
    """(lines, problems) of a pasted list; ``lines`` are ``PastedLine`` in the order typed (a SKU
    given twice stays twice: the cart adds the quantities up)."""
    lines, problems = [], []
    rows = [(number, _INVISIBLE.sub("", raw).strip())
            for number, raw in enumerate(str(text or "").splitlines(), start=1)]
    rows = [(number, raw) for number, raw in rows if raw]
    if not rows:
        return [], [Problem(EMPTY_LIST)]
    if len(rows) > max_lines:
        return [], [Problem(TOO_MANY_LINES, {"count": len(rows), "limit": max_lines})]
    for number, raw in rows:
        parts = _SEPARATOR.split(raw, maxsplit=1)
        sku = parts[0].strip().lstrip("'")
        rest = parts[1].strip(" \t;") if len(parts) > 1 else ""
        if not rest:
            lines.append(PastedLine(number, sku, 1.0))
            continue
        qty = parse_qty_text(rest)
        if qty is None:
            problems.append(Problem(QTY_NOT_NUMBER, {"value": rest, "sku": sku}, number))
        elif qty <= 0:
            problems.append(Problem(QTY_NOT_POSITIVE, {"sku": sku}, number))
        elif qty > MAX_QTY:
            problems.append(Problem(QTY_TOO_LARGE, {"sku": sku}, number))
        else:
            lines.append(PastedLine(number, sku, qty))
    return lines, problems
