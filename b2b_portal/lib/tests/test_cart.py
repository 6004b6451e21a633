import datetime

from b2b_portal.lib.cart import (MAX_QTY, Entry, WritePlan, clean_name, line_amount, parse_desired_date,
                                 parse_entries, plan_restore, plan_set, totals)


def messages(problems):
    return [problem.render() for problem in problems]


def test_entries_are_cleaned_and_repeated_products_add_up():
    entries, problems = parse_entries([(7, 2), ("8", "1,5"), [7, 3], (9, 0), (10, " 1 000 ")])
    assert problems == []
    assert entries == [Entry(1, 7, 5.0), Entry(2, 8, 1.5), Entry(4, 9, 0.0), Entry(5, 10, 1000.0)]


def test_every_bad_entry_is_named_by_its_position():
    entries, problems = parse_entries([
        (7, 1), (7, -1), ("abc", 1), (8, "много"), [9], (True, 1), (10, float("nan")),
        (11, MAX_QTY + 1), (0, 1), (12, None), (3.5, 1), "7,1"])
    assert messages(problems) == [
        "Line 2: the quantity cannot be negative",
        "Line 3: abc is not a product reference",
        "Line 4: the quantity много is not a number",
        "Line 5: expected a product and a quantity",
        "Line 6: True is not a product reference",
        "Line 7: the quantity nan is not a number",
        "Line 8: the quantity %s is too large" % (MAX_QTY + 1),
        "Line 9: 0 is not a product reference",
        "Line 10: the quantity None is not a number",
        "Line 11: 3.5 is not a product reference",
        "Line 12: expected a product and a quantity",
    ]
    assert entries == [Entry(1, 7, 1.0)]


def test_not_a_list_is_refused():
    entries, problems = parse_entries({"7": 1})
    assert entries == [] and messages(problems) == ["Line 1: expected a product and a quantity"]


def test_messages_are_translated_template_first():
    _entries, problems = parse_entries([(7, -1)])
    russian = {"Line %(line)s: %(message)s": "Строка %(line)s: %(message)s",
               "the quantity cannot be negative": "количество не может быть отрицательным"}
    assert problems[0].render(lambda text: russian.get(text, text)) == \
        "Строка 1: количество не может быть отрицательным"


def test_set_changes_only_what_is_asked():
    current = {1: 2.0, 2: 3.0, 3: 1.0}
    plan = plan_set(current, [Entry(1, 1, 5.0), Entry(2, 2, 0.0), Entry(3, 4, 6.0), Entry(4, 3, 1.0)])
    assert plan == WritePlan(create={4: 6.0}, update={1: 5.0}, remove={2})
    assert plan_set(current, [(1, 2.0)]).empty, "the same quantities write nothing"
    assert plan_set(current, [(9, 0)]).empty, "removing a product not in the cart does nothing"


def test_set_with_replace_keeps_only_the_entries():
    plan = plan_set({1: 2.0, 2: 3.0}, [(2, 4.0), (5, 1.0)], replace=True)
    assert plan == WritePlan(create={5: 1.0}, update={2: 4.0}, remove={1})
    assert plan_set({1: 2.0}, [], replace=True) == WritePlan({}, {}, {1})


def test_restore_merges_quantities_or_replaces_the_cart():
    current, saved = {1: 2.0, 2: 1.0}, {2: 3.0, 3: 6.0}
    plan, problems = plan_restore(current, saved, "merge")
    assert problems == []
    assert plan == WritePlan(create={3: 6.0}, update={2: 4.0}, remove=set())
    plan, _problems = plan_restore(current, saved, "replace")
    assert plan == WritePlan(create={3: 6.0}, update={2: 3.0}, remove={1})
    plan, problems = plan_restore(current, saved, "append")
    assert plan.empty
    assert messages(problems) == [
        "Unknown way to restore a saved cart: append (expected merge or replace)."]


def test_amounts_are_rounded_per_line_to_kopecks():
    assert line_amount(3, 0.335) == 1.01          # 1.005 rounds half up, not to 1.00
    assert line_amount(2, None) is None
    result = totals([(3, 0.335, 0.5), (1, 10.0, None), (2, None, 7.25)])
    assert result.lines == 3
    assert result.qty == 6.0
    assert result.amount == 11.01
    assert result.rrp_amount == 16.0
    assert result.unpriced == 1
    assert totals([]) == (0, 0.0, 0.0, 0.0, 0)


def test_thousand_lines_add_up_without_float_drift():
    result = totals([(1, 0.1, 0.1)] * 1000)
    assert result.amount == 100.0 and result.rrp_amount == 100.0


def test_saved_cart_names():
    assert clean_name("  Еженедельный \t заказ ") == ("Еженедельный заказ", [])
    assert messages(clean_name("   ")[1]) == ["Give the saved cart a name."]
    assert messages(clean_name(None)[1]) == ["Give the saved cart a name."]
    assert messages(clean_name("x" * 65)[1]) == [
        "The name of a saved cart is at most 64 characters long."]


def test_desired_delivery_date():
    today = datetime.date(2026, 3, 10)
    assert parse_desired_date("2026-03-10", today) == (datetime.date(2026, 3, 10), [])
    assert parse_desired_date(datetime.date(2026, 4, 1), today) == (datetime.date(2026, 4, 1), [])
    assert parse_desired_date("", today) == (None, [])
    assert parse_desired_date(False, today) == (None, [])
    assert messages(parse_desired_date("2026-03-09", today)[1]) == [
        "The desired delivery date 2026-03-09 is in the past."]
    assert messages(parse_desired_date("10.03.2026", today)[1]) == [
        "The desired delivery date 10.03.2026 is not a date (expected YYYY-MM-DD)."]
