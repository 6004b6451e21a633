"""Commission-agent (consignment) reports: what a monthly report of goods sold must satisfy.

A commission agent holds the supplier's goods on consignment and reports each month what it sold.
A line is a product, the quantity sold, the price and, when the consignment list from 1C is known,
the quantity the agent held. Messages are English templates marked with ``_`` so that Odoo's
translation export picks them up; the ORM layer translates a template, then fills in its parameters.
"""
import datetime
from dataclasses import dataclass

from odoo.addons.b2b_base.lib.messages import Problem, _
from odoo.addons.b2b_base.lib.numbers import format_plain


AMOUNT_DIGITS = 2


@dataclass(frozen=True)
class ReportLine:
    """``qty_consigned`` None: the consigned quantity is not known for this line."""
    product: str
    qty: float
    price: float
    qty_consigned: float = None


def line_amount(qty, price, digits=AMOUNT_DIGITS):
    return round(qty * price, digits)


def report_total(lines, digits=AMOUNT_DIGITS):
    return round(sum(line_amount(line.qty, line.price, digits) for line in lines), digits)


def line_problems(lines):
    """Located problems of the lines, in line order."""
    problems = []
    seen = {}
    for number, line in enumerate(lines, 1):
        where = {"line": number, "product": line.product or "?"}
        if not line.product:
            problems.append(Problem(_("no product"), **where))
            continue
        if line.qty < 0:
            problems.append(Problem(_("the quantity sold cannot be negative (got %(qty)s)"),
                                    {"qty": format_plain(line.qty)}, **where))
        elif line.qty_consigned is not None and line.qty > line.qty_consigned:
            problems.append(Problem(
                _("%(qty)s sold is more than the %(consigned)s held on consignment"),
                {"qty": format_plain(line.qty), "consigned": format_plain(line.qty_consigned)}, **where))
        if line.price < 0:
            problems.append(Problem(_("the price cannot be negative (got %(price)s)"),
                                    {"price": "%.2f" % line.price}, **where))
        if line.product in seen:
            problems.append(Problem(_("the product is already reported on line %(first)s"),
                                    {"first": seen[line.product]}, **where))
        else:
            seen[line.product] = number
    return problems


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
