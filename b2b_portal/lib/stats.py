"""Rules of the dealer portal's statistics page (purchases), without the ORM.

What counts as a purchase is decided by the page's query (the dealer's confirmed orders: states
``sale`` and ``done`` of a sale order, placed under a contract the user acts for); this module
takes the figures that query grouped and makes the page, its charts and its xlsx file of them:

- ``parse_period``: the months a dealer asks for, from the two fields of the filter (``YYYY-MM``
  as ``<input type="month">`` sends it, ``MM.YYYY`` typed by hand, or a date of the month); blank =
  the last ``DEFAULT_MONTHS`` months up to the current one. Every bad value is named; at most
  ``MAX_MONTHS`` months.
- ``shape``: the grouped rows as one section per currency (amounts of contracts in different
  currencies are never added up): the months of the period with the empty ones filled in, product
  groups, contracts, legal entities and top goods, largest first, with their shares of the total.
- ``plan_history``: the fulfilment of the dealer's monthly plans, by month.
- ``stats_workbook``: the same figures as an xlsx file, a sheet per breakdown, amounts and
  quantities as numbers, headers in the user's language.

Messages are English templates marked with ``_``; the ORM layer translates them (see b2b_base's
``tools/rule_messages``).
"""
import datetime
import io
import re
from collections import namedtuple

from odoo.addons.b2b_base.lib.messages import Problem, _

from .finance import MONEY_FORMAT, _number

DEFAULT_MONTHS = 12
DASHBOARD_MONTHS = 6
MAX_MONTHS = 36
TOP_LIMIT = 10
QTY_FORMAT = "#,##0.###"
PERCENT_FORMAT = "0.0"

# the breakdowns of the grouped query, as its rows name them
KINDS = ("month", "group", "contract", "entity", "product")

BAD_FROM = _("The first month «%(value)s» is not a month: enter it as YYYY-MM or MM.YYYY.")
BAD_TO = _("The last month «%(value)s» is not a month: enter it as YYYY-MM or MM.YYYY.")
REVERSED = _("The period starts in %(start)s, after it ends in %(end)s: swap the months.")
TOO_LONG = _("The period from %(start)s to %(end)s is longer than %(months)s months: choose a "
             "shorter one.")

Period = namedtuple("Period", "date_from date_to")   # first day of the first month, last day


# ---------------------------------------------------------------------------- months
def month_start(day):
    return datetime.date(day.year, day.month, 1)


def add_months(month, count):
    """The first day of the month ``count`` months after (before, if negative) ``month``."""
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(month):
    return add_months(month_start(month), 1) - datetime.timedelta(days=1)


def months_of(period):
    """The first days of the months of ``period``, in order."""
    result, month = [], month_start(period.date_from)
    while month <= period.date_to:
        result.append(month)
        month = add_months(month, 1)
    return result


def month_label(month):
    """A month as the page and the file write it: 03.2026."""
    return "%02d.%d" % (month.month, month.year)


def month_short(month):
    """A month under a chart's bar, where room is short: 03.26."""
    return "%02d.%02d" % (month.month, month.year % 100)


def month_value(month):
    """A month as ``<input type="month">`` holds it: 2026-03."""
    return "%d-%02d" % (month.year, month.month)


def parse_month(value):
    """The first day of the month ``value`` names (a date, 'YYYY-MM', 'MM.YYYY', 'YYYY-MM-DD',
    'DD.MM.YYYY'); blank → None; ValueError for anything else."""
    if value is None or value is False:
        return None
    if isinstance(value, datetime.datetime):
        return month_start(value.date())
    if isinstance(value, datetime.date):
        return month_start(value)
    text = str(value).strip()
    if not text:
        return None
    patterns = ((r"(\d{4})-(\d{1,2})", (1, 2)), (r"(\d{1,2})\.(\d{4})", (2, 1)),
                (r"(\d{4})-(\d{1,2})-(\d{1,2})", (1, 2)),
                (r"(\d{1,2})\.(\d{1,2})\.(\d{4})", (3, 2)))
    for pattern, (year, month) in patterns:
        found = re.fullmatch(pattern, text)
        if found:
            try:
                if len(found.groups()) == 3:   # a whole date must be a real one
                    parts = [int(part) for part in found.groups()]
                    datetime.date(*(parts if year == 1 else parts[::-1]))
                return datetime.date(int(found.group(year)), int(found.group(month)), 1)
            except ValueError:
                break
    raise ValueError(text)


def default_period(today, months=DEFAULT_MONTHS):
    """The last ``months`` months up to the current one (included, to ``today``'s month end)."""
    last = month_start(today)
    return Period(add_months(last, 1 - months), month_end(last))


def parse_period(month_from, month_to, today):
    """(Period, problems): the months the filter asks for. A blank first month: ``DEFAULT_MONTHS``
    months up to the last; a blank last month: the current one (or the first, if later)."""
    problems = []
    values = []
    for value, template in ((month_from, BAD_FROM), (month_to, BAD_TO)):
        try:
            values.append(parse_month(value))
        except ValueError:
            problems.append(Problem(template, {"value": str(value).strip()[:40]}))
            values.append(None)
    if problems:
        return None, problems
    start, end = values
    current = month_start(today)
    end = end or max(current, start or current)
    start = start or add_months(end, 1 - DEFAULT_MONTHS)
    if start > end:
        return None, [Problem(REVERSED, {"start": month_label(start), "end": month_label(end)})]
    if (end.year - start.year) * 12 + end.month - start.month + 1 > MAX_MONTHS:
        return None, [Problem(TOO_LONG, {"start": month_label(start), "end": month_label(end),
                                         "months": MAX_MONTHS})]
    return Period(start, month_end(end)), []


# ---------------------------------------------------------------------------- figures
def _share(amount, total):
    return round(100.0 * amount / total, 1) if total else 0.0


def _ranked(rows, total, limit=None):
    """Rows (dicts with key, name, amount, qty, orders) largest amount first (then by name), each
    with its share of ``total`` in percent."""
    ranked = sorted(rows, key=lambda row: (-row["amount"], str(row.get("name") or ""),
                                           str(row.get("key"))))
    if limit:
        ranked = ranked[:limit]
    return [dict(row, share=_share(row["amount"], total)) for row in ranked]


def shape(rows, period, top_limit=TOP_LIMIT):
    """The page's figures of the grouped ``rows``: dicts {kind (one of KINDS), key (the month's
    first day, or the id of the group, contract, entity or product), name, currency, amount,
    qty, orders, and for products sku and uom}.

    One section per currency, the largest total first: {currency, total, orders (the orders of
    the period: the month rows' count), average (per month of the period), months [{month, label,
    short, amount, orders, qty}] (every month of the period, empty ones as 0), groups, contracts,
    entities, top (the ``top_limit`` goods with the largest amounts)}: rows largest first with
    ``share`` (percent of the total)."""
    months = months_of(period)
    by_currency = {}
    for row in rows:
        if row["kind"] not in KINDS:
            continue
        clean = dict(row, amount=float(row.get("amount") or 0.0), qty=float(row.get("qty") or 0.0),
                     orders=int(row.get("orders") or 0))
        if row["kind"] == "month":
            clean["key"] = parse_month(row["key"])   # a date, or the database's 'YYYY-MM-DD'

        by_currency.setdefault(row["currency"], {kind: [] for kind in KINDS})[row["kind"]].append(
            clean)
    sections = []
    for currency, kinds in by_currency.items():
        per_month = {row["key"]: row for row in kinds["month"]}
        total = round(sum(row["amount"] for row in kinds["month"]), 2)
        orders = sum(row["orders"] for row in kinds["month"])
        sections.append({
            "currency": currency,
            "total": total,
            "orders": orders,
            "average": round(total / len(months), 2) if months else 0.0,
            "months": [{"month": month, "label": month_label(month), "short": month_short(month),
                        "amount": per_month.get(month, {}).get("amount", 0.0),
                        "qty": per_month.get(month, {}).get("qty", 0.0),
                        "orders": per_month.get(month, {}).get("orders", 0)} for month in months],
            "groups": _ranked(kinds["group"], total),
            "contracts": _ranked(kinds["contract"], total),
            "entities": _ranked(kinds["entity"], total),
            "top": _ranked(kinds["product"], total, top_limit),
        })
    sections.sort(key=lambda section: (-section["total"], str(section["currency"])))
    return sections


def month_points(section, short=True):
    """[(label, amount)] of a section's months, for ``svg_chart.bar_chart``."""
    return [(month["short"] if short else month["label"], month["amount"])
            for month in section["months"]]


def row_points(rows):
    """[(name, amount)] of ranked rows, for ``svg_chart.hbar_chart``."""
    return [(row.get("name") or "", row["amount"]) for row in rows]


def plan_history(plans):
    """The dealer's monthly plans by month, oldest first: ``plans`` [{month (a date or
    'YYYY-MM-DD'), name, percent}] → [{month, label, short, percent (the month's plans on
    average), plans [{name, percent}] by name}]."""
    months = {}
    for plan in plans:
        month = parse_month(plan["month"])
        months.setdefault(month, []).append({"name": plan.get("name") or "",
                                             "percent": round(float(plan.get("percent") or 0), 1)})
    result = []
    for month in sorted(months):
        entries = sorted(months[month], key=lambda entry: entry["name"])
        result.append({"month": month, "label": month_label(month), "short": month_short(month),
                       "percent": round(sum(e["percent"] for e in entries) / len(entries), 1),
                       "plans": entries})
    return result


# ---------------------------------------------------------------------------- xlsx
# the texts of the file, translated by the caller: {key: text}
XLSX_TEXTS = {
    "title": _("Purchases"),
    "period": _("Period"),
    "currency": _("Currency"),
    "months": _("By month"),
    "groups": _("By product group"),
    "contracts": _("By contract"),
    "entities": _("By legal entity"),
    "top": _("Top goods"),
    "plans": _("Plan fulfilment"),
    "month": _("Month"),
    "group": _("Product group"),
    "contract": _("Contract"),
    "entity": _("Legal entity"),
    "sku": _("SKU"),
    "product": _("Product"),
    "unit": _("Unit"),
    "amount": _("Amount"),
    "qty": _("Quantity"),
    "orders": _("Orders"),
    "share": _("Share, %"),
    "plan": _("Plan"),
    "percent": _("Fulfilment, %"),
    "total": _("Total"),
}
SHEETS = ("months", "groups", "contracts", "entities", "top")


def stats_workbook(sections, texts, period, plans=None):
    """The xlsx bytes of the page's figures: ``sections`` (``shape``'s), ``texts`` (XLSX_TEXTS
    translated), ``period`` (a Period), ``plans`` (``plan_history``'s, a sheet when given).

    A sheet per breakdown; each has the period, then a block of rows per currency (the currency in
    the first column); amounts, quantities and shares are numbers of the spreadsheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)
    first = True
    layouts = {
        "months": (("month", "amount", "orders", "qty"),
                   lambda s: [(m["label"], m["amount"], m["orders"], m["qty"])
                              for m in s["months"]]),
        "groups": (("group", "amount", "qty", "share"),
                   lambda s: [(r["name"], r["amount"], r["qty"], r["share"]) for r in s["groups"]]),
        "contracts": (("contract", "amount", "orders", "share"),
                      lambda s: [(r["name"], r["amount"], r["orders"], r["share"])
                                 for r in s["contracts"]]),
        "entities": (("entity", "amount", "orders", "share"),
                     lambda s: [(r["name"], r["amount"], r["orders"], r["share"])
                                for r in s["entities"]]),
        "top": (("sku", "product", "qty", "unit", "amount", "share"),
                lambda s: [(r.get("sku") or "", r["name"], r["qty"], r.get("uom") or "",
                            r["amount"], r["share"]) for r in s["top"]]),
    }
    formats = {"amount": MONEY_FORMAT, "qty": QTY_FORMAT, "share": PERCENT_FORMAT,
               "percent": PERCENT_FORMAT, "orders": "0"}

    def new_sheet(key):
        nonlocal first
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = texts[key][:31]
        sheet.append([texts[key]])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
        sheet.append([texts["period"], month_label(period.date_from), month_label(period.date_to)])
        sheet.append([])
        return sheet

    def table(sheet, columns, rows, currency=None):
        header = ([texts["currency"]] if currency is not None else []) + [texts[c] for c in columns]
        sheet.append(header)
        for column in range(1, len(header) + 1):
            sheet.cell(row=sheet.max_row, column=column).font = bold
        offset = 1 if currency is not None else 0
        for values in rows:
            sheet.append(([currency] if currency is not None else []) + [
                _number(value) if columns[index] in ("amount", "share", "percent") else
                (float(value) if columns[index] == "qty" else value)
                for index, value in enumerate(values)])
            for index, column in enumerate(columns):
                if column in formats:
                    sheet.cell(row=sheet.max_row, column=index + 1 + offset).number_format = \
                        formats[column]

    for key in SHEETS:
        columns, rows_of = layouts[key]
        sheet = new_sheet(key)
        for section in sections:
            table(sheet, columns, rows_of(section), currency=section["currency"])
            if key == "months":
                sheet.append([texts["total"], None, _number(section["total"]), section["orders"]])
                sheet.cell(row=sheet.max_row, column=1).font = bold
                sheet.cell(row=sheet.max_row, column=3).number_format = MONEY_FORMAT
            sheet.append([])
        sheet.column_dimensions["A"].width = 12
        sheet.column_dimensions["B"].width = 34
        for letter in "CDEFG":
            sheet.column_dimensions[letter].width = 16
    if plans is not None:
        sheet = new_sheet("plans")
        rows = [(month["label"], plan["name"], plan["percent"])
                for month in plans for plan in month["plans"]]
        table(sheet, ("month", "plan", "percent"), rows)
        sheet.column_dimensions["A"].width = 12
        sheet.column_dimensions["B"].width = 40
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
