"""Price resolution for dealers: what each product costs under a contract.

For a contract's price type (and the RRP type), the dealer's region and the dealers it acts for, an
``Offer`` per product gives the purchase price, the recommended retail price, availability, lead
time, order quantity rules and restrictions. Two ways to the same answer:

- ``fetch_offers``: one SQL query for the products asked for (a catalog page, an order's lines);
- ``assemble_offers``: the whole catalog from two kinds of tables the caller keeps between calls
  (``load_catalog``: product facts, shared by every dealer; ``load_price_map``: prices of one price
  type), so that resolving 25,000 goods for a dealer costs no query at all.

Every function takes a DB-API cursor and plain ids, so the ORM layer calls them with its own cursor
and the same code serves any later Odoo.

``check_quantity`` and ``validate_lines`` are the ordering rules, with messages that name the line
and the SKU.
"""
from collections import namedtuple
from decimal import Decimal

Offer = namedtuple("Offer", [
    "product_id", "sku", "price", "rrp", "availability", "lead_days", "min_qty", "multiple",
    "forbidden", "visible",
])

_COLUMNS = """
    pp.id, pp.default_code, p.price::float8, r.price::float8, pt.b2b_availability, pt.b2b_lead_days,
    pt.b2b_min_qty::float8, pt.b2b_qty_multiple::float8,
    (%(region)s IS NOT NULL AND EXISTS (
        SELECT 1 FROM b2b_product_forbidden_region_rel f
         WHERE f.product_tmpl_id = pt.id AND f.region_id = %(region)s)),
    (NOT pt.b2b_exclusive OR EXISTS (
        SELECT 1 FROM b2b_product_exclusive_dealer_rel x
         WHERE x.product_tmpl_id = pt.id AND x.dealer_id = ANY(%(dealers)s)))
"""

_FROM = """
      FROM product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
 LEFT JOIN b2b_price p ON p.product_id = pp.id AND p.price_type_id = %(price_type)s
 LEFT JOIN b2b_price r ON r.product_id = pp.id AND r.price_type_id = %(rrp_type)s
"""


def offers_query(product_ids=None):
    """The SQL of ``fetch_offers``: every active saleable product, or those of ``product_ids``."""
    where = "pp.active AND pt.active AND pt.sale_ok"
    if product_ids is not None:
        where += " AND pp.id = ANY(%(ids)s)"
    return "SELECT %s %s WHERE %s" % (_COLUMNS, _FROM, where)


def fetch_offers(cr, price_type_id, rrp_type_id=None, region_id=None, dealer_ids=(),
                 product_ids=None, include_hidden=False):
    """Return {product_id: Offer} for the products (all when ``product_ids`` is None).

    Products restricted to other dealers are left out unless ``include_hidden``."""
    params = {
        "price_type": price_type_id or None,
        "rrp_type": rrp_type_id or None,
        "region": region_id or None,
        "dealers": list(dealer_ids),
        "ids": list(product_ids) if product_ids is not None else None,
    }
    cr.execute(offers_query(product_ids), params)
    offers = {}
    for row in cr.fetchall():
        if row[9] or include_hidden:
            offers[row[0]] = Offer._make(row)
    return offers


# ---------------------------------------------------------------------------- whole catalog
CatalogEntry = namedtuple("CatalogEntry", [
    "sku", "availability", "lead_days", "min_qty", "multiple", "forbidden_regions", "exclusive_to",
])

_CATALOG_QUERY = """
    SELECT pp.id, pp.default_code, pt.b2b_availability, pt.b2b_lead_days,
           pt.b2b_min_qty::float8, pt.b2b_qty_multiple::float8,
           (SELECT array_agg(f.region_id) FROM b2b_product_forbidden_region_rel f
             WHERE f.product_tmpl_id = pt.id),
           CASE WHEN pt.b2b_exclusive THEN
               (SELECT array_agg(x.dealer_id) FROM b2b_product_exclusive_dealer_rel x
                 WHERE x.product_tmpl_id = pt.id) END
      FROM product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
     WHERE pp.active AND pt.active AND pt.sale_ok
"""


def load_catalog(cr):
    """{product_id: CatalogEntry} of every product dealers can buy (one query)."""
    cr.execute(_CATALOG_QUERY)
    make = CatalogEntry
    return {
        pid: make(sku, avail, lead, min_qty, multiple,
                  frozenset(forbidden) if forbidden else None,
                  frozenset(exclusive) if exclusive else None)
        for pid, sku, avail, lead, min_qty, multiple, forbidden, exclusive in cr.fetchall()
    }


def load_price_map(cr, price_type_id):
    """{product_id: price} of one price type (one query)."""
    cr.execute("SELECT product_id, price::float8 FROM b2b_price WHERE price_type_id = %s",
               (price_type_id,))
    return dict(cr.fetchall())


def assemble_offers(catalog, prices, rrp_prices, region_id=None, dealer_ids=(), product_ids=None,
                    include_hidden=False):
    """The same {product_id: Offer} as ``fetch_offers``, from ``load_catalog`` and
    ``load_price_map`` tables, without touching the database."""
    dealers = frozenset(dealer_ids)
    get_price, get_rrp = prices.get, rrp_prices.get
    make = Offer
    if product_ids is not None:
        items = [(pid, catalog[pid]) for pid in product_ids if pid in catalog]
    else:
        items = catalog.items()
    offers = {}
    for pid, (sku, avail, lead, min_qty, multiple, forbidden, exclusive) in items:
        visible = exclusive is None or not dealers.isdisjoint(exclusive)
        if visible or include_hidden:
            offers[pid] = make(pid, sku, get_price(pid), get_rrp(pid), avail, lead, min_qty,
                               multiple, forbidden is not None and region_id in forbidden, visible)
    return offers


def _dec(value):
    return Decimal(str(value))


# Reasons a line cannot be ordered: code -> English text (the ORM layer shows them translated).
REASONS = {
    "qty_not_positive": "the quantity must be positive",
    "below_min_qty": "the minimum order quantity is %(min_qty)s",
    "not_multiple": "order in multiples of %(multiple)s",
    "not_available": "the product is not available to you",
    "forbidden_region": "the product cannot be bought in your region",
    "no_price": "the product has no price under this contract",
}


def check_quantity(qty, min_qty, multiple):
    """None when ``qty`` can be ordered, else (reason code, parameters)."""
    if qty is None or qty <= 0:
        return "qty_not_positive", {}
    if min_qty and qty < min_qty:
        return "below_min_qty", {"min_qty": _fmt(min_qty)}
    if multiple and multiple > 0:
        ratio = _dec(qty) / _dec(multiple)
        if ratio != ratio.to_integral_value():
            return "not_multiple", {"multiple": _fmt(multiple)}
    return None


def _fmt(number):
    return ("%f" % number).rstrip("0").rstrip(".")


class LineProblem(namedtuple("LineProblem", ["line", "sku", "code", "params"])):
    """Why line ``line`` (1-based) of an order cannot be ordered."""

    @property
    def text(self):
        return REASONS[self.code] % self.params


def validate_lines(offers, lines):
    """Check order lines [(product_id, qty), ...] against ``offers``.

    Returns a list of LineProblem; empty when every line can be ordered."""
    problems = []
    for number, (product_id, qty) in enumerate(lines, start=1):
        offer = offers.get(product_id)
        sku = offer.sku if offer is not None and offer.visible else None
        if offer is None or not offer.visible:
            problems.append(LineProblem(number, sku, "not_available", {}))
        elif offer.forbidden:
            problems.append(LineProblem(number, sku, "forbidden_region", {}))
        elif offer.price is None:
            problems.append(LineProblem(number, sku, "no_price", {}))
        else:
            reason = check_quantity(qty, offer.min_qty, offer.multiple)
            if reason:
                problems.append(LineProblem(number, sku, reason[0], reason[1]))
    return problems
