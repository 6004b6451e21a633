from urllib.parse import parse_qsl, unquote_plus

from b2b_bitrix_bridge.lib.query import flatten, http_build_query


def test_nested_params_encoded_like_php():
    query = http_build_query({"fields": {"TITLE": "Заказ №5 & скидка", "UF_CRM_TAGS": ["a", "b c"],
                                         "OPENED": True, "CLOSED": False, "COMMENTS": None}})
    # brackets are percent-encoded, spaces become '+', as PHP's http_build_query does
    assert query.startswith("fields%5BTITLE%5D=%D0%97%D0%B0%D0%BA%D0%B0%D0%B7+%E2%84%965+%26+")
    assert [(k, v) for k, v in parse_qsl(query)] == [
        ("fields[TITLE]", "Заказ №5 & скидка"),
        ("fields[UF_CRM_TAGS][0]", "a"),
        ("fields[UF_CRM_TAGS][1]", "b c"),
        ("fields[OPENED]", "1"),
        ("fields[CLOSED]", "0"),
    ]


def test_rows_of_dicts_get_indexed_keys():
    pairs = flatten({"id": 7, "rows": [{"PRODUCT_ID": 1, "PRICE": 10.5}, {"PRODUCT_ID": 2, "PRICE": 3}]})
    assert pairs == [("id", "7"), ("rows[0][PRODUCT_ID]", "1"), ("rows[0][PRICE]", "10.5"),
                     ("rows[1][PRODUCT_ID]", "2"), ("rows[1][PRICE]", "3")]


def test_empty_list_disappears_as_in_php():
    assert http_build_query({"id": 1, "rows": []}) == "id=1"
    assert unquote_plus(http_build_query({"a": {"b": {"c": "d"}}})) == "a[b][c]=d"
