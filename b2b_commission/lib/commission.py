"""Commission-agent (consignment) reports: what a monthly report of goods sold must satisfy.

A commission agent holds the supplier's goods on consignment and reports each month what it sold.
A line is a product, the quantity sold, the price and, when the consignment list from 1C is known,
the quantity the agent held. A product sold at several prices is several lines: what must not
exceed the quantity held is the total sold over its lines.

The commission of a line is a percent of its amount: the contract's percent for the line's product
group when the contract names one, else its default percent (``line_commission``,
``report_commission``: rounded half up to the cent per line, the report's being the sum of its
lines').

Messages are English templates marked with ``_`` so that Odoo's translation export picks them up;
the ORM layer translates a template, then fills in its parameters.
"""
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from odoo.addons.b2b_base.lib.messages import Problem, _
from odoo.addons.b2b_base.lib.numbers import format_plain


AMOUNT_DIGITS = 2

PRICE_NEGATIVE = _("the price cannot be negative (got %(price)s)")
SOLD_MORE_THAN_HELD = _("%(qty)s sold is more than the %(consigned)s held on consignment")
SOLD_MORE_ON_LINES = _("%(qty)s sold on lines %(lines)s is more than the %(consigned)s held on "
                       "consignment")
BAD_PERCENT = _("the commission percent %(percent)s is not between 0 and 100")


@dataclass(frozen=True)
class ReportLine:
    """``qty_consigned`` None: the consigned quantity is not known for this line. ``group``: the
    key of the product's group the contract's commission terms may name (None: none). ``key``:
    what tells the lines of one product (the product's id; its name ``product`` when None)."""
    product: str
    qty: float
    price: float
    qty_consigned: float = None
    group: object = None
    key: object = None


def line_amount(qty, price, digits=AMOUNT_DIGITS):
    return round(qty * price, digits)


def report_total(lines, digits=AMOUNT_DIGITS):
    return round(sum(line_amount(line.qty, line.price, digits) for line in lines), digits)


def line_problems(lines):
    """Located problems of the lines, in line order: the total sold over the lines of a product
    more than held is told on its last line, naming its lines."""
    problems = []
    products = {}
    for number, line in enumerate(lines, 1):
        where = {"line": number, "product": line.product or "?"}
        if not line.product:
            problems.append((number, Problem(_("no product"), **where)))
            continue
        if line.qty < 0:
            problems.append((number, Problem(
                _("the quantity sold cannot be negative (got %(qty)s)"),
                {"qty": format_plain(line.qty)}, **where)))
        else:
            key = line.key if line.key is not None else line.product
            products.setdefault(key, []).append((number, line))
        if line.price < 0:
            problems.append((number, Problem(PRICE_NEGATIVE, {"price": "%.2f" % line.price},
                                             **where)))
    for members in products.values():
        held = [line.qty_consigned for _n, line in members if line.qty_consigned is not None]
        if not held:
            continue
        total = sum((Decimal(repr(float(line.qty))) for _n, line in members), Decimal(0))
        if total <= Decimal(repr(float(max(held)))):
            continue
        number = members[-1][0]
        params = {"qty": format_plain(total), "consigned": format_plain(max(held))}
        if len(members) == 1:
            template = SOLD_MORE_THAN_HELD
        else:
            template = SOLD_MORE_ON_LINES
            params["lines"] = ", ".join(str(n) for n, _line in members)
        problems.append((number, Problem(template, params, line=number,
                                         product=members[-1][1].product)))
    problems.sort(key=lambda item: item[0])
    return [problem for _number, problem in problems]


def commission_percent(group, default_percent, group_percents=None):
    """The percent of a line of the product group ``group`` under terms of ``default_percent``
    and ``{group: percent}``."""
    if group is not None and group_percents and group in group_percents:
        return group_percents[group]
    return default_percent


def _cents(value, digits):
    return float(Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits),
                                                      rounding=ROUND_HALF_UP))


def line_commission(line, default_percent, group_percents=None, digits=AMOUNT_DIGITS):
    """The commission of ``line`` (a ``ReportLine``): its percent of the line's amount, rounded
    half up to ``digits``."""
    percent = commission_percent(line.group, default_percent, group_percents)
    amount = Decimal(repr(line_amount(line.qty, line.price, digits)))
    return _cents(amount * Decimal(repr(float(percent))) / 100, digits)


def report_commission(lines, default_percent, group_percents=None, digits=AMOUNT_DIGITS):
    """The commission of a report: the sum of its lines' rounded commissions."""
    total = sum((Decimal(repr(line_commission(line, default_percent, group_percents, digits)))
                 for line in lines), Decimal(0))
    return _cents(total, digits)


def terms_problems(default_percent, group_percents=None):
    """Percents of commission terms that are not between 0 and 100."""
    percents = [default_percent] + list((group_percents or {}).values())
    return [Problem(BAD_PERCENT, {"percent": format_plain(percent, 4)}) for percent in percents
            if percent is None or not 0 <= percent <= 100]


def submission_problems(lines):
    """What stops a report from being submitted: no lines at all, or any line problem."""
    if not lines:
        return [Problem(_("The report has no lines: add the goods sold in the month."))]
    return line_problems(lines)


def month_start(day):
    """The first day of ``day``'s month: reports are kept per month."""
    return day.replace(day=1)


def period_problem(period, today):
    """A report is for a month that has begun (a month not yet started has nothing sold)."""
    if month_start(period) > month_start(today):
        return Problem(_("The month %(month)s has not begun yet."), {"month": period.strftime("%m.%Y")})
    return None


def as_date(value):
    if isinstance(value, datetime.date):
        return value
    return datetime.datetime.strptime(value[:10], "%Y-%m-%d").date()
