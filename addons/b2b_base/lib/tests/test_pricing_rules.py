"""Ordering rules of the pricing service (plain Python, no database)."""
import pytest

from b2b_base.lib import democatalog
from b2b_base.lib.pricing import (REASONS, Offer, check_quantity, offered, offers_query,
                                  on_request, refusal, validate_lines)


def offer(pid, sku, price=100.0, min_qty=1, multiple=1, forbidden=False, visible=True):
    return Offer(pid, sku, price, 150.0, "in_stock", 0, min_qty, multiple, forbidden, visible)


@pytest.mark.parametrize("qty,min_qty,multiple,expected", [
    (1, 1, 1, None),
    (12, 2, 6, None),
    (0.5, 0.5, 0.25, None),
    (0, 1, 1, "qty_not_positive"),
    (-3, 1, 1, "qty_not_positive"),
    (1, 2, 1, "below_min_qty"),
    (4, 1, 6, "not_multiple"),
    (0.3, 0.1, 0.1, None),       # 0.3 / 0.1 is not exact in binary floating point
    (0.35, 0.1, 0.1, "not_multiple"),
])
def test_check_quantity(qty, min_qty, multiple, expected):
    result = check_quantity(qty, min_qty, multiple)
    assert (result[0] if result else None) == expected


def test_check_quantity_names_the_rule():
    assert check_quantity(1, 2, 1) == ("below_min_qty", {"min_qty": "2"})
    assert check_quantity(4, 1, 6) == ("not_multiple", {"multiple": "6"})
    assert check_quantity(1, 1, 0.25) is None


def test_validate_lines_locates_each_problem():
    offers = {
        1: offer(1, "MIX-1"),
        2: offer(2, "TWR-1", min_qty=2),
        3: offer(3, "SHW-1", forbidden=True),
        4: offer(4, "ALF-1", visible=False),
        5: offer(5, "NEW-1", price=None),
    }
    problems = validate_lines(offers, [(1, 3), (2, 1), (3, 1), (4, 1), (5, 1), (99, 1)])
    assert [(p.line, p.sku, p.code) for p in problems] == [
        (2, "TWR-1", "below_min_qty"),
        (3, "SHW-1", "forbidden_region"),
        (4, None, "not_available"),   # a product hidden from the dealer is not named
        (5, "NEW-1", "no_price"),
        (6, None, "not_available"),
    ]
    assert problems[0].text == "the minimum order quantity is 2"


def test_a_price_on_request_is_no_price_never_zero():
    assert on_request(None)
    assert not on_request(0.0)      # a price of 0 is a price (a free sample), not one on request
    assert not on_request(12.5)
    # the purchase price decides whether the product can be ordered; the RRP does not
    assert refusal(offer(1, "A", price=None)) == "no_price"
    assert refusal(offer(1, "A")._replace(rrp=None)) is None
    assert refusal(offer(1, "A", price=0.0)) is None
    # a price on request is still offered (listed, shown): only the cart refuses it
    assert offered(offer(1, "A", price=None))
    assert not offered(None)
    assert not offered(offer(1, "A", visible=False)) and not offered(offer(1, "A", forbidden=True))
    # what the dealer may not see or buy in its region is refused for that, price or not
    assert refusal(None) == "not_available"
    assert refusal(offer(1, "A", price=None, visible=False)) == "not_available"
    assert refusal(offer(1, "A", price=None, forbidden=True)) == "forbidden_region"
    problem = validate_lines({1: offer(1, "MIX-1", price=None)}, [(1, 5)])[0]
    assert (problem.line, problem.sku, problem.code) == (1, "MIX-1", "no_price")
    assert problem.text == REASONS["no_price"]
    assert problem.text.startswith("the price is on request")


def test_validate_lines_accepts_a_good_order():
    assert validate_lines({1: offer(1, "A", multiple=6)}, [(1, 12)]) == []


def test_offers_query_filters_only_when_ids_given():
    assert "ANY(%(ids)s)" in offers_query([1, 2])
    assert "ANY(%(ids)s)" not in offers_query(None)


def test_demo_catalog_is_deterministic_and_varied():
    first = list(democatalog.catalog(300))
    assert first == list(democatalog.catalog(300))
    assert len({item["sku"] for item in first}) == 300
    assert len({item["category"] for item in first}) == 10
    assert any(item["on_order"] for item in first)
    assert any(item["forbidden_region"] for item in first)
    assert sum(item["exclusive"] for item in first) == 30
    prices = democatalog.prices(first[0])
    assert prices["rrp"] > prices["wholesale"] > prices["large_wholesale"]


def test_assemble_offers_from_tables():
    from b2b_base.lib.pricing import CatalogTable, assemble_offers
    catalog = CatalogTable(
        ids=(1, 2, 3), skus=("A", "B", "C"), availability=("in_stock", "on_order", "in_stock"),
        lead_days=(0, 21, 0), min_qty=(1.0, 1.0, 2.0), multiple=(1.0, 6.0, 1.0),
        categories=(11, 12, 11), vat_rates=(20.0, 10.0, 20.0),
        forbidden={2: frozenset([7])}, exclusive={3: frozenset([50])})
    prices, rrp = {1: 10.0, 2: 20.0, 3: 30.0}, {1: 15.0}
    offers = assemble_offers(catalog, prices, rrp, region_id=7, dealer_ids=[60])
    assert sorted(offers) == [1, 2], "C is made for dealer 50 only"
    assert offers[1] == Offer(1, "A", 10.0, 15.0, "in_stock", 0, 1.0, 1.0, False, True,
                              10.0, 0.0, 20.0, True)
    assert offers[2].forbidden and offers[2].rrp is None and offers[2].multiple == 6.0
    assert offers[2].vat_rate == 10.0
    everything = assemble_offers(catalog, prices, rrp, region_id=8, dealer_ids=[60], include_hidden=True)
    assert not everything[2].forbidden and everything[3].visible is False
    assert assemble_offers(catalog, prices, rrp, dealer_ids=[50], product_ids=[3, 9]) == {
        3: Offer(3, "C", 30.0, None, "in_stock", 0, 2.0, 1.0, False, True, 30.0, 0.0, 20.0, True)}


def test_assemble_offers_applies_the_dealers_discount_per_category():
    from b2b_base.lib.pricing import CatalogTable, assemble_offers
    catalog = CatalogTable(
        ids=(1, 2, 3), skus=("A", "B", "C"), availability=("in_stock",) * 3, lead_days=(0,) * 3,
        min_qty=(1.0,) * 3, multiple=(1.0,) * 3, categories=(11, 12, 13),
        vat_rates=(20.0,) * 3, forbidden={}, exclusive={})
    offers = assemble_offers(catalog, {1: 10.1, 2: 999.99}, {}, discounts={11: 5.0, 12: 7.5},
                             vat_included=False)
    assert (offers[1].price, offers[1].base_price, offers[1].discount) == (9.6, 10.1, 5.0)
    assert (offers[2].price, offers[2].discount) == (924.99, 7.5)
    assert offers[3].price is None and offers[3].discount == 0.0, "a price on request stays so"
    assert not offers[1].vat_included
