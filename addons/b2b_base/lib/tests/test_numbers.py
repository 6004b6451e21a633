"""The one number formatter of the suite (lib/numbers.py): pages in the reader's language, messages,
points and 1C's files."""
from b2b_base.lib.numbers import (format_count, format_money, format_number, format_plain,
                                  format_quantity, plural_category)


def test_plain_numbers_have_no_useless_zeros():
    assert format_plain(2.0) == "2" and format_plain(2.5) == "2.5" and format_plain(None) == ""
    assert format_plain(0.125) == "0.125" and format_plain(0.1 + 0.2) == "0.3"
    assert format_plain(1200.0, 2) == "1200" and format_plain(1.23456789, 6) == "1.234568"
    assert format_plain(-0.0001) == "0" and format_plain(-2.5) == "-2.5"
    assert format_plain(10, 0) == "10"


def test_numbers_as_the_dealer_reads_them():
    assert format_number(1234567.891) == "1 234 567,89"
    assert format_number(310) == "310,00"
    assert format_number(0.005) == "0,01"
    assert format_number(-1500.5, thousands_sep=",", decimal_point=".") == "-1,500.50"
    assert format_number(None) == ""
    assert format_money(12345.5, "₽") == "12 345,50\u00a0₽"
    assert format_money(10, "$", "before", ",", ".") == "$\u00a010.00"
    assert format_money(None, "₽") == ""


def test_quantities_read_in_the_language_with_their_own_decimals():
    assert format_quantity(1234.5, " ", ",") == "1 234,5"
    assert format_quantity(2.0, " ", ",") == "2"
    assert format_quantity(1234567, ",", ".") == "1,234,567"
    assert format_quantity(0.125, " ", ",") == "0,125"
    assert format_quantity(None) == ""
    # amounts round half up, whatever the float's binary form
    assert format_number(2.675, 2, " ", ",") == "2,68"
    assert format_number(-1234.5, 2, " ", ",") == "-1 234,50"


def test_counted_words_agree_with_the_number_in_russian():
    ru = [format_count(n, "points", "ru_RU") for n in (1, 2, 4, 5, 11, 12, 14, 21, 22, 25, 101, 111)]
    assert ru == ["1 балл", "2 балла", "4 балла", "5 баллов", "11 баллов", "12 баллов", "14 баллов",
                  "21 балл", "22 балла", "25 баллов", "101 балл", "111 баллов"]
    assert format_count(0, "points", "ru_RU") == "0 баллов"
    assert format_count(2500, "points", "ru_RU") == "2 500 баллов"
    assert format_count(2.5, "points", "ru_RU") == "2,5 балла"
    assert format_count(1.0001, "days", "ru_RU") == "1 день"   # as written: 1
    assert [format_count(n, "days", "ru_RU") for n in (1, 3, 7)] == ["1 день", "3 дня", "7 дней"]
    assert plural_category(-3, "ru_RU") == "few"


def test_counted_words_in_english_and_other_languages():
    assert format_count(1, "points", "en_US", ",", ".") == "1 point"
    assert format_count(1500, "points", "en_US", ",", ".") == "1,500 points"
    assert format_count(1.5, "days", "en_US", ",", ".") == "1.5 days"
    assert format_count(0, "days", "de_DE", ".", ",") == "0 days"
