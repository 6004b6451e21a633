"""VAT of dealers' prices and the personal discount (plain Python, no database)."""
import pytest

from b2b_base.lib import vat


def test_vat_included_leaves_the_total_and_splits_out_the_vat():
    # 3 × 1 200.00 with VAT included at 20%: 3 600.00 to pay, of which 600.00 VAT
    assert vat.line(3, 1200.0, 20.0, True) == vat.Line(3600.0, 3000.0, 600.0, 3600.0)
    # 1 × 100.00 incl. 20%: 100 × 20 / 120 = 16.666… -> 16.67
    assert vat.line(1, 100.0, 20.0, True) == vat.Line(100.0, 83.33, 16.67, 100.0)


def test_vat_on_top_adds_to_the_total():
    assert vat.line(3, 1200.0, 20.0, False) == vat.Line(3600.0, 3600.0, 720.0, 4320.0)
    # 0.005 rounds half up: 2 × 10.01 × 10% = 2.002 -> 2.00; 1 × 0.25 × 10% = 0.025 -> 0.03
    assert vat.line(2, 10.01, 10.0, False).vat == 2.0
    assert vat.line(1, 0.25, 10.0, False).vat == 0.03


def test_line_amount_is_rounded_before_its_vat():
    # 3 × 0.335 = 1.005 -> 1.01 (half up), then 20% on top of 1.01 = 0.202 -> 0.20
    assert vat.line(3, 0.335, 20.0, False) == vat.Line(1.01, 1.01, 0.2, 1.21)


def test_no_price_no_line_and_zero_rate():
    assert vat.line(2, None, 20.0, True) is None
    assert vat.line(2, 50.0, 0.0, False) == vat.Line(100.0, 100.0, 0.0, 100.0)


def test_totals_sum_the_rounded_lines():
    lines = [vat.line(1, 100.0, 20.0, True), vat.line(1, 100.0, 20.0, True), None,
             vat.line(2, 10.0, 10.0, True)]
    # two lines of 16.67 VAT (not 33.33 of the sum), plus 20 × 10 / 110 = 1.82
    assert vat.totals(lines) == vat.Totals(200.0 - 33.34 + 18.18, 35.16, 220.0)
    assert vat.totals([]) == vat.Totals(0.0, 0.0, 0.0)


@pytest.mark.parametrize("price,percent,expected", [
    (1000.0, 5.0, 950.0),
    (999.99, 7.5, 924.99),      # 924.990750 -> 924.99
    (10.1, 5.0, 9.6),           # 9.595 -> 9.60, half up, not 9.59 of binary floats
    (10.0, 0.0, 10.0),
    (None, 10.0, None),
    (123.45, 100.0, 0.0),
])
def test_discounted_price_is_rounded_half_up_to_kopecks(price, percent, expected):
    assert vat.discounted(price, percent) == expected


def test_rates_and_labels():
    assert vat.rate_or_standard(None) == 20.0
    assert vat.rate_or_standard(0.0) == 0.0
    assert vat.rate_or_standard(10) == 10.0
    assert vat.rate_text(20.0) == "20" and vat.rate_text(0.5) == "0.5"
    template, params = vat.label(20.0, True)
    assert template % params == "incl. VAT 20%"
    template, params = vat.label(10.0, False)
    assert template % params == "+ VAT 10%"
    assert vat.label(0.0, True) == (vat.NO_VAT, {})
