import datetime

from b2b_commission.lib.commission import (ReportLine, as_date, commission_percent, line_amount,
                                           line_commission, line_problems, month_start,
                                           period_problem, report_commission, report_total,
                                           submission_problems, terms_problems)


def rendered(problems):
    return [p.render() for p in problems]


def test_amounts_and_total():
    lines = [ReportLine("Дрель", 3, 1999.99), ReportLine("Пила", 2.5, 100.0)]
    assert line_amount(3, 1999.99) == 5999.97
    assert report_total(lines) == 6249.97
    assert report_total([]) == 0.0


def test_total_is_the_sum_of_rounded_line_amounts():
    """What the agent sees per line adds up to the total, cent for cent."""
    lines = [ReportLine("Наклейка", 1, 0.004)] * 3  # each line shows 0.00
    assert report_total(lines) == 0.0  # not round(0.012, 2) == 0.01


def test_good_lines_have_no_problems():
    lines = [ReportLine("Дрель", 3, 2000.0, qty_consigned=5), ReportLine("Пила", 0, 10.0)]
    assert line_problems(lines) == []


def test_sold_exactly_what_was_consigned_is_fine():
    assert line_problems([ReportLine("Дрель", 5, 2000.0, qty_consigned=5)]) == []


def test_problems_are_located_by_line_and_product():
    lines = [
        ReportLine("Дрель", 3, 2000.0, qty_consigned=5),
        ReportLine("Пила", -1, 100.0),
        ReportLine("Шуруповерт", 7, 3000.0, qty_consigned=4),
        ReportLine("Лобзик", 1, -10.0),
        ReportLine("", 1, 1.0),
        ReportLine("Дрель", 3, 1900.0, qty_consigned=5),
    ]
    assert rendered(line_problems(lines)) == [
        "line 2, product Пила: the quantity sold cannot be negative (got -1)",
        "line 3, product Шуруповерт: 7 sold is more than the 4 held on consignment",
        "line 4, product Лобзик: the price cannot be negative (got -10.00)",
        "line 5, product ?: no product",
        "line 6, product Дрель: 6 sold on lines 1, 6 is more than the 5 held on consignment",
    ]


def test_one_product_at_several_prices_is_several_lines_within_what_is_held():
    lines = [ReportLine("Дрель", 3, 2000.0, qty_consigned=5, key=7),
             ReportLine("Пила", 1, 3500.0, qty_consigned=1, key=8),
             ReportLine("Дрель", 2, 1800.0, qty_consigned=5, key=7)]
    assert line_problems(lines) == []
    assert report_total(lines) == 13100.0


def test_lines_of_one_product_are_told_by_its_key_not_its_name():
    """Two products of the same name are two products."""
    lines = [ReportLine("Дрель", 3, 2000.0, qty_consigned=3, key=1),
             ReportLine("Дрель", 3, 2000.0, qty_consigned=3, key=2)]
    assert line_problems(lines) == []
    lines.append(ReportLine("Дрель", 0.5, 2000.0, qty_consigned=3, key=2))
    assert rendered(line_problems(lines)) == [
        "line 3, product Дрель: 3.5 sold on lines 2, 3 is more than the 3 held on consignment"]


def test_unknown_consigned_quantity_does_not_limit_sales():
    assert line_problems([ReportLine("Дрель", 1000, 1.0, qty_consigned=None)]) == []


def test_empty_report_cannot_be_submitted():
    assert rendered(submission_problems([])) == [
        "The report has no lines: add the goods sold in the month."]
    assert submission_problems([ReportLine("Дрель", 1, 1.0)]) == []


def test_translation_applies_to_message_and_location():
    ru = {"line %(line)s, product %(product)s: %(message)s": "строка %(line)s, товар %(product)s: %(message)s",
          "the quantity sold cannot be negative (got %(qty)s)":
              "проданное количество не может быть отрицательным (указано %(qty)s)"}
    problem = line_problems([ReportLine("Пила", -2, 1.0)])[0]
    assert problem.render(lambda text: ru.get(text, text)) == \
        "строка 1, товар Пила: проданное количество не может быть отрицательным (указано -2)"


def test_months():
    assert month_start(datetime.date(2024, 5, 17)) == datetime.date(2024, 5, 1)
    today = datetime.date(2024, 5, 17)
    assert period_problem(datetime.date(2024, 5, 1), today) is None
    assert period_problem(datetime.date(2024, 4, 1), today) is None
    assert period_problem(datetime.date(2024, 6, 1), today).render() == \
        "The month 06.2024 has not begun yet."
    assert as_date("2024-05-01") == datetime.date(2024, 5, 1)
    assert as_date(datetime.date(2024, 5, 1)) == datetime.date(2024, 5, 1)


def test_commission_is_the_percent_of_the_line_amount_rounded_half_up_to_the_cent():
    assert line_commission(ReportLine("Дрель", 3, 1999.99), 5) == 300.0      # 5 % of 5999.97
    assert line_commission(ReportLine("Пила", 1, 0.5), 1) == 0.01            # 0.005 -> 0.01
    assert line_commission(ReportLine("Пила", 1, 2.675), 50) == 1.34         # 50 % of 2.67: 1.335 -> 1.34
    assert line_commission(ReportLine("Пила", 2, 100.0), 0) == 0.0


def test_a_product_group_of_the_contract_has_its_own_percent():
    terms = (5, {"tools": 7.5, "consumables": 2})
    drill = ReportLine("Дрель", 2, 1000.0, group="tools")
    gloves = ReportLine("Перчатки", 10, 55.5, group="consumables")
    saw = ReportLine("Пила", 1, 3000.0, group="garden")      # no percent of its own
    loose = ReportLine("Клей", 1, 100.0)                    # no group
    assert commission_percent("tools", *terms) == 7.5
    assert commission_percent("garden", *terms) == 5
    assert commission_percent(None, *terms) == 5
    assert [line_commission(line, *terms) for line in (drill, gloves, saw, loose)] == [
        150.0, 11.1, 150.0, 5.0]
    assert report_commission([drill, gloves, saw, loose], *terms) == 316.1
    assert report_commission([], *terms) == 0.0
    assert report_commission([drill], 5) == 100.0


def test_report_commission_is_the_sum_of_the_rounded_line_commissions():
    lines = [ReportLine("Наклейка", 1, 0.3)] * 3             # 1 % of 0.30 each: 0.003 -> 0.00
    assert [line_commission(line, 1) for line in lines] == [0.0] * 3
    assert report_commission(lines, 1) == 0.0                # not round(0.009, 2) == 0.01


def test_commission_percents_are_between_0_and_100():
    assert terms_problems(5, {"tools": 100, "x": 0}) == []
    assert rendered(terms_problems(-1, {"tools": 120.5})) == [
        "the commission percent -1 is not between 0 and 100",
        "the commission percent 120.5 is not between 0 and 100"]
