"""Catalog rules of the dealer portal, without the ORM.

- ``parse_filters`` / ``catalog_url``: the catalog's query parameters (search text, category,
  availability, favourites) read safely from a request, and written back into links;
- ``catalog_domain``: the ORM domain of the catalog's filters; ``MATCH_SQL`` (``SKU_MATCH_SQL``,
  ``NAME_MATCH_SQL``), ``match_params``: the SQL of a search (SKU prefix or name), with the user's
  text escaped so that ``%`` and ``_`` match themselves;
- ``select_listing``: a page's products, the search and the category counts out of a contract's
  whole listing;
- ``scope_sql``: the SQL condition that keeps only the goods a contract is offered, the same rule
  as b2b_base's pricing (not forbidden in its region, not made exclusively for other dealers;
  the goods 1C sent, and those made in Odoo priced under its price type), so that a page lists
  nothing the cart would refuse but the goods whose price is on request (1C's goods without a
  price of the contract's price type: listed, shown as such, refused by the cart);
- ``parse_qty``, ``default_qty``, ``add_qty``: the quantity a dealer types next to a product;
- ``suggestions``, ``clean_term``, ``suggest_limit``: the quick-add suggestions;
"""
import math
from collections import Counter, namedtuple
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urlencode

from odoo.addons.b2b_base.lib.messages import Problem, _

from .cart import MAX_QTY, read_qty


PAGE_SIZE = 60
TERM_MAX = 100
SUGGEST_DEFAULT = 10
SUGGEST_MAX = 50
# catalog parameter value -> b2b_availability of the product
AVAILABILITY = {"stock": "in_stock", "order": "on_order"}

NO_PRODUCT = _("Choose a product.")
QTY_NOT_NUMBER = _('The quantity "%(qty)s" is not a number.')
QTY_NOT_POSITIVE = _("The quantity must be greater than zero.")
QTY_TOO_LARGE = _("The quantity %(qty)s is too large.")

Filters = namedtuple("Filters", ["q", "category_id", "avail", "fav"])
NO_FILTERS = Filters("", None, None, False)


def clean_term(value, limit=TERM_MAX):
    """Search text with blanks trimmed and collapsed, at most ``limit`` characters ('' if none)."""
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:limit]


def _positive_int(value):
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2 ** 31 else None


def parse_product_id(value):
    """A product id sent by a page, or None when it is not one."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _positive_int(value)


def parse_filters(params):
    """Filters from query parameters (a dict of strings); anything unreadable is ignored."""
    avail = params.get("avail")
    return Filters(
        q=clean_term(params.get("q")),
        category_id=_positive_int(params.get("category")),
        avail=avail if avail in AVAILABILITY else None,
        fav=str(params.get("fav", "")).strip().lower() in ("1", "true", "on", "yes"),
    )


def filter_args(filters, **changes):
    """The query parameters of ``filters`` (with ``changes``), empty ones left out."""
    values = {"q": filters.q, "category": filters.category_id, "avail": filters.avail,
              "fav": 1 if filters.fav else None}
    values.update(changes)
    return {key: value for key, value in values.items() if value not in (None, "", False, 0)}


def catalog_url(filters, base="/b2b/catalog", **changes):
    """A link to the catalog's first page with ``filters`` (and ``changes``)."""
    args = filter_args(filters, **changes)
    return base + ("?" + urlencode(sorted(args.items())) if args else "")


def like_escape(text):
    """``text`` for a LIKE pattern: backslash, ``%`` and ``_`` match themselves."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# The catalog search, in SQL: products (product_product ids) whose SKU starts with a text, or whose
# name, as stored or as translated into the user's language, contains it; before the user's rights
# and the contract's scope (the caller keeps only the products of the contract's listing). Each
# part can use a trigram index (b2b_portal creates them, models/product_product.py): a search
# reads the matching rows, not the whole catalog. Parameters: ``match_params``.
SKU_MATCH_SQL = """
    SELECT p.id FROM product_product p WHERE p.default_code ILIKE %(prefix)s"""
NAME_MATCH_SQL = """
    SELECT p.id FROM product_product p
     WHERE p.product_tmpl_id IN (
           SELECT t.id FROM product_template t WHERE t.name ILIKE %(pattern)s
            UNION
           SELECT tr.res_id FROM ir_translation tr
            WHERE tr.name = 'product.template,name' AND tr.type = 'model' AND tr.lang = %(lang)s
              AND tr.value ILIKE %(pattern)s)"""
MATCH_SQL = SKU_MATCH_SQL + "\n     UNION" + NAME_MATCH_SQL


def name_pattern(term):
    """The ILIKE pattern of a name search for ``term`` (its % and _ taken literally)."""
    return "%" + like_escape(term) + "%"


def match_params(term, lang):
    """The parameters of the search SQL for the search text ``term`` in language ``lang``."""
    return {"prefix": like_escape(term) + "%", "pattern": name_pattern(term), "lang": lang}


def catalog_domain(filters, favourite_ids=None, with_category=True):
    """The ORM domain (on product.product) of the catalog's filters but the search text, which
    is the search SQL's (``MATCH_SQL``).

    ``favourite_ids``: the user's favourite products, used when ``filters.fav``; the category
    includes its subcategories. The contract's own restrictions are ``scope_sql``'s business."""
    domain = [("sale_ok", "=", True)]
    if with_category and filters.category_id:
        domain.append(("categ_id", "child_of", filters.category_id))
    if filters.avail:
        domain.append(("b2b_availability", "=", AVAILABILITY[filters.avail]))
    if filters.fav:
        domain.append(("id", "in", list(favourite_ids or [])))
    return domain


def select_listing(ids, category_ids, matched=None, categories=None):
    """The catalog's list worked out from a contract's listing: ``ids`` (products in catalog
    order) and ``category_ids`` (the category of each, same positions).

    ``matched``: the set of products a search found (None: no search); ``categories``: the set of
    categories the chosen one covers, itself and its subcategories (None: all). Returns
    ``(counts, selected)``: {category id: matching products}, counted before the category
    choice (the sidebar shows every category's share of the search), and the ids that pass
    both, in catalog order (a sequence to slice the page from)."""
    if matched is not None:
        pairs = [(pid, cid) for pid, cid in zip(ids, category_ids) if pid in matched]
        ids = [pid for pid, _cid in pairs]
        category_ids = [cid for _pid, cid in pairs]
    counts = dict(Counter(category_ids))
    if categories is not None:
        ids = [pid for pid, cid in zip(ids, category_ids) if cid in categories]
    return counts, ids


def sidebar_categories(names, counts, filters):
    """The catalog sidebar's entries: ``names`` [(category id, name)] in the sidebar's order,
    each with its count of matching goods (``counts``, of ``select_listing``), whether it is
    the chosen one and its link (the other filters kept)."""
    return [{
        "id": category_id,
        "name": name,
        "count": counts.get(category_id, 0),
        "active": category_id == filters.category_id,
        "url": catalog_url(filters, category=category_id),
    } for category_id, name in names]


# Goods a contract's dealer is offered (see b2b_base/lib/pricing.py): the goods 1C sent, and those
# made in Odoo that are priced under the contract's price type; not made exclusively for other
# dealers, not forbidden in the contract's region (the search itself keeps active, saleable
# variants; Odoo archives the variants of an archived template). A good of 1C without a price of
# the contract's price type is listed: its price is on request (pricing.on_request: 1C left it
# empty), shown as such and refused by the cart. ``{alias}`` is the product_product table of the
# query. Written as uncorrelated subqueries that PostgreSQL
# hashes once per query: a correlated EXISTS per product costs a loop over the whole catalog (and,
# past its cost threshold, a JIT compilation) on every page.
_SCOPE = """({alias}.product_tmpl_id IN (
       SELECT b2b_t.id FROM product_template b2b_t WHERE b2b_t.b2b_onec_id IS NOT NULL)
    OR {alias}.id IN (SELECT b2b_p.product_id FROM b2b_price b2b_p WHERE b2b_p.price_type_id = %s))
   AND {alias}.product_tmpl_id NOT IN (
       SELECT b2b_x.product_tmpl_id FROM b2b_product_exclusive_dealer_rel b2b_x
        GROUP BY b2b_x.product_tmpl_id HAVING NOT bool_or(b2b_x.dealer_id = ANY(%s))){region}"""
_REGION = """
   AND {alias}.product_tmpl_id NOT IN (
       SELECT b2b_f.product_tmpl_id FROM b2b_product_forbidden_region_rel b2b_f
        WHERE b2b_f.region_id = %s)"""


def scope_sql(alias, price_type_id, region_id, dealer_ids):
    """(SQL condition, parameters) keeping the rows of ``alias`` (product_product) that a contract
    with this price type, region and dealers is offered, priced under its price type or (the goods
    of 1C) with their price on request."""
    params = [price_type_id, list(dealer_ids)]
    region = ""
    if region_id:
        region = _REGION.format(alias=alias)
        params.append(region_id)
    return "(%s)" % _SCOPE.format(alias=alias, region=region), params


def page_of(page, total, size=PAGE_SIZE):
    """(page, offset, page count) for the 1-based ``page`` asked for, kept within the pages."""
    count = max(1, int(math.ceil(total / float(size)))) if total else 1
    number = _positive_int(page) or 1
    number = min(number, count)
    return number, (number - 1) * size, count


# ---------------------------------------------------------------------------- quantities
def _dec(value):
    return Decimal(repr(float(value)))


def parse_qty(value):
    """The quantity a dealer typed: (qty, None) or (None, Problem). Decimal commas and spaced
    thousands are accepted."""
    try:
        qty = read_qty(value)
    except (TypeError, ValueError, OverflowError):
        return None, Problem(QTY_NOT_NUMBER, {"qty": value})
    if qty <= 0:
        return None, Problem(QTY_NOT_POSITIVE)
    if qty > MAX_QTY:
        return None, Problem(QTY_TOO_LARGE, {"qty": value})
    return float(_dec(qty).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)), None


def add_qty(current, qty):
    """``current`` + ``qty`` without binary rounding noise (3 decimals, as a cart line keeps)."""
    return float((_dec(current or 0) + _dec(qty)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def default_qty(min_qty, multiple):
    """The smallest quantity that can be ordered: a multiple of ``multiple`` not below
    ``min_qty`` (1 when the product has no rule)."""
    minimum = _dec(min_qty) if min_qty and min_qty > 0 else Decimal(0)
    step = _dec(multiple) if multiple and multiple > 0 else None
    if step is None:
        return float(minimum) if minimum > 0 else 1.0
    steps = max(Decimal(1), (minimum / step).to_integral_value(rounding="ROUND_CEILING"))
    return float(steps * step)


# ---------------------------------------------------------------------------- suggestions
def suggest_limit(value):
    """How many suggestions to answer: the asked number within 1..SUGGEST_MAX."""
    number = _positive_int(value)
    return min(number, SUGGEST_MAX) if number else SUGGEST_DEFAULT


def suggestions(listed, sku_ids, name_ids, limit):
    """The quick add's suggestions out of a contract's listing (``listed``: product ids in
    catalog order): the products whose SKU starts with the text first (``sku_ids``), then those
    whose name contains it (``name_ids``), each in catalog order, at most ``limit``; products
    outside the listing never."""
    result, seen = [], set()
    for wanted in (sku_ids, name_ids):
        for pid in listed:
            if len(result) >= limit:
                return result
            if pid in wanted and pid not in seen:
                seen.add(pid)
                result.append(pid)
    return result
