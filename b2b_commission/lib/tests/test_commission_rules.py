import datetime

from b2b_commission.lib.commission import (ReportLine, as_date, line_amount, line_problems,
                                           month_start, period_problem, report_total,
                                           submission_problems)


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
        ReportLine("Дрель", 1, 2000.0),
    ]
    assert rendered(line_problems(lines)) == [
        "line 2, product Пила: the quantity sold cannot be negative (got -1)",
        "line 3, product Шуруповерт: 7 sold is more than the 4 held on consignment",
        "line 4, product Лобзик: the price cannot be negative (got -10.00)",
        "line 5, product ?: no product",
        "line 6, product Дрель: the product is already reported on line 1",
    ]


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
