from b2b_base.lib.numbers import format_plain
from b2b_bonus.lib.bonus import (POINTS_DIGITS, BonusItem, available_points, bonus_price_problem,
                                 check_bonus_order, order_kind_problems, short_of_points)

MUG = dict(known=True, bonus_only=True, bonus_price=150.0)
CAP = dict(known=True, bonus_only=True, bonus_price=99.5)


def messages(check):
    return [p.render() for p in check.problems]


def test_order_within_balance_fits_and_totals_points():
    check = check_bonus_order(1000.0, [BonusItem("Кружка", 2, **MUG), BonusItem("Кепка", 4, **CAP)])
    assert check.ok
    assert check.total == 698.0
    assert check.shortfall == 0.0


def test_order_costing_exactly_the_balance_fits():
    assert check_bonus_order(300.0, [BonusItem("Кружка", 2, **MUG)]).ok


def test_total_over_balance_names_the_shortfall():
    check = check_bonus_order(250.0, [BonusItem("Кружка", 2, **MUG)])
    assert not check.ok
    assert check.shortfall == 50.0
    assert messages(check) == [
        "The order costs 300 points but the bonus balance is 250 points: 50 points short."]


def test_dealer_without_balance_is_told_so():
    check = check_bonus_order(None, [BonusItem("Кружка", 1, **MUG)])
    assert messages(check) == ["The dealer has no bonus balance yet; the order needs 150 points."]


def test_each_bad_line_gets_its_own_located_message():
    check = check_bonus_order(10000.0, [
        BonusItem("Кружка", 1, **MUG),
        BonusItem("ART-404", 1, known=False),
        BonusItem("Дрель", 1, known=True, bonus_only=False, bonus_price=0.0),
        BonusItem("Кепка", 0, **CAP),
        BonusItem("Кепка", -3, **CAP),
        BonusItem("Футболка", 1, known=True, bonus_only=True, bonus_price=0.0),
    ])
    assert messages(check) == [
        "line 2, product ART-404: unknown product",
        "line 3, product Дрель: this product is not sold for bonus points",
        "line 4, product Кепка: the quantity must be positive (got 0)",
        "line 5, product Кепка: the quantity must be positive (got -3)",
        "line 6, product Футболка: this product has no bonus price",
    ]


def test_balance_is_not_compared_while_lines_are_wrong():
    """The dealer fixes the lines first; a shortfall computed from wrong lines would mislead."""
    check = check_bonus_order(1.0, [BonusItem("Кружка", 5, **MUG), BonusItem("X", 1, known=False)])
    assert len(check.problems) == 1
    assert "unknown product" in messages(check)[0]


def test_empty_bonus_order_does_not_fit():
    assert messages(check_bonus_order(100.0, [])) == ["The bonus order has no lines."]


def test_fractional_points_are_rounded_not_lost():
    check = check_bonus_order(0.3, [BonusItem("Наклейка", 3, known=True, bonus_only=True,
                                              bonus_price=0.1)])
    assert check.ok  # 3 x 0.1 is 0.3 points, not 0.30000000000000004
    assert check.total == 0.3


def test_translation_applies_to_message_and_location():
    ru = {
        "line %(line)s, product %(product)s: %(message)s": "строка %(line)s, товар %(product)s: %(message)s",
        "unknown product": "неизвестный товар",
    }
    check = check_bonus_order(1.0, [BonusItem("ART-1", 1, known=False)])
    assert check.problems[0].render(lambda text: ru.get(text, text)) == \
        "строка 1, товар ART-1: неизвестный товар"


def test_bonus_goods_and_regular_goods_are_not_mixed():
    items = [BonusItem("Кружка", 1, **MUG), BonusItem("Дрель", 1, known=True, bonus_only=False)]
    regular = [p.render() for p in order_kind_problems(False, items)]
    bonus = [p.render() for p in order_kind_problems(True, items)]
    assert regular == ["line 1, product Кружка: this product is sold only for bonus points; "
                       "order it in a separate bonus order"]
    assert bonus == ["line 2, product Дрель: a bonus order holds only goods sold for bonus points; "
                     "order this product in a regular order"]
    assert order_kind_problems(True, items[:1]) == []
    assert order_kind_problems(False, items[1:]) == []


def test_bonus_price_settings():
    assert bonus_price_problem("Кружка", True, 150.0) is None
    assert bonus_price_problem("Дрель", False, 0.0) is None
    assert bonus_price_problem("Кружка", True, 0.0).render() == (
        'Product "Кружка" is sold only for bonus points, so its bonus price must be greater than zero.')
    assert "cannot be negative (got -5)" in bonus_price_problem("Дрель", False, -5.0).render()


def test_points_are_written_as_people_write_them():
    assert format_plain(1200.0, POINTS_DIGITS) == "1200"
    assert format_plain(12.5, POINTS_DIGITS) == "12.5"
    assert format_plain(0.1 + 0.2, POINTS_DIGITS) == "0.3"


def test_available_points_are_1c_figure_less_reserved_and_spent_since():
    assert available_points(1000.0, 400.0, 150.0) == 450.0
    # a spend 1C already counted and given back since counts negative
    assert available_points(700.0, 0.0, -300.0) == 1000.0
    assert available_points(None, 0.0, 0.0) == 0.0


def test_short_of_points_names_total_available_and_shortfall():
    assert short_of_points(400.0, 400.0) is None
    assert short_of_points(450.0, 400.0).render() == (
        "The bonus order costs 450 points, 400 available: 50 short.")
    assert short_of_points(0.5, -10.0).render() == (
        "The bonus order costs 0.5 points, -10 available: 10.5 short.")
