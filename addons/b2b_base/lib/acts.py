"""Rules of reconciliation acts (акт сверки) and 1C's quarterly commitment reports, without Odoo.

- which periods a dealer may request an act for;
- how the act prints its figures (Russian number and date style: 1 234,56 and 31.03.2026);
- the act's rows (opening balance, the period's documents, turnover, closing balance) from a
  lib.ledger.Statement, and who the closing balance is in favour of;
- fulfilment percentages of a quarterly commitment.

English texts here are templates marked for translation; the ORM layer shows them in the user's
language (b2b_base/tools/rule_messages.py)."""
import datetime
from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

from .messages import _
from .numbers import format_number

MAX_PERIOD_YEARS = 3


# ------------------------------------------------------------------------------------ periods
PERIOD_PROBLEMS = {
    "missing": _("Choose both the first and the last day of the period."),
    "bad_date": _("%(value)s is not a date; use the format YYYY-MM-DD."),
    "reversed": _("The period starts on %(date_from)s, after it ends on %(date_to)s."),
    "future": _("The period ends on %(date_to)s, in the future; an act can cover days up to "
                "today (%(today)s)."),
    "too_long": _("The period from %(date_from)s to %(date_to)s is longer than %(years)s years; "
                  "request several acts instead."),
}


def parse_date(value):
    """A date from a ``datetime.date`` or a 'YYYY-MM-DD' string; None when it is neither."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.datetime.strptime(value.strip()[:10], "%Y-%m-%d").date()
        except ValueError:
            return None
    return None


def add_years(day, years):
    """``day`` moved by ``years`` years (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_period(date_from, date_to, today, max_years=MAX_PERIOD_YEARS):
    """None when an act may be requested for ``date_from``..``date_to`` (inclusive) on ``today``;
    else (problem code, parameters) for PERIOD_PROBLEMS. Dates may be date objects or ISO
    strings; ``today`` is a date."""
    if not date_from or not date_to:
        return "missing", {}
    start, end = parse_date(date_from), parse_date(date_to)
    for raw, parsed in ((date_from, start), (date_to, end)):
        if parsed is None:
            return "bad_date", {"value": raw}
    params = {"date_from": format_date(start), "date_to": format_date(end),
              "today": format_date(today), "years": max_years}
    if start > end:
        return "reversed", params
    if end > today:
        return "future", params
    if end >= add_years(start, max_years):
        return "too_long", params
    return None


# ------------------------------------------------------------------------------------ formats
def money(value):
    """``value`` as a Decimal rounded to kopecks."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_amount(value):
    """1234.5 -> '1 234,50' (spaces between thousands, a comma before kopecks)."""
    return format_number(money(value), 2)


def format_date(value):
    """date or 'YYYY-MM-DD' -> '31.03.2026'; '' when empty."""
    day = parse_date(value)
    return day.strftime("%d.%m.%Y") if day else ""


# ------------------------------------------------------------------------------------ the act
# how a ledger line is named in the act's "document" column, by the line's kind
DOCUMENT_TEXTS = {
    "opening": _("Opening balance entry (%(number)s of %(date)s)"),
    "shipment": _("Sale (%(number)s of %(date)s)"),
    "payment": _("Payment from the buyer (%(number)s of %(date)s)"),
    "return": _("Return from the buyer (%(number)s of %(date)s)"),
    "adjustment": _("Debt adjustment (%(number)s of %(date)s)"),
}
DOCUMENT_TEXTS_NO_NUMBER = {
    "opening": _("Opening balance entry"),
    "shipment": _("Sale of %(date)s"),
    "payment": _("Payment from the buyer of %(date)s"),
    "return": _("Return from the buyer of %(date)s"),
    "adjustment": _("Debt adjustment of %(date)s"),
}

CLOSING_TEXTS = {
    "supplier": _("On %(date)s the debt in favour of %(party)s is %(amount)s %(currency)s."),
    "buyer": _("On %(date)s the debt in favour of %(party)s is %(amount)s %(currency)s."),
    "none": _("On %(date)s there is no debt between the parties."),
}

ActRow = namedtuple("ActRow", "date document debit credit")
Act = namedtuple("Act", "opening_debit opening_credit rows debit credit closing_debit "
                        "closing_credit closing_side closing_amount")


def document_text(row, translate=lambda text: text):
    """The act's "document" column for a ledger row (a mapping with kind, doc_number, date)."""
    kind = row.get("kind")
    params = {"number": row.get("doc_number") or "", "date": format_date(row.get("date"))}
    table = DOCUMENT_TEXTS if params["number"] else DOCUMENT_TEXTS_NO_NUMBER
    template = table.get(kind)
    if template is None:
        return params["number"]
    return translate(template) % params


def _side(amount):
    """(debit, credit) columns of a balance: what the dealer owes is on the debit side."""
    if amount > 0:
        return amount, None
    if amount < 0:
        return None, -amount
    return None, None


def build_act(statement, translate=lambda text: text):
    """The act's figures from a lib.ledger.Statement, seen from the supplier's books: debit = what
    raised the dealer's debt (shipments), credit = what lowered it (payments, returns).

    ``closing_side`` is 'supplier' when the dealer owes the supplier at the end of the period,
    'buyer' when the supplier owes the dealer (an overpayment), 'none' when they are even."""
    opening = money(statement.opening)
    closing = money(statement.closing)
    rows = []
    for line in statement.lines:
        row = line.row
        rows.append(ActRow(format_date(row.get("date")), document_text(row, translate),
                           money(row.get("debit")) or None, money(row.get("credit")) or None))
    opening_debit, opening_credit = _side(opening)
    closing_debit, closing_credit = _side(closing)
    side = "supplier" if closing > 0 else "buyer" if closing < 0 else "none"
    return Act(opening_debit, opening_credit, rows, money(statement.debit), money(statement.credit),
               closing_debit, closing_credit, side, abs(closing))


# ------------------------------------------------------------------------------------ quarters
QUARTER_PROBLEMS = {
    "no_id": _("the report has no 1C id"),
    "bad_quarter": _("the quarter must be 1, 2, 3 or 4, not %(value)s"),
    "bad_year": _("the year %(value)s is not a valid year"),
    "negative": _("%(field)s cannot be negative (%(value)s)"),
    "line_no_group": _("line %(line)s has no assortment group"),
    "line_negative": _("line %(line)s (%(group)s): %(field)s cannot be negative (%(value)s)"),
}


def fulfilment(plan, actual):
    """Percent of ``plan`` achieved by ``actual``, rounded to 0.01 (0 when there is no plan)."""
    plan, actual = money(plan), money(actual)
    if plan <= 0:
        return Decimal("0.00")
    return (actual * 100 / plan).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def check_quarter_report(vals, lines):
    """Problems of a quarterly report from 1C: a list of (code, parameters) for QUARTER_PROBLEMS,
    empty when the report can be stored. ``lines``: mappings with group, plan, actual."""
    problems = []
    if not (vals.get("b2b_onec_id") or "").strip():
        problems.append(("no_id", {}))
    quarter = vals.get("quarter")
    if quarter not in (1, 2, 3, 4, "1", "2", "3", "4"):
        problems.append(("bad_quarter", {"value": quarter}))
    year = vals.get("year")
    try:
        year_ok = 2000 <= int(year) <= 2100
    except (TypeError, ValueError):
        year_ok = False
    if not year_ok:
        problems.append(("bad_year", {"value": year}))
    for field in ("commitment_amount", "actual_amount", "installment_days"):
        value = vals.get(field)
        if value is not None and value is not False and Decimal(str(value)) < 0:
            problems.append(("negative", {"field": field, "value": value}))
    for number, line in enumerate(lines, start=1):
        group = (line.get("group") or "").strip()
        if not group:
            problems.append(("line_no_group", {"line": number}))
        for field in ("plan", "actual"):
            value = line.get(field) or 0
            if Decimal(str(value)) < 0:
                problems.append(("line_negative", {"line": number, "group": group, "field": field,
                                                   "value": value}))
    return problems
