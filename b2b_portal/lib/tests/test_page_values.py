"""What the portal's pages show, worked out without the ORM: the catalog's sidebar, the finance
page's aging totals, the order edit form's rows."""
from b2b_portal.lib.catalog import Filters, sidebar_categories
from b2b_portal.lib.finance import aging_overview, group_by
from b2b_portal.lib.orders import edit_rows, read_edit_form


def test_sidebar_keeps_the_order_counts_and_other_filters():
    filters = Filters("mix", 7, "stock", False)
    entries = sidebar_categories([(3, "Насосы"), (7, "Миксеры")], {3: 12}, filters)
    assert [entry["name"] for entry in entries] == ["Насосы", "Миксеры"]
    assert entries[0] == {"id": 3, "name": "Насосы", "count": 12, "active": False,
                          "url": "/b2b/catalog?avail=stock&category=3&q=mix"}
    # the chosen category is listed even with no goods matching
    assert entries[1]["count"] == 0 and entries[1]["active"]


def aging(balance, not_due, buckets, oldest, blocked=False):
    return {"balance": balance, "not_due": not_due, "overdue": sum(buckets),
            "oldest_days": oldest, "blocked": blocked,
            "buckets": [{"label": label, "amount": amount}
                        for label, amount in zip(("1-30", "31-60"), buckets)]}


def test_aging_totals_only_for_several_contracts_in_one_currency():
    first, second = aging(100.0, 40.0, [50.0, 10.0], 35), aging(20.0, 0.0, [20.0, 0.0], 5, True)
    labels, totals, blocked = aging_overview([first, second], ["RUB", "RUB"])
    assert labels == ["1-30", "31-60"]
    assert totals == {"balance": 120.0, "not_due": 40.0, "overdue": 80.0,
                      "buckets": [70.0, 10.0], "oldest_days": 35}
    assert blocked
    assert aging_overview([first, second], ["RUB", "USD"])[1] is None
    assert aging_overview([first], ["RUB"]) == (["1-30", "31-60"], None, False)
    assert aging_overview([], []) == ([], None, False)


def test_group_by_keeps_the_order_of_the_items():
    assert group_by([("a", 1), ("b", 2), ("a", 3)], lambda item: item[0]) == {
        "a": [("a", 1), ("a", 3)], "b": [("b", 2)]}


LINES = [{"product_id": 5, "sku": "MIX-1", "name": "Миксер", "qty": 2.0, "unit": "шт",
          "price": 10.0}]


def test_edit_form_rows_and_what_a_sent_form_asks_for():
    rows, blank = edit_rows(LINES, 2)
    assert rows[0]["qty"] == 2.0 and not rows[0]["remove"]
    assert blank == [{"sku": "", "qty": ""}] * 2
    entries, rows, new_rows = read_edit_form(LINES, ["5", "x"], ["3,5"], {"x"},
                                             ["acc-2", " ", ""], ["1", "", ""])
    # a ticked line is sent as 0, the typed texts are kept as typed, blank new rows are no entry
    assert entries == [(5, "3,5"), ("x", 0), ("acc-2", "1")]
    assert rows[0]["sku"] == "MIX-1" and rows[0]["qty"] == "3,5"
    assert rows[1] == {"product_id": "x", "sku": "", "name": "", "qty": "", "unit": "",
                       "price": None, "remove": True}
    assert new_rows == [{"sku": "acc-2", "qty": "1"}, {"sku": " ", "qty": ""},
                        {"sku": "", "qty": ""}]
