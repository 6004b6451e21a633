from b2b_portal.lib.catalog import (
    QTY_NOT_NUMBER, QTY_NOT_POSITIVE, QTY_TOO_LARGE, Filters, add_qty, catalog_domain, catalog_url,
    clean_term, default_qty, filter_args, like_escape,
    match_params, name_pattern, page_of, parse_filters, parse_product_id, parse_qty, scope_sql,
    select_listing, suggest_limit, suggestions)


def test_filters_are_read_safely_from_query_parameters():
    filters = parse_filters({"q": "  mix   00 ", "category": "12", "avail": "order", "fav": "1"})
    assert filters == Filters("mix 00", 12, "order", True)
    # anything that is not a valid value is ignored, never an error
    assert parse_filters({"category": "abc", "avail": "soon", "fav": "no"}) == Filters("", None, None, False)
    assert parse_filters({"category": "-3"}).category_id is None
    assert parse_filters({"category": "99999999999"}).category_id is None
    assert parse_filters({}) == Filters("", None, None, False)
    assert len(parse_filters({"q": "x" * 500}).q) == 100


def test_links_keep_the_filters_and_drop_empty_ones():
    filters = Filters("MIX-0", 7, "stock", True)
    assert filter_args(filters) == {"q": "MIX-0", "category": 7, "avail": "stock", "fav": 1}
    assert filter_args(filters, category=None, fav=None) == {"q": "MIX-0", "avail": "stock"}
    assert catalog_url(Filters("", None, None, False)) == "/b2b/catalog"
    assert catalog_url(filters, category=3) == "/b2b/catalog?avail=stock&category=3&fav=1&q=MIX-0"
    assert catalog_url(Filters("смеситель хром", None, None, False)) == \
        "/b2b/catalog?q=%D1%81%D0%BC%D0%B5%D1%81%D0%B8%D1%82%D0%B5%D0%BB%D1%8C+%D1%85%D1%80%D0%BE%D0%BC"


def test_search_text_matches_literally():
    assert like_escape("50%_a\\b") == "50\\%\\_a\\\\b"
    assert name_pattern("100%_x") == "%100\\%\\_x%"
    assert clean_term(None) == "" and clean_term(12) == ""


def test_catalog_domain_combines_the_filters_and_leaves_the_search_to_sql():
    assert catalog_domain(Filters("", None, None, False)) == [("sale_ok", "=", True)]
    domain = catalog_domain(Filters("MIX", 5, "order", True), favourite_ids=[3, 4])
    assert domain == [
        ("sale_ok", "=", True),
        ("categ_id", "child_of", 5),
        ("b2b_availability", "=", "on_order"),
        ("id", "in", [3, 4]),
    ]
    # the category list counts products of every category: the category itself is left out
    assert ("categ_id", "child_of", 5) not in catalog_domain(Filters("", 5, None, False),
                                                              with_category=False)
    # favourites only, and none starred: nothing matches
    assert ("id", "in", []) in catalog_domain(Filters("", None, None, True))
    # the SQL search takes the text literally: a SKU prefix, a name anywhere
    assert match_params("50%_x", "ru_RU") == {
        "prefix": "50\\%\\_x%", "pattern": "%50\\%\\_x%", "lang": "ru_RU"}


# a contract's listing: products 11..16 in catalog order and their categories
LISTED = [11, 12, 13, 14, 15, 16]
LISTED_CATEGORIES = [1, 2, 1, 3, 2, 1]


def test_listing_without_search_or_category_is_the_whole_list():
    counts, ids = select_listing(LISTED, LISTED_CATEGORIES)
    assert counts == {1: 3, 2: 2, 3: 1}
    assert list(ids) == LISTED


def test_search_keeps_the_catalog_order_and_counts_only_what_it_found():
    counts, ids = select_listing(LISTED, LISTED_CATEGORIES, matched={16, 12, 14, 99})
    # 99 is not in the contract's listing (another dealer's, forbidden...): never shown
    assert list(ids) == [12, 14, 16]
    assert counts == {2: 1, 3: 1, 1: 1}
    assert select_listing(LISTED, LISTED_CATEGORIES, matched=set()) == ({}, [])


def test_category_choice_filters_the_list_but_not_the_sidebar_counts():
    counts, ids = select_listing(LISTED, LISTED_CATEGORIES, categories={1, 3})
    assert list(ids) == [11, 13, 14, 16]
    assert counts == {1: 3, 2: 2, 3: 1}
    counts, ids = select_listing(LISTED, LISTED_CATEGORIES, matched={11, 12, 15}, categories={2})
    assert list(ids) == [12, 15]
    assert counts == {1: 1, 2: 2}


def test_scope_condition_follows_the_contract():
    sql, params = scope_sql('"product_product"', 4, 9, (1, 2))
    assert '"product_product".product_tmpl_id' in sql and "b2b_product_forbidden_region_rel" in sql
    assert params == [4, [1, 2], 9]
    assert sql.count("%s") == 3
    sql, params = scope_sql("pp", 4, None, [1])
    assert "forbidden" not in sql and params == [4, [1]] and sql.count("%s") == 2
    # the goods of 1C are listed whether or not priced under the contract's type (a price on
    # request), the goods made in Odoo only when priced under it
    assert " ".join(sql.split()).startswith(
        "((pp.product_tmpl_id IN ( SELECT b2b_t.id FROM product_template b2b_t WHERE "
        "b2b_t.b2b_onec_id IS NOT NULL) OR pp.id IN (SELECT b2b_p.product_id FROM b2b_price b2b_p "
        "WHERE b2b_p.price_type_id = %s))")


def test_pages_stay_within_range():
    assert page_of(1, 0) == (1, 0, 1)
    assert page_of(2, 61) == (2, 60, 2)
    assert page_of(9, 61) == (2, 60, 2)
    assert page_of("x", 500) == (1, 0, 9)
    assert page_of(3, 180, size=60) == (3, 120, 3)


def test_quantities_typed_by_a_dealer():
    assert parse_qty("2,5") == (2.5, None)
    assert parse_qty(" 1 000 ") == (1000.0, None)
    assert parse_qty(6) == (6.0, None)
    assert parse_qty(0.1 + 0.2) == (0.3, None)
    for bad, template in (("abc", QTY_NOT_NUMBER), (None, QTY_NOT_NUMBER), (True, QTY_NOT_NUMBER),
                          ("nan", QTY_NOT_NUMBER), ("0", QTY_NOT_POSITIVE), (-1, QTY_NOT_POSITIVE),
                          ("1e12", QTY_TOO_LARGE)):
        qty, problem = parse_qty(bad)
        assert qty is None and problem.template == template, bad
    assert parse_qty("много")[1].render() == 'The quantity "много" is not a number.'
    assert add_qty(0.1, 0.2) == 0.3 and add_qty(None, 2) == 2.0 and add_qty(6, 6) == 12.0


def test_default_quantity_is_the_smallest_that_can_be_ordered():
    assert default_qty(1, 1) == 1.0
    assert default_qty(2, 1) == 2.0
    assert default_qty(1, 6) == 6.0
    assert default_qty(8, 6) == 12.0
    assert default_qty(12, 6) == 12.0
    assert default_qty(0.5, None) == 0.5
    assert default_qty(None, None) == 1.0
    assert default_qty(1, 0.25) == 1.0


def test_suggestions_put_sku_matches_first():
    # SKU matches first, then names, each in catalog order, once, only listed goods
    listed = [3, 5, 7, 9, 11]
    assert suggestions(listed, {5, 3, 99}, {7, 3, 9}, 10) == [3, 5, 7, 9]
    assert suggestions(listed, {9}, {3, 5, 7}, 3) == [9, 3, 5]
    assert suggestions(listed, set(), set(), 10) == []
    assert suggest_limit(None) == 10 and suggest_limit("5") == 5 and suggest_limit(1000) == 50
    assert suggest_limit(-2) == 10
    assert parse_product_id("12") == 12 and parse_product_id(12.0) == 12
    assert parse_product_id("x") is None and parse_product_id(0) is None
    assert parse_product_id(True) is None and parse_product_id(1.5) is None


