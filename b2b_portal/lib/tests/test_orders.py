from b2b_portal.lib.cart import WritePlan
from b2b_portal.lib.orders import (DEFAULT_EDITABLE_STATES, NO_LINES, NOTHING_CHANGED, Entry,
                                   edit_refusal, format_editable_states, merge_entries,
                                   merge_into_cart, parse_edit_entries, parse_editable_states,
                                   plan_update, resolve, skus_of, status_choices)


def messages(problems):
    return [problem.render() for problem in problems]


def test_status_rule_defaults_to_draft_and_sent():
    assert DEFAULT_EDITABLE_STATES == {"draft", "sent"}
    assert parse_editable_states(None) == {"draft", "sent"}
    assert parse_editable_states("  ") == {"draft", "sent"}
    assert parse_editable_states(False) == {"draft", "sent"}, "what get_param answers when unset"


def test_status_rule_is_read_from_the_parameter():
    assert parse_editable_states("draft") == {"draft"}
    assert parse_editable_states(" Draft , SALE,sent ") == {"draft", "sent", "sale"}
    assert parse_editable_states("none") == frozenset()
    # a typo or a state that is never editable makes the rule stricter, never looser
    assert parse_editable_states("draft,snet,cancel,done") == {"draft"}


def test_status_rule_is_written_in_a_fixed_order():
    assert format_editable_states({"sale", "draft"}) == "draft,sale"
    assert format_editable_states(set()) == "none"
    assert parse_editable_states(format_editable_states(set())) == frozenset()
    assert format_editable_states({"cancel"}) == "none"


def test_edit_refused_after_the_status_rule_whoever_asks():
    problem = edit_refusal("SO042", "sale", {"draft", "sent"}, 7, 7, "Павел", is_admin=True)
    assert problem.render() == ("Order SO042 is Confirmed: it can no longer be changed from the "
                                "portal. Ask your manager to change it.")


def test_edit_by_author_or_admin_only():
    rule = {"draft", "sent"}
    assert edit_refusal("SO1", "draft", rule, 7, 7, "Павел", is_admin=False) is None
    assert edit_refusal("SO1", "sent", rule, 9, 7, "Павел", is_admin=True) is None
    problem = edit_refusal("SO1", "draft", rule, 9, 7, "Павел", is_admin=False)
    assert "placed by Павел" in problem.render()


def test_entries_take_ids_and_skus_and_name_bad_rows():
    entries, problems = parse_edit_entries([
        (7, "2"), (" MIX-001 ", "1,5"), ("  ", 1), (8, -1), (9, "много"), (True, 1), [5], (0, 1),
        (10, 0)])
    assert entries == [Entry(1, 7, 2.0), Entry(2, "MIX-001", 1.5), Entry(9, 10, 0.0)]
    assert messages(problems) == [
        "Line 3: enter the SKU of the product to add",
        "Line 4: the quantity cannot be negative",
        "Line 5: the quantity много is not a number",
        "Line 6: expected a product and a quantity",
        "Line 7: expected a product and a quantity",
        "Line 8: expected a product and a quantity",
    ]
    assert messages(parse_edit_entries("7,1")[1]) == ["Line 1: expected a product and a quantity"]


def test_skus_resolved_and_unknown_ones_named():
    entries, _problems = parse_edit_entries([(7, 1), ("A-1", 2), ("NOPE", 3), ("A-1", 1)])
    assert skus_of(entries) == ["A-1", "NOPE"]
    resolved, problems = resolve(entries, {"A-1": 11})
    assert resolved == [Entry(1, 7, 1.0), Entry(2, 11, 2.0), Entry(4, 11, 1.0)]
    assert messages(problems) == ["Line 3: there is no product with SKU NOPE"]
    assert merge_entries(resolved) == [Entry(1, 7, 1.0), Entry(2, 11, 3.0)]


def test_removed_row_and_re_added_sku_give_the_new_quantity():
    assert merge_entries([Entry(1, 7, 0.0), Entry(4, 7, 5.0)]) == [Entry(1, 7, 5.0)]


def test_plan_changes_only_what_the_form_changed():
    plan, problems = plan_update({1: 2.0, 2: 3.0, 3: 1.0},
                                 [Entry(1, 1, 4.0), Entry(2, 2, 0.0), Entry(3, 3, 1.0), Entry(4, 9, 6.0)])
    assert problems == []
    assert plan == WritePlan(create={9: 6.0}, update={1: 4.0}, remove={2})


def test_plan_refuses_an_empty_order_and_a_change_of_nothing():
    plan, problems = plan_update({1: 2.0}, [Entry(1, 1, 0.0)])
    assert [p.template for p in problems] == [NO_LINES]
    plan, problems = plan_update({1: 2.0}, [Entry(1, 1, 2.0)])
    assert [p.template for p in problems] == [NOTHING_CHANGED]


def test_copy_into_cart_adds_up():
    assert merge_into_cart({1: 2.0, 5: 1.0}, [(1, 3.0), (7, 4.0), (8, 0.0)]) == {1: 5.0, 5: 1.0, 7: 4.0}


def test_status_choices_in_life_order_and_translated():
    russian = {"New": "Новый"}
    choices = status_choices(lambda text: russian.get(text, text))
    assert [state for state, _label in choices] == ["draft", "sent", "sale", "done", "cancel"]
    assert choices[0] == ("draft", "Новый")
