from b2b_portal.lib.sku_list import EMPTY_LIST, TOO_MANY_LINES, parse_sku_list


def rendered(problems):
    return [problem.render() for problem in problems]


def test_tab_semicolon_and_space_separated_lines():
    lines, problems = parse_sku_list("MIX-00001\t12\nACC-00002;6\n\n  TWR-00001   1 000\r\nSNK-7 2,5")
    assert problems == []
    assert [(l.line, l.sku, l.qty) for l in lines] == [
        (1, "MIX-00001", 12.0), (2, "ACC-00002", 6.0), (4, "TWR-00001", 1000.0),
        (5, "SNK-7", 2.5)]


def test_sku_alone_orders_one_and_leading_zeros_are_kept():
    lines, problems = parse_sku_list("00123\n'00777;3")
    assert problems == []
    assert [(l.sku, l.qty) for l in lines] == [("00123", 1.0), ("00777", 3.0)]


def test_every_bad_line_is_named_by_its_number():
    lines, problems = parse_sku_list("MIX-00001 2\nMIX-00002 two\n\nMIX-00003 0\nMIX-00004 -1")
    assert [l.sku for l in lines] == ["MIX-00001"]
    assert rendered(problems) == [
        'Line 2: the quantity "two" of MIX-00002 is not a number',
        "Line 4: the quantity of MIX-00003 must be greater than zero",
        "Line 5: the quantity of MIX-00004 must be greater than zero",
    ]


def test_empty_and_too_long_lists_are_refused():
    assert parse_sku_list(" \n\t\n") == ([], parse_sku_list("")[1])
    assert parse_sku_list("")[1][0].template == EMPTY_LIST
    lines, problems = parse_sku_list("A 1\nB 2\nC 3", max_lines=2)
    assert lines == [] and problems[0].template == TOO_MANY_LINES
    assert rendered(problems) == ["The list has 3 lines; paste at most 2 at once or upload an xlsx file."]
