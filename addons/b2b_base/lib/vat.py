"""VAT (НДС) of dealers' prices and the dealer's personal discount: the one arithmetic of the
catalog, the cart, the order pages and Odoo's own order taxes.

A price type's prices either include VAT (as 1C usually sends them: «в т.ч. НДС 20%») or leave
it on top («+ НДС 20%»); each product has its VAT rate (1C's ``СтавкаНалога``, the standard rate
when 1C sends none). An order line's VAT is worked out the way Odoo's ``account.tax`` does it with
the company rounding each line (its default): the line's amount (quantity × price) is rounded
to kopecks, then its VAT: ``amount × rate / (100 + rate)`` when the price includes VAT,
``amount × rate / 100`` on top, rounded half up; the order's VAT is the sum of its lines'.

The dealer's price is its price type's (base) price less its personal discount, rounded to
kopecks: ``base × (1 − percent / 100)`` (``discounted``; the SQL of ``pricing`` computes the
same in numeric arithmetic).
"""
from collections import namedtuple
from decimal import ROUND_HALF_UP, Decimal

from .messages import _

# the company's standard rate of VAT (Russia, since 2019), for goods 1C sends without a rate
STANDARD_RATE = 20.0

# what a price says of its VAT, shown beside it («в т.ч. НДС 20%», «+ НДС 20%», «без НДС»)
VAT_INCLUDED = _("incl. VAT %(rate)s%%")
VAT_ON_TOP = _("+ VAT %(rate)s%%")
NO_VAT = _("VAT exempt")

_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


def _dec(value):
    return Decimal(repr(float(value)))


def _money(value):
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def rate_or_standard(rate):
    """A product's VAT rate: its own (0 is a rate: goods without VAT), else the standard one."""
    return STANDARD_RATE if rate is None or rate is False else float(rate)


def rate_text(rate):
    """A rate as the pages write it: 20.0 -> '20', 10.0 -> '10', 0.5 -> '0.5'."""
    text = "%.2f" % float(rate)
    return text.rstrip("0").rstrip(".")


def label(rate, included):
    """(English template, parameters) of what a price says of its VAT: «в т.ч. НДС 20%» when the
    price includes it, «+ НДС 20%» when it is on top, «без НДС» for a rate of 0."""
    if not rate:
        return NO_VAT, {}
    return (VAT_INCLUDED if included else VAT_ON_TOP), {"rate": rate_text(rate)}


def discounted(price, percent):
    """The dealer's price: ``price`` (in kopecks) less ``percent`` % (in hundredths), rounded
    half up to kopecks (a float); ``price`` itself without a discount, None for a price on
    request. Whole numbers of kopecks, exact, and quick enough for a whole catalog."""
    if price is None or not percent:
        return price
    kept = 10000 - int(round(percent * 100))
    return (int(round(price * 100)) * kept + 5000) // 10000 / 100


Line = namedtuple("Line", ["amount", "net", "vat", "total"])


def line(qty, price, rate, included):
    """A line of ``qty`` at ``price`` (its price type including VAT or not) with VAT ``rate`` %:
    Line(amount (qty × price), net (without VAT), vat, total (to pay)), each rounded to kopecks;
    None without a price."""
    if price is None:
        return None
    amount = _money(_dec(qty) * _dec(price))
    rate = _dec(rate or 0)
    if included:
        vat = _money(amount * rate / (_HUNDRED + rate))
        net, total = amount - vat, amount
    else:
        vat = _money(amount * rate / _HUNDRED)
        net, total = amount, amount + vat
    return Line(float(amount), float(net), float(vat), float(total))


Totals = namedtuple("Totals", ["net", "vat", "total"])


def totals(lines):
    """The sum of ``lines`` (``line`` results; None ones, lines without a price, are left out):
    Totals(net, vat, total)."""
    net = vat = total = Decimal(0)
    for one in lines:
        if one is None:
            continue
        net += _dec(one.net)
        vat += _dec(one.vat)
        total += _dec(one.total)
    return Totals(float(net), float(vat), float(total))
