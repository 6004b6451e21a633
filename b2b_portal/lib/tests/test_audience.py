from b2b_portal.lib.audience import (NOBODY, audience_domain, check_audience, dealers_in, is_empty,
                                     make_audience, make_dealer, matches)

ALFA = make_dealer(1, region_id=10, price_type_ids=[20], tag_ids=[30])
YUG = make_dealer(2, region_id=11, price_type_ids=[21, 22], tag_ids=[])
BETA = make_dealer(3, region_id=None, price_type_ids=[], tag_ids=[31])


def test_for_all_reaches_every_dealer_and_nobody_else():
    audience = make_audience(for_all=True)
    assert dealers_in(audience, [ALFA, YUG, BETA]) == [1, 2, 3]
    assert not matches(audience, None)
    assert not matches(audience, make_dealer(0))


def test_each_segment_on_its_own():
    assert dealers_in(make_audience(region_ids=[10]), [ALFA, YUG, BETA]) == [1]
    assert dealers_in(make_audience(price_type_ids=[22]), [ALFA, YUG, BETA]) == [2]
    assert dealers_in(make_audience(tag_ids=[31]), [ALFA, YUG, BETA]) == [3]
    assert dealers_in(make_audience(dealer_ids=[3]), [ALFA, YUG, BETA]) == [3]


def test_any_chosen_segment_is_enough():
    audience = make_audience(region_ids=[11], tag_ids=[30])
    assert dealers_in(audience, [ALFA, YUG, BETA]) == [1, 2]
    audience = make_audience(region_ids=[99], price_type_ids=[98], tag_ids=[97], dealer_ids=[1])
    assert dealers_in(audience, [ALFA, YUG, BETA]) == [1]


def test_a_dealer_without_region_or_tags_is_not_in_segments_of_nothing():
    # the region and tag segments are chosen, but BETA has no region: not in by it
    assert not matches(make_audience(region_ids=[10, 11]), BETA)
    assert not matches(make_audience(tag_ids=[30]), YUG)


def test_no_segment_chosen_reaches_nobody_and_is_refused():
    audience = make_audience()
    assert is_empty(audience)
    assert dealers_in(audience, [ALFA, YUG, BETA]) == []
    assert [p.render() for p in check_audience(audience)] == [
        "Published for nobody: choose «All Dealers» or at least one region, price type, tag or "
        "dealer."]
    assert check_audience(make_audience(dealer_ids=[1])) == []
    assert check_audience(make_audience(for_all=True)) == []


def test_domain_has_one_term_per_segment_the_dealer_is_in():
    assert audience_domain(ALFA) == [
        "|", "|", "|", "|",
        ("audience_all", "=", True), ("audience_dealer_ids", "in", [1]),
        ("audience_region_ids", "in", [10]), ("audience_price_type_ids", "in", [20]),
        ("audience_tag_ids", "in", [30])]
    # no region, no price types: no "in [False]" that would match the records without any
    assert audience_domain(BETA, prefix="file_id.") == [
        "|", "|",
        ("file_id.audience_all", "=", True), ("file_id.audience_dealer_ids", "in", [3]),
        ("file_id.audience_tag_ids", "in", [31])]
    assert audience_domain(None) == NOBODY
    assert audience_domain(make_dealer(False)) == NOBODY


def _evaluate(domain, record):
    """A tiny evaluator of the domains audience_domain makes, over a dict record."""
    stack = []
    for item in reversed(domain):
        if item == "|":
            first, second = stack.pop(), stack.pop()
            stack.append(first or second)
            continue
        field, operator, value = item
        got = record[field]
        if operator == "=":
            stack.append(got == value)
        else:
            stack.append(bool(set(got) & set(value)))
    return all(stack)


def test_the_domain_says_what_matches_says():
    dealers = [ALFA, YUG, BETA, make_dealer(4)]
    audiences = [make_audience(for_all=True), make_audience(), make_audience(region_ids=[10]),
                 make_audience(price_type_ids=[21]), make_audience(tag_ids=[31]),
                 make_audience(dealer_ids=[4]), make_audience(region_ids=[11], tag_ids=[30])]
    for audience in audiences:
        record = {"audience_all": audience.for_all, "audience_region_ids": audience.region_ids,
                  "audience_price_type_ids": audience.price_type_ids,
                  "audience_tag_ids": audience.tag_ids, "audience_dealer_ids": audience.dealer_ids}
        for dealer in dealers:
            assert _evaluate(audience_domain(dealer), record) == matches(audience, dealer), (
                audience, dealer)
