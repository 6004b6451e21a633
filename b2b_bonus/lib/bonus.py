"""Bonus orders: goods sold only for bonus points, paid from the dealer's bonus balance.

The balance figure comes from the supplier's 1C. A bonus order fits when every line is a known
bonus-only product with a bonus price, every quantity is positive and the total in points does not
exceed the balance. Messages are English templates marked with ``_`` so that Odoo's translation
export picks them up; the ORM layer translates a template and then fills in its parameters.
"""
from dataclasses import dataclass

from odoo.addons.b2b_base.lib.messages import Problem, _
from odoo.addons.b2b_base.lib.numbers import format_plain


POINTS_DIGITS = 2


@dataclass(frozen=True)
class BonusItem:
    """A requested line: ``name`` is the product name, or the code the dealer typed when unknown."""
    name: str
    qty: float
    known: bool = True
    bonus_only: bool = False
    bonus_price: float = 0.0


@dataclass(frozen=True)
class BonusCheck:
    total: float
    balance: float
    problems: tuple

    @property
    def ok(self):
        return not self.problems

    @property
    def shortfall(self):
        return max(0.0, round(self.total - (self.balance or 0.0), POINTS_DIGITS))


def bonus_price_problem(name, bonus_only, bonus_price):
    """Why a product's bonus settings are wrong, or None."""
    if bonus_price < 0:
        return Problem(_('Product "%(product)s": the bonus price cannot be negative (got %(price)s).'),
                       {"product": name, "price": format_plain(bonus_price, POINTS_DIGITS)})
    if bonus_only and bonus_price <= 0:
        return Problem(_('Product "%(product)s" is sold only for bonus points, so its bonus price '
                         'must be greater than zero.'), {"product": name})
    return None


def order_kind_problems(is_bonus_order, items):
    """Bonus goods are ordered apart: a bonus order holds only bonus-only goods, a regular order none."""
    problems = []
    for number, item in enumerate(items, 1):
        if not item.known:
            continue
        if is_bonus_order and not item.bonus_only:
            problems.append(Problem(_("a bonus order holds only goods sold for bonus points; "
                                      "order this product in a regular order"),
                                    line=number, product=item.name or "?"))
        elif not is_bonus_order and item.bonus_only:
            problems.append(Problem(_("this product is sold only for bonus points; "
                                      "order it in a separate bonus order"),
                                    line=number, product=item.name or "?"))
    return problems


def available_points(stated, reserved, spent_since_statement):
    """The points a dealer may still spend: 1C's stated figure less the points held by bonus
    orders 1C has not confirmed yet and less the points spent since 1C stated its figure (those
    1C's figure does not count yet; a spend given back since then counts negative)."""
    return round((stated or 0.0) - (reserved or 0.0) - (spent_since_statement or 0.0),
                 POINTS_DIGITS)


def short_of_points(total, available):
    """Why a bonus order of ``total`` points cannot be placed against ``available`` points, or
    None when it fits (the order's lines are checked by ``check_bonus_order``)."""
    total, available = round(total, POINTS_DIGITS), round(available, POINTS_DIGITS)
    if total <= available:
        return None
    return Problem(_("The bonus order costs %(total)s points, %(available)s available: "
                     "%(shortfall)s short."),
                   {"total": format_plain(total, POINTS_DIGITS),
                    "available": format_plain(available, POINTS_DIGITS),
                    "shortfall": format_plain(total - available, POINTS_DIGITS)})


def price_bonus_lines(items):
    """(total in points, problems of the lines) of a bonus order of ``items``."""
    problems = []
    total = 0.0
    if not items:
        problems.append(Problem(_("The bonus order has no lines.")))
    for number, item in enumerate(items, 1):
        where = {"line": number, "product": item.name or "?"}
        if not item.known:
            problems.append(Problem(_("unknown product"), **where))
            continue
        if not item.bonus_only:
            problems.append(Problem(_("this product is not sold for bonus points"), **where))
            continue
        if item.bonus_price <= 0:
            problems.append(Problem(_("this product has no bonus price"), **where))
            continue
        if item.qty <= 0:
            problems.append(Problem(_("the quantity must be positive (got %(qty)s)"),
                                    {"qty": format_plain(item.qty, POINTS_DIGITS)}, **where))
            continue
        total += item.qty * item.bonus_price
    return round(total, POINTS_DIGITS), problems


def check_bonus_order(balance, items):
    """Does a bonus order of ``items`` fit a ``balance`` of points (None: the dealer has none)?"""
    total, problems = price_bonus_lines(items)
    if not problems:
        if balance is None:
            problems.append(Problem(_("The dealer has no bonus balance yet; the order needs "
                                      "%(total)s points."),
                                    {"total": format_plain(total, POINTS_DIGITS)}))
        elif total > round(balance, POINTS_DIGITS):
            problems.append(Problem(
                _("The order costs %(total)s points but the bonus balance is %(balance)s points: "
                  "%(shortfall)s points short."),
                {"total": format_plain(total, POINTS_DIGITS),
                 "balance": format_plain(balance, POINTS_DIGITS),
                 "shortfall": format_plain(total - balance, POINTS_DIGITS)}))
    return BonusCheck(total=total, balance=balance, problems=tuple(problems))
