"""Cart rules of the dealer portal, without the ORM.

- ``parse_entries``: what a page sends to set cart lines, ``[(product_id, qty), ...]``, checked and
  cleaned; every bad entry is named by its position (1-based).
- ``plan_set`` / ``plan_restore``: which lines to create, update and remove so that the cart holds
  what the dealer asked for (set quantities, replace the cart, or merge a saved cart into it).
- ``totals``: amounts of the cart at the contract's prices and at the recommended retail price.
- ``clean_name``, ``parse_desired_date``: a saved cart's name and the desired delivery date.

Messages are ``Problem``s of b2b_base's ``lib.messages``: English templates marked with ``_`` so
that Odoo's translation export picks them up; the ORM layer translates a template and then fills in
its parameters (see b2b_base's ``tools/rule_messages``).
"""
import datetime
import math
from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

from odoo.addons.b2b_base.lib.messages import Problem, _


# the largest quantity a cart line takes (the database column holds it; nobody orders more)
MAX_QTY = 10 ** 9
NAME_MAX = 64

BAD_ENTRY = _("expected a product and a quantity")
BAD_PRODUCT = _("%(product)s is not a product reference")
BAD_QTY = _("the quantity %(qty)s is not a number")
NEGATIVE_QTY = _("the quantity cannot be negative")
HUGE_QTY = _("the quantity %(qty)s is too large")
NO_NAME = _("Give the saved cart a name.")
LONG_NAME = _("The name of a saved cart is at most %(max)s characters long.")
BAD_DATE = _("The desired delivery date %(date)s is not a date (expected YYYY-MM-DD).")
PAST_DATE = _("The desired delivery date %(date)s is in the past.")
BAD_MODE = _("Unknown way to restore a saved cart: %(mode)s (expected merge or replace).")


Entry = namedtuple("Entry", ["line", "product_id", "qty"])


def read_qty(value):
    """A quantity typed or sent as a number: decimal commas and spaced thousands accepted;
    ValueError (or TypeError) when it is no finite number."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, str):
        value = value.strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    qty = float(value)
    if not math.isfinite(qty):
        raise ValueError(value)
    return qty


def _as_id(value):
    if isinstance(value, bool) or isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    number = int(value)
    if number <= 0:
        raise ValueError(value)
    return number


def check_qty(value, line):
    """A quantity sent for entry ``line``: (qty, None), or (None, Problem) when it is not a number,
    negative or too large. Decimal commas are accepted in text."""
    try:
        qty = read_qty(value)
    except (TypeError, ValueError, OverflowError):
        return None, Problem(BAD_QTY, {"qty": value}, line)
    if qty < 0:
        return None, Problem(NEGATIVE_QTY, line=line)
    if qty > MAX_QTY:
        return None, Problem(HUGE_QTY, {"qty": value}, line)
    return qty, None


def parse_entries(entries):
    """Check ``[(product_id, qty), ...]``; returns (entries, problems).

    ``entries``: one ``Entry`` per product in the order first given; quantities given twice for the
    same product add up (a pasted list with a repeated code orders the sum). A quantity of 0 means
    "remove". Decimal commas are accepted in quantities typed as text."""
    if not isinstance(entries, (list, tuple)):
        return [], [Problem(BAD_ENTRY, line=1)]
    merged, problems = {}, []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, (list, tuple)) or len(entry) != 2:
            problems.append(Problem(BAD_ENTRY, line=number))
            continue
        try:
            product_id = _as_id(entry[0])
        except (TypeError, ValueError, OverflowError):
            problems.append(Problem(BAD_PRODUCT, {"product": entry[0]}, number))
            continue
        qty, problem = check_qty(entry[1], number)
        if problem:
            problems.append(problem)
        elif product_id in merged:
            first = merged[product_id]
            merged[product_id] = first._replace(qty=first.qty + qty)
        else:
            merged[product_id] = Entry(number, product_id, qty)
    return list(merged.values()), problems


class WritePlan(namedtuple("WritePlan", ["create", "update", "remove"])):
    """``create`` and ``update``: {product_id: qty}; ``remove``: set of product ids."""

    @property
    def empty(self):
        return not (self.create or self.update or self.remove)


def _diff(current, target):
    return WritePlan(
        create={pid: qty for pid, qty in target.items() if pid not in current},
        update={pid: qty for pid, qty in target.items() if pid in current and current[pid] != qty},
        remove={pid for pid in current if pid not in target},
    )


def plan_set(current, entries, replace=False):
    """Set the quantities of ``entries`` (``Entry`` or (product_id, qty)) in a cart holding
    ``current`` ({product_id: qty}). A quantity of 0 removes the line; lines not mentioned stay,
    unless ``replace``: then the cart holds exactly the entries."""
    target = {} if replace else dict(current)
    for entry in entries:
        product_id, qty = entry[-2], entry[-1]
        if qty:
            target[product_id] = qty
        else:
            target.pop(product_id, None)
    return _diff(current, target)


RESTORE_MODES = ("merge", "replace")


def plan_restore(current, saved, mode="merge"):
    """Bring a saved cart's lines ``saved`` ({product_id: qty}) into a cart holding ``current``.

    ``merge``: quantities of products in both add up, other lines stay; ``replace``: the cart
    holds the saved lines only. Returns (WritePlan, problems)."""
    if mode not in RESTORE_MODES:
        return WritePlan({}, {}, set()), [Problem(BAD_MODE, {"mode": mode})]
    if mode == "replace":
        target = {pid: qty for pid, qty in saved.items() if qty > 0}
    else:
        target = dict(current)
        for pid, qty in saved.items():
            if qty > 0:
                target[pid] = target.get(pid, 0.0) + qty
    return _diff(current, target), []


def _money(value):
    return Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def line_amount(qty, price):
    """qty × price rounded to kopecks (half up), as a float; None when there is no price."""
    if price is None:
        return None
    return float(_money(Decimal(repr(float(qty))) * Decimal(repr(float(price)))))


Totals = namedtuple("Totals", ["lines", "qty", "amount", "rrp_amount", "unpriced"])


def totals(rows):
    """Totals of cart lines ``rows``: iterable of (qty, price, rrp), price or rrp None when unknown.

    ``amount``: the sum of the lines' amounts at the contract's prices (each rounded to kopecks);
    ``rrp_amount``: the same at the recommended retail price, over the lines that have one;
    ``unpriced``: how many lines have no contract price (they cannot be ordered)."""
    count, qty_sum, amount, rrp_amount, unpriced = 0, Decimal(0), Decimal(0), Decimal(0), 0
    for qty, price, rrp in rows:
        count += 1
        qty_sum += Decimal(repr(float(qty)))
        if price is None:
            unpriced += 1
        else:
            amount += Decimal(repr(line_amount(qty, price)))
        if rrp is not None:
            rrp_amount += Decimal(repr(line_amount(qty, rrp)))
    return Totals(count, float(qty_sum), float(amount), float(rrp_amount), unpriced)


def clean_name(name):
    """A saved cart's name with surrounding and repeated blanks removed; (name, problems)."""
    text = " ".join(str(name or "").split())
    if not text:
        return "", [Problem(NO_NAME)]
    if len(text) > NAME_MAX:
        return text, [Problem(LONG_NAME, {"max": NAME_MAX})]
    return text, []


def parse_desired_date(value, today):
    """The desired delivery date from a page (``YYYY-MM-DD`` or a date; empty means none):
    (date or None, problems). A date before ``today`` is refused."""
    if value in (None, False, ""):
        return None, []
    if isinstance(value, datetime.datetime):
        value = value.date()
    if not isinstance(value, datetime.date):
        try:
            value = datetime.datetime.strptime(str(value).strip(), "%Y-%m-%d").date()
        except ValueError:
            return None, [Problem(BAD_DATE, {"date": value})]
    if value < today:
        return None, [Problem(PAST_DATE, {"date": value.isoformat()})]
    return value, []
