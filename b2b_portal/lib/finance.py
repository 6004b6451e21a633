"""Rules of the dealer portal's finance pages, without the ORM.

- ``parse_period``: the period a dealer asks the ledger (or a reconciliation act) for, from the
  two dates of a form: ISO dates (what ``<input type="date">`` sends) or dates typed the Russian
  way (DD.MM.YYYY); blank = the default period (the last ``DEFAULT_DAYS`` days up to today).
  Every bad value is named (which date, what was typed); a refused period changes nothing.
- ``ledger_workbook``: the ledger of a contract for a period as an xlsx file (the same figures as
  the page: opening balance, lines with the running balance, turnover, closing balance), amounts
  and dates as real numbers and dates of the spreadsheet, headers in the user's language.

Messages are English templates marked with ``_``; the ORM layer translates a template and then
fills in its parameters (see b2b_base's ``tools/rule_messages``).
"""
import datetime
import io
from collections import namedtuple

from odoo.addons.b2b_base.lib.messages import Problem, _


DEFAULT_DAYS = 90
# the longest period a ledger page or an act may span (a guard against typos like 0202-01-01)
MAX_DAYS = 366 * 10

BAD_FROM = _("The period start «%(value)s» is not a date: enter it as YYYY-MM-DD or DD.MM.YYYY.")
BAD_TO = _("The period end «%(value)s» is not a date: enter it as YYYY-MM-DD or DD.MM.YYYY.")
REVERSED = _("The period starts on %(start)s, after it ends on %(end)s: swap the dates.")
TOO_LONG = _("The period from %(start)s to %(end)s is longer than %(years)s years: choose a "
             "shorter one.")

Period = namedtuple("Period", "date_from date_to")


def as_date(value):
    """``value`` (a date, an ISO string, or DD.MM.YYYY) as a datetime.date; ValueError if it is
    none of those. Blank → None."""
    if value is None or value is False:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def default_period(today):
    return Period(today - datetime.timedelta(days=DEFAULT_DAYS), today)


def parse_period(date_from, date_to, today):
    """(Period, problems): the period the form asks for. A blank start or end takes the default
    period's; ``problems`` (lib.cart.Problem) name every bad value, and then the period is None."""
    problems = []
    default = default_period(today)
    try:
        start = as_date(date_from)
    except ValueError:
        problems.append(Problem(BAD_FROM, {"value": str(date_from).strip()[:40]}))
        start = None
    try:
        end = as_date(date_to)
    except ValueError:
        problems.append(Problem(BAD_TO, {"value": str(date_to).strip()[:40]}))
        end = None
    if problems:
        return None, problems
    # a blank start: DEFAULT_DAYS before the end; a blank end: today (or the start, if later)
    start = start or (end or default.date_to) - datetime.timedelta(days=DEFAULT_DAYS)
    end = end or max(default.date_to, start)
    if start > end:
        return None, [Problem(REVERSED, {"start": start.strftime("%d.%m.%Y"),
                                         "end": end.strftime("%d.%m.%Y")})]
    if (end - start).days > MAX_DAYS:
        return None, [Problem(TOO_LONG, {"start": start.strftime("%d.%m.%Y"),
                                         "end": end.strftime("%d.%m.%Y"),
                                         "years": MAX_DAYS // 366})]
    return Period(start, end), []


# ---------------------------------------------------------------------------- xlsx
# the texts of the file, translated by the caller: {key: text}
XLSX_TEXTS = {
    "title": _("Settlement ledger"),
    "contract": _("Contract"),
    "period": _("Period"),
    "date": _("Date"),
    "kind": _("Document"),
    "number": _("Number"),
    "debit": _("Debit (owed)"),
    "credit": _("Credit (paid)"),
    "balance": _("Balance"),
    "due_date": _("Due date"),
    "note": _("Comment"),
    "opening": _("Opening balance"),
    "turnover": _("Turnover for the period"),
    "closing": _("Closing balance"),
    "currency": _("Currency"),
}
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "DD.MM.YYYY"
COLUMNS = ("date", "kind", "number", "debit", "credit", "balance", "due_date", "note")


def ledger_workbook(statement, texts, kinds, contract_name, period, currency=""):
    """The xlsx bytes of ``statement`` (b2b_base lib.ledger.Statement: opening, lines of
    (row, balance), debit, credit, closing).

    ``texts``: XLSX_TEXTS translated; ``kinds``: {kind: label}; ``period``: a Period. Amounts are
    numbers (two decimals shown), dates are dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = texts["title"][:31]
    bold = Font(bold=True)

    sheet.append([texts["title"]])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    sheet.append([texts["contract"], contract_name])
    sheet.append([texts["period"], period.date_from, period.date_to])
    for column in (2, 3):
        sheet.cell(row=3, column=column).number_format = DATE_FORMAT
    if currency:
        sheet.append([texts["currency"], currency])
    sheet.append([])

    sheet.append([texts[key] for key in COLUMNS])
    header_row = sheet.max_row
    for column in range(1, len(COLUMNS) + 1):
        sheet.cell(row=header_row, column=column).font = bold

    def money_row(label, debit=None, credit=None, balance=None):
        sheet.append([label, None, None, _number(debit), _number(credit), _number(balance)])
        row = sheet.max_row
        sheet.cell(row=row, column=1).font = bold
        for column in (4, 5, 6):
            sheet.cell(row=row, column=column).number_format = MONEY_FORMAT
            sheet.cell(row=row, column=column).font = bold

    money_row(texts["opening"], balance=statement.opening)
    for line in statement.lines:
        row = line.row
        sheet.append([
            as_date(row.get("date")),
            kinds.get(row.get("kind"), row.get("kind") or ""),
            row.get("doc_number") or "",
            _number(row.get("debit")),
            _number(row.get("credit")),
            _number(line.balance),
            as_date(row.get("due_date")),
            row.get("note") or "",
        ])
        number = sheet.max_row
        sheet.cell(row=number, column=1).number_format = DATE_FORMAT
        sheet.cell(row=number, column=7).number_format = DATE_FORMAT
        for column in (4, 5, 6):
            sheet.cell(row=number, column=column).number_format = MONEY_FORMAT
    money_row(texts["turnover"], debit=statement.debit, credit=statement.credit)
    money_row(texts["closing"], balance=statement.closing)

    for letter, width in zip("ABCDEFGH", (12, 24, 16, 15, 15, 15, 12, 30)):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _number(value):
    """A spreadsheet number (float) of an amount (Decimal, float, None → empty cell)."""
    if value is None:
        return None
    return round(float(value), 2)


def aging_overview(agings, currencies):
    """The bucket labels and the totals of several contracts' aging, as the finance page shows
    them: ``agings``, the figures of each contract (b2b_base's aging: balance, not_due, overdue,
    oldest_days, buckets [{label, amount}], blocked), in the page's order; ``currencies``, each
    contract's currency. Returns (labels, totals, blocked): totals ({balance, not_due, overdue,
    buckets: [amount], oldest_days}) only for more than one contract, all in one currency, else
    None; blocked, whether any contract's shipments are blocked."""
    labels = [bucket["label"] for bucket in agings[0]["buckets"]] if agings else []
    totals = None
    if len(agings) > 1 and len(set(currencies)) == 1:
        totals = {key: sum(figures[key] for figures in agings)
                  for key in ("balance", "not_due", "overdue")}
        totals["buckets"] = [sum(figures["buckets"][index]["amount"] for figures in agings)
                             for index in range(len(labels))]
        totals["oldest_days"] = max(figures["oldest_days"] for figures in agings)
    return labels, totals, any(figures["blocked"] for figures in agings)


def group_by(items, key):
    """{key(item): [items with that key]}, each list in the order of ``items``."""
    groups = {}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    return groups
