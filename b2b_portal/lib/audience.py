"""Who a piece of the supplier's content (a file of the library, a news item) is meant for.

The supplier publishes it either to every dealer or to segments: regions, price types (of the
dealer's active contracts), dealer tags and named dealers. A dealer is in the audience when the
content is for all, or when the dealer is in ANY of the chosen segments. Content for segments with
no segment chosen reaches nobody.

One rule, three uses: ``matches`` (which dealers are in the audience: whom to notify),
``audience_domain`` (the record rules: what a dealer's user may read, as an Odoo domain) and
``is_empty`` (published to nobody: refused). No Odoo import here."""
from collections import namedtuple

from odoo.addons.b2b_base.lib.messages import Problem, _

# what the audience of a record is: ``for_all`` and the ids chosen per segment
Audience = namedtuple("Audience", "for_all region_ids price_type_ids tag_ids dealer_ids")
# what a dealer is, for an audience: its id, its region (id or None), the price types of its
# active contracts and its tags (ids)
Dealer = namedtuple("Dealer", "id region_id price_type_ids tag_ids")

# the fields of the audience mixin, per segment
FIELDS = {
    "for_all": "audience_all",
    "region_ids": "audience_region_ids",
    "price_type_ids": "audience_price_type_ids",
    "tag_ids": "audience_tag_ids",
    "dealer_ids": "audience_dealer_ids",
}

NOBODY = [(0, "=", 1)]


def make_audience(for_all=False, region_ids=(), price_type_ids=(), tag_ids=(), dealer_ids=()):
    return Audience(bool(for_all), frozenset(region_ids), frozenset(price_type_ids),
                    frozenset(tag_ids), frozenset(dealer_ids))


def make_dealer(dealer_id, region_id=None, price_type_ids=(), tag_ids=()):
    return Dealer(dealer_id, region_id or None, frozenset(price_type_ids), frozenset(tag_ids))


def matches(audience, dealer):
    """Whether ``dealer`` (a Dealer, or None for someone who is no dealer) is in ``audience``."""
    if dealer is None or not dealer.id:
        return False
    if audience.for_all:
        return True
    return bool(
        dealer.id in audience.dealer_ids
        or (dealer.region_id and dealer.region_id in audience.region_ids)
        or set(dealer.price_type_ids) & set(audience.price_type_ids)
        or set(dealer.tag_ids) & set(audience.tag_ids))


def is_empty(audience):
    """Content for segments with none chosen: it reaches no dealer."""
    return not (audience.for_all or audience.region_ids or audience.price_type_ids
                or audience.tag_ids or audience.dealer_ids)


def _or(terms):
    return ["|"] * (len(terms) - 1) + terms


def audience_domain(dealer, prefix=""):
    """The Odoo domain of the records whose audience holds ``dealer`` (Dealer or None): the same
    rule as ``matches``, for the database. ``prefix`` is the path to the record carrying the
    audience ("file_id." for a file's versions). A segment the dealer is not in (no region, no
    tags) adds no term: ``in [False]`` would match the records with nothing chosen there."""
    if dealer is None or not dealer.id:
        return list(NOBODY)
    terms = [(prefix + FIELDS["for_all"], "=", True),
             (prefix + FIELDS["dealer_ids"], "in", [dealer.id])]
    if dealer.region_id:
        terms.append((prefix + FIELDS["region_ids"], "in", [dealer.region_id]))
    if dealer.price_type_ids:
        terms.append((prefix + FIELDS["price_type_ids"], "in", sorted(dealer.price_type_ids)))
    if dealer.tag_ids:
        terms.append((prefix + FIELDS["tag_ids"], "in", sorted(dealer.tag_ids)))
    return _or(terms)


def dealers_in(audience, dealers):
    """The ids of ``dealers`` (Dealer values) in ``audience``, in their order."""
    return [dealer.id for dealer in dealers if matches(audience, dealer)]


NOBODY_TEXT = _("Published for nobody: choose «All Dealers» or at least one region, price type, "
                "tag or dealer.")


def check_audience(audience):
    """Problems of publishing to ``audience``: content published for nobody is refused."""
    return [Problem(NOBODY_TEXT)] if is_empty(audience) else []
