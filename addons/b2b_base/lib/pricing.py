"""Price resolution for dealers: what each product costs under a contract.

For a contract's price type (and the RRP type), the dealer's region and the dealers it acts for, an
``Offer`` per product gives the purchase price, the recommended retail price, availability, lead
time, order quantity rules and restrictions. Two ways to the same answer:

- ``fetch_contract_offers``: one SQL query for the products asked for (a catalog page, an
  order's lines), the contract's terms included;
- ``assemble_offers``: the whole catalog from two kinds of tables the caller keeps between calls
  (``load_catalog``: product facts, shared by every dealer; ``load_price_map``: prices of one price
  type), so that resolving 25,000 goods for a dealer costs no query at all.

Every function takes a DB-API cursor and plain ids, so the ORM layer calls them with its own cursor
and the same code serves any later Odoo.

The purchase price is the dealer's: the price type's (``base_price``) less the dealer's personal
discount for the product's group (``b2b.dealer.discount``: the discount of the product's category,
else of its nearest parent with one), rounded to kopecks (``vat.discounted``). Each offer also
carries the product's VAT rate and whether the price type's prices include VAT (``lib.vat``).

``check_quantity`` and ``validate_lines`` are the ordering rules, with messages that name the line
and the SKU; ``refusal`` says why a product cannot be ordered at all, and ``on_request`` is the one
test of a price on request (no price of the type: shown as such, never ordered, never 0).
"""
import gc
import operator
from collections import namedtuple
from contextlib import contextmanager
from decimal import Decimal
from itertools import repeat

from .messages import Problem, _
from .numbers import format_plain
from .vat import STANDARD_RATE, discounted

Offer = namedtuple("Offer", [
    "product_id", "sku", "price", "rrp", "availability", "lead_days", "min_qty", "multiple",
    "forbidden", "visible",
    "base_price",   # the price type's price before the dealer's discount (None: on request)
    "discount",     # the dealer's discount on it, in percent (0.0: none)
    "vat_rate",     # the product's VAT rate, in percent
    "vat_included",  # whether the prices (of the contract's price type) include VAT
], defaults=(None, 0.0, STANDARD_RATE, True))

# The pricing context (price type, RRP type, region, dealers) is read from the contract by the
# same query that prices the goods: a page costs one round trip.
_CONTEXT_FROM_CONTRACT = """
    SELECT c.price_type_id AS price_type,
           (SELECT t.id FROM b2b_price_type t WHERE t.is_rrp AND t.active ORDER BY t.id LIMIT 1)
               AS rrp_type,
           COALESCE(le.b2b_region_id, d.b2b_region_id) AS region,
           ARRAY[c.dealer_id] AS dealers,
           COALESCE(pty.vat_included, true) AS vat_included
      FROM b2b_contract c
      JOIN res_partner le ON le.id = c.partner_id
 LEFT JOIN res_partner d ON d.id = c.dealer_id
 LEFT JOIN b2b_price_type pty ON pty.id = c.price_type_id
     WHERE c.id = %(contract)s
"""
# The dealers' discounts of every product category (categ, percent): a category's own discount,
# else the one its nearest parent with a discount passes down; formatted with the dealers (an SQL
# array) and what else the query reads from.
_DISCOUNTS = """
    SELECT dd.category_id, dd.percent FROM b2b_dealer_discount dd%(ctx)s
     WHERE dd.dealer_id = ANY(%(dealers)s) AND dd.active
    UNION ALL
    SELECT c.id, disc.percent FROM disc JOIN product_category c ON c.parent_id = disc.categ%(ctx)s
     WHERE NOT EXISTS (SELECT 1 FROM b2b_dealer_discount own
                        WHERE own.category_id = c.id AND own.dealer_id = ANY(%(dealers)s)
                          AND own.active)
"""
_OFFERS = """
WITH RECURSIVE ctx AS (%s), disc(categ, percent) AS (%s)
SELECT pp.id, pp.default_code,
       ROUND(p.price::numeric * (100 - COALESCE(disc.percent, 0)) / 100, 2)::float8,
       r.price::float8, pt.b2b_availability,
       pt.b2b_lead_days, pt.b2b_min_qty::float8, pt.b2b_qty_multiple::float8,
       (ctx.region IS NOT NULL AND EXISTS (
           SELECT 1 FROM b2b_product_forbidden_region_rel f
            WHERE f.product_tmpl_id = pt.id AND f.region_id = ctx.region)),
       (NOT pt.b2b_exclusive OR EXISTS (
           SELECT 1 FROM b2b_product_exclusive_dealer_rel x
            WHERE x.product_tmpl_id = pt.id AND x.dealer_id = ANY(ctx.dealers))),
       p.price::float8, COALESCE(disc.percent, 0)::float8,
       COALESCE(pt.b2b_vat_rate, %%(standard_rate)s)::float8, ctx.vat_included
  FROM ctx
 CROSS JOIN product_product pp
  JOIN product_template pt ON pt.id = pp.product_tmpl_id
  LEFT JOIN b2b_price p ON p.product_id = pp.id AND p.price_type_id = ctx.price_type
  LEFT JOIN b2b_price r ON r.product_id = pp.id AND r.price_type_id = ctx.rrp_type
  LEFT JOIN (SELECT DISTINCT ON (categ) categ, percent FROM disc ORDER BY categ) disc
         ON disc.categ = pt.categ_id
 WHERE pp.active AND pt.active AND pt.sale_ok
"""


def offers_query(product_ids=None):
    """The SQL of ``fetch_contract_offers``: every active saleable product, or those of
    ``product_ids``."""
    query = _OFFERS % (_CONTEXT_FROM_CONTRACT,
                       _DISCOUNTS % {"dealers": "ctx.dealers", "ctx": ", ctx"})
    if product_ids is not None:
        query += " AND pp.id = ANY(%(ids)s)"
    return query


def _offers_from_rows(rows, include_hidden):
    make = Offer._make
    return {row[0]: make(row) for row in rows if row[9] or include_hidden}


def fetch_contract_offers(cr, contract_id, product_ids=None, include_hidden=False):
    """{product_id: Offer} under a contract for the products (all when ``product_ids`` is None),
    in one query: the contract's price type, the RRP type, its legal entity's (or dealer's)
    region and its dealer are read by the same query. Products made exclusively for other dealers
    are left out unless ``include_hidden``."""
    cr.execute(offers_query(product_ids), {
        "contract": contract_id,
        "ids": list(product_ids) if product_ids is not None else None,
        "standard_rate": STANDARD_RATE,
    })
    return _offers_from_rows(cr.fetchall(), include_hidden)


ContractContext = namedtuple("ContractContext", ["price_type_id", "rrp_type_id", "region_id",
                                                 "dealer_ids", "vat_included"])


def contract_context(cr, contract_id):
    """What prices a contract (one query): ContractContext, or None for an unknown contract."""
    cr.execute(_CONTEXT_FROM_CONTRACT, {"contract": contract_id})
    row = cr.fetchone()
    return ContractContext(row[0], row[1], row[2], tuple(row[3]), row[4]) if row else None


def load_discounts(cr, dealer_ids):
    """{category id: percent} of the dealers' personal discounts, for every category one reaches
    (its own, else its nearest parent's): one query."""
    cr.execute("WITH RECURSIVE disc(categ, percent) AS (%s) "
               "SELECT DISTINCT ON (categ) categ, percent::float8 FROM disc ORDER BY categ"
               % (_DISCOUNTS % {"dealers": "%(ids)s", "ctx": ""}), {"ids": list(dealer_ids)})
    return dict(cr.fetchall())


# ---------------------------------------------------------------------------- whole catalog
# The whole-catalog tables are columns (tuples aligned on ``ids``), so that assembling 25,000
# offers runs in C-level loops (map/zip) rather than a Python loop per product.
CatalogTable = namedtuple("CatalogTable", [
    "ids", "skus", "availability", "lead_days", "min_qty", "multiple",
    "categories",   # the product's category
    "vat_rates",    # the product's VAT rate
    "forbidden",    # {product_id: frozenset(region ids)} of the products with restrictions
    "exclusive",    # {product_id: frozenset(dealer ids)} of the goods made for some dealers
])

_CATALOG_QUERY = """
    SELECT pp.id, pp.default_code, pt.b2b_availability, pt.b2b_lead_days,
           pt.b2b_min_qty::float8, pt.b2b_qty_multiple::float8, pt.categ_id,
           COALESCE(pt.b2b_vat_rate, %(standard_rate)s)::float8
      FROM product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE pp.active AND pt.active AND pt.sale_ok
     ORDER BY pp.id
"""
# per variant: the regions a product may not be sold in, the dealers it is exclusive to
_RESTRICTION_QUERIES = ("""
    SELECT pp.id, array_agg(rel.region_id)
      FROM b2b_product_forbidden_region_rel rel
      JOIN product_product pp ON pp.product_tmpl_id = rel.product_tmpl_id
     GROUP BY pp.id
""", """
    SELECT pp.id, array_agg(rel.dealer_id)
      FROM b2b_product_exclusive_dealer_rel rel
      JOIN product_product pp ON pp.product_tmpl_id = rel.product_tmpl_id
     GROUP BY pp.id
""")


def load_catalog(cr):
    """CatalogTable of every product dealers can buy (three queries, none per product)."""
    cr.execute(_CATALOG_QUERY, {"standard_rate": STANDARD_RATE})
    rows = cr.fetchall()
    columns = list(zip(*rows)) if rows else [()] * 8
    restrictions = []
    for query in _RESTRICTION_QUERIES:
        cr.execute(query)
        restrictions.append({pid: frozenset(values) for pid, values in cr.fetchall()})
    return CatalogTable(*columns, forbidden=restrictions[0], exclusive=restrictions[1])


def load_price_map(cr, price_type_id):
    """{product_id: price} of one price type (one query)."""
    cr.execute("SELECT product_id, price::float8 FROM b2b_price WHERE price_type_id = %s",
               (price_type_id,))
    return dict(cr.fetchall())


@contextmanager
def _without_cyclic_gc():
    """Pause Python's cycle collector while tens of thousands of tuples of plain values are built:
    they cannot form cycles, and its passes would otherwise take a third of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def assemble_offers(catalog, prices, rrp_prices, region_id=None, dealer_ids=(), product_ids=None,
                    include_hidden=False, discounts=None, vat_included=True):
    """The same {product_id: Offer} as ``fetch_contract_offers``, from a ``load_catalog`` table,
    ``load_price_map`` tables and the dealer's ``load_discounts``, without touching the
    database."""
    dealers = frozenset(dealer_ids)
    forbidden = {pid for pid, regions in catalog.forbidden.items() if region_id in regions}
    hidden = {pid for pid, owners in catalog.exclusive.items() if dealers.isdisjoint(owners)}
    ids = catalog.ids
    base = list(map(prices.get, ids))
    if discounts:
        percents = [discounts.get(categ, 0.0) for categ in catalog.categories]
        # vat.discounted, inlined: whole kopecks times the hundredths of a percent kept
        kept = {percent: 10000 - int(round(percent * 100)) for percent in set(percents)}
        dealer_prices = [price if price is None or not percent
                         else (round(price * 100) * kept[percent] + 5000) // 10000 / 100
                         for price, percent in zip(base, percents)]
    else:
        percents, dealer_prices = repeat(0.0), base
    rows = zip(ids, catalog.skus, dealer_prices, map(rrp_prices.get, ids),
               catalog.availability, catalog.lead_days, catalog.min_qty, catalog.multiple,
               map(forbidden.__contains__, ids), map(operator.not_, map(hidden.__contains__, ids)),
               base, percents, catalog.vat_rates, repeat(bool(vat_included)))
    with _without_cyclic_gc():
        offers = dict(zip(ids, map(tuple.__new__, repeat(Offer), rows)))
    if not include_hidden:
        for pid in hidden:
            offers.pop(pid, None)
    if product_ids is not None:
        offers = {pid: offers[pid] for pid in product_ids if pid in offers}
    return offers


def _dec(value):
    return Decimal(str(value))


# Reasons a line cannot be ordered: code -> English template (the ORM layer shows it translated,
# see b2b_base/tools/rule_messages.py).
REASONS = {
    "qty_not_positive": _("the quantity must be positive"),
    "below_min_qty": _("the minimum order quantity is %(min_qty)s"),
    "not_multiple": _("order in multiples of %(multiple)s"),
    "not_available": _("the product is not available to you"),
    "forbidden_region": _("the product cannot be bought in your region"),
    "no_price": _("the price is on request: the product cannot be ordered in the portal, ask "
                  "your manager for it"),
}
# A price 1C left empty (a "price on request") is no price at all, never 0: the pages show this
# instead of an amount (the purchase price and the RRP each on their own) ...
PRICE_ON_REQUEST = _("price on request")
# ... and every way of ordering by SKU refuses the product naming it (a quick add, a file's row)
NO_PRICE_OF = _('the price of "%(sku)s" is on request: it cannot be ordered in the portal, ask '
                'your manager for it')


def on_request(price):
    """Whether ``price`` (an offer's purchase price or RRP) is a price on request: the one test
    of every page and every way of ordering. A product without a price of a type has no
    ``b2b.price`` row of that type (1C sent it empty or not at all); it is never priced 0."""
    return price is None


def offered(offer):
    """Whether the dealer is offered the product of ``offer`` (None: unknown to the contract): it
    is listed and shown to it, priced or with its price on request."""
    return offer is not None and offer.visible and not offer.forbidden


def refusal(offer):
    """Why a product cannot be put in an order under ``offer`` (None: unknown to the contract),
    whatever the quantity: a REASONS code (not visible to the dealer, forbidden in its region, a
    price on request), or None when it can be ordered."""
    if not offered(offer):
        return "forbidden_region" if offer is not None and offer.visible else "not_available"
    if on_request(offer.price):
        return "no_price"
    return None


def check_quantity(qty, min_qty, multiple):
    """None when ``qty`` can be ordered, else (reason code, parameters)."""
    if qty is None or qty <= 0:
        return "qty_not_positive", {}
    if min_qty and qty < min_qty:
        return "below_min_qty", {"min_qty": format_plain(min_qty, 6)}
    if multiple and multiple > 0:
        ratio = _dec(qty) / _dec(multiple)
        if ratio != ratio.to_integral_value():
            return "not_multiple", {"multiple": format_plain(multiple, 6)}
    return None


class LineProblem(Problem):
    """Why line ``line`` (1-based) of an order cannot be ordered: ``code`` is the reason (a key of
    REASONS), ``sku`` the product's SKU (None for a product the dealer may not see)."""
    __slots__ = ("code",)

    def __init__(self, line, sku, code, params=None):
        super(LineProblem, self).__init__(REASONS[code], params, line=line, product=sku)
        self.code = code

    @property
    def sku(self):
        return self.product

    @property
    def text(self):
        return self.message()

    # the ORM layer moves a problem to the line the dealer sees (the name namedtuple gave it)
    _replace = Problem.replace


def validate_lines(offers, lines):
    """Check order lines [(product_id, qty), ...] against ``offers``.

    Returns a list of LineProblem; empty when every line can be ordered."""
    problems = []
    for number, (product_id, qty) in enumerate(lines, start=1):
        offer = offers.get(product_id)
        sku = offer.sku if offer is not None and offer.visible else None
        reason = refusal(offer)
        if reason:
            problems.append(LineProblem(number, sku, reason, {}))
        else:
            reason = check_quantity(qty, offer.min_qty, offer.multiple)
            if reason:
                problems.append(LineProblem(number, sku, reason[0], reason[1]))
    return problems
