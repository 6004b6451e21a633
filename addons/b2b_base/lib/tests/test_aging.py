"""Aging of open debts: buckets at every boundary, FIFO and explicit matching, overpayment, as-of
dates in the past, custom and invalid bucket edges, many contracts at once. (Its speed is a figure
of bench/finance.py, BENCH P5 aging_allocation.)"""
from datetime import date, timedelta

import pytest

from b2b_base.lib import aging
from b2b_base.lib.aging import AgingError, Line

AS_OF = date(2024, 6, 30)


def day(offset):
    """AS_OF shifted by ``offset`` days (negative: earlier)."""
    return AS_OF + timedelta(days=offset)


class Ledger(object):
    """Builds a contract's ledger lines in posting order."""

    def __init__(self):
        self.lines = []

    def debt(self, amount, date_, due, doc=None):
        self.lines.append(Line(len(self.lines) + 1, date_, due, amount, 0, doc, None))
        return self

    def credit(self, amount, date_, settles=None):
        self.lines.append(Line(len(self.lines) + 1, date_, None, 0, amount, None, settles))
        return self

    def sorted(self):
        return sorted(self.lines, key=lambda line: (line.date, line.id))

    def age(self, as_of=AS_OF, edges=aging.DEFAULT_EDGES, **kw):
        return aging.age(self.sorted(), as_of, edges, **kw).as_dict(edges)


def amounts(result):
    return [bucket["amount"] for bucket in result["buckets"]]


@pytest.mark.parametrize("days_overdue, bucket", [
    (0, None), (1, 0), (6, 0), (7, 1), (15, 1), (16, 2), (45, 2), (46, 3)])
def test_each_boundary(days_overdue, bucket):
    """A debt due ``days_overdue`` days before as_of lands in the right bucket; due today is not
    overdue; only over 45 days blocks."""
    result = Ledger().debt(1000, day(-days_overdue - 30), day(-days_overdue)).age()
    expected = [0.0] * 4
    if bucket is not None:
        expected[bucket] = 1000.0
    assert amounts(result) == expected
    assert result["not_due"] == (1000.0 if bucket is None else 0.0)
    assert result["overdue"] == (0.0 if bucket is None else 1000.0)
    assert result["oldest_days"] == days_overdue
    assert result["balance"] == 1000.0
    assert result["blocked"] is (days_overdue > 45)


@pytest.mark.parametrize("days_overdue, bucket", [
    (0, None), (1, 0), (6, 0), (7, 1), (15, 1), (16, 2), (45, 2), (46, 3)])
def test_each_boundary_with_partial_payment_and_return(days_overdue, bucket):
    """1000 shipped, 300 paid, 150 returned: 550 stays in the same bucket."""
    ledger = (Ledger().debt(1000, day(-days_overdue - 30), day(-days_overdue))
              .credit(300, day(-days_overdue - 20)).credit(150, day(-days_overdue - 10)))
    result = ledger.age()
    expected = [0.0] * 4
    if bucket is not None:
        expected[bucket] = 550.0
    assert amounts(result) == expected
    assert result["balance"] == 550.0
    assert result["not_due"] == (550.0 if bucket is None else 0.0)


def test_bucket_labels_and_ranges():
    result = Ledger().age()
    assert [(b["label"], b["from"], b["to"]) for b in result["buckets"]] == [
        ("1–6", 1, 6), ("7–15", 7, 15), ("16–45", 16, 45), ("> 45", 46, None)]
    assert result == {"balance": 0.0, "not_due": 0.0, "overdue": 0.0, "oldest_days": 0,
                      "buckets": result["buckets"], "blocked": False}


def test_fifo_pays_oldest_due_first():
    """Payments settle the debt due first, even when it was posted later."""
    ledger = (Ledger()
              .debt(1000, day(-80), day(-50), "A")      # due 50 days ago
              .debt(500, day(-70), day(-60), "B")       # posted later, due earlier
              .debt(700, day(-20), day(10), "C")        # not due yet
              .credit(1200, day(-5)))
    result = ledger.age()
    # B (500) is settled, then 700 of A; 300 of A left, 50 days overdue -> blocked
    assert amounts(result) == [0.0, 0.0, 0.0, 300.0]
    assert result["not_due"] == 700.0
    assert result["balance"] == 1000.0
    assert result["oldest_days"] == 50
    assert result["blocked"] is True


def test_fifo_same_due_date_by_date_then_id():
    ledger = (Ledger().debt(100, day(-20), day(-10), "late").debt(100, day(-30), day(-10), "early")
              .debt(100, day(-30), day(-10), "early2").credit(150, day(-1)))
    items = aging.age(ledger.sorted(), AS_OF, with_items=True).items
    # "early" (dated -30, id 2) fully paid, "early2" (dated -30, id 3) half, "late" untouched
    assert [(item.line_id, item.amount) for item in items] == [(3, 5000), (1, 10000)]
    assert items[0].due_date == day(-10) and items[0].days == 10


def test_explicit_matching_first_then_fifo():
    """A payment naming document B pays B first; the rest goes to the oldest debt."""
    ledger = (Ledger()
              .debt(1000, day(-90), day(-60), "A")
              .debt(400, day(-40), day(-20), "B")
              .credit(600, day(-3), settles="B"))
    result = ledger.age()
    # B settled (400), remaining 200 to A: A has 800 open, 60 days overdue
    assert amounts(result) == [0.0, 0.0, 0.0, 800.0]
    assert result["blocked"] is True
    # without the matching the oldest debt A would get the whole payment
    plain = Ledger().debt(1000, day(-90), day(-60), "A").debt(400, day(-40), day(-20), "B") \
        .credit(600, day(-3)).age()
    assert amounts(plain) == [0.0, 0.0, 400.0, 400.0]


def test_explicit_matching_of_a_document_posted_later():
    """A prepayment naming an invoice posted afterwards waits for it instead of paying others."""
    ledger = (Ledger()
              .debt(300, day(-60), day(-50), "OLD")
              .credit(500, day(-40), settles="NEW")
              .debt(500, day(-30), day(-20), "NEW"))
    result = ledger.age()
    assert amounts(result) == [0.0, 0.0, 0.0, 300.0]
    assert result["balance"] == 300.0


def test_explicit_matching_of_unknown_document_is_fifo():
    ledger = Ledger().debt(300, day(-60), day(-50), "OLD").credit(100, day(-1), settles="NOPE")
    assert amounts(ledger.age()) == [0.0, 0.0, 0.0, 200.0]


def test_return_against_a_shipment():
    ledger = (Ledger().debt(1000, day(-70), day(-50), "S1").debt(800, day(-10), day(-3), "S2")
              .credit(800, day(-2), settles="S2"))          # S2 returned in full
    result = ledger.age()
    assert amounts(result) == [0.0, 0.0, 0.0, 1000.0]
    assert result["balance"] == 1000.0


def test_opening_balance_due_on_its_date():
    """An opening debit without its own due date is due on its date."""
    ledger = Ledger().debt(2000, day(-46), None).credit(500, day(-10))
    result = ledger.age()
    assert amounts(result) == [0.0, 0.0, 0.0, 1500.0]
    assert result["oldest_days"] == 46
    assert result["blocked"] is True


def test_overpayment_is_a_negative_balance_with_nothing_overdue():
    ledger = Ledger().debt(1000, day(-90), day(-60)).credit(1500, day(-5))
    result = ledger.age()
    assert result["balance"] == -500.0
    assert result["overdue"] == 0.0 and result["not_due"] == 0.0
    assert result["oldest_days"] == 0 and result["blocked"] is False


def test_advance_settles_later_debts():
    ledger = Ledger().credit(1500, day(-100)).debt(1000, day(-90), day(-60)).debt(800, day(-80), day(-50))
    result = ledger.age()
    assert amounts(result) == [0.0, 0.0, 0.0, 300.0]      # 500 of the advance went to the 2nd debt
    assert result["balance"] == 300.0


def test_as_of_in_the_past_ignores_later_lines():
    ledger = (Ledger().debt(1000, day(-100), day(-80))      # due 80 days before AS_OF
              .credit(1000, day(-10)))                       # paid 10 days before AS_OF
    assert ledger.age()["balance"] == 0.0
    then = ledger.age(as_of=day(-20))                        # before the payment: 60 days overdue
    assert then["balance"] == 1000.0
    assert amounts(then) == [0.0, 0.0, 0.0, 1000.0]
    assert then["oldest_days"] == 60 and then["blocked"] is True
    earlier = ledger.age(as_of=day(-85))                     # before it fell due
    assert earlier["not_due"] == 1000.0 and earlier["overdue"] == 0.0
    assert ledger.age(as_of=day(-101))["balance"] == 0.0    # before anything was posted


def test_kopecks_do_not_drift():
    ledger = Ledger()
    for number in range(10):
        ledger.debt(0.1, day(-30), day(-20))
    ledger.credit(0.3, day(-1))
    result = ledger.age()
    assert result["balance"] == 0.7
    assert result["buckets"][2]["amount"] == 0.7


def test_custom_edges():
    edges = (10, 30)
    ledger = (Ledger().debt(100, day(-50), day(-10)).debt(200, day(-50), day(-11))
              .debt(400, day(-60), day(-30)).debt(800, day(-70), day(-31)))
    result = ledger.age(edges=edges)
    assert [(b["label"], b["amount"]) for b in result["buckets"]] == [
        ("1–10", 100.0), ("11–30", 600.0), ("> 30", 800.0)]
    assert result["blocked"] is True                         # 31 days is over the last edge
    assert Ledger().debt(100, day(-50), day(-30)).age(edges=edges)["blocked"] is False


def test_parse_edges():
    assert aging.parse_edges("6,15,45") == (6, 15, 45)
    assert aging.parse_edges(" 5 ; 20, 60 ") == (5, 20, 60)
    assert aging.parse_edges([3, 9.0]) == (3, 9)
    assert aging.format_edges((6, 15, 45)) == "6,15,45"


@pytest.mark.parametrize("value, code, fragment", [
    ("", "edges_empty", "at least one"),
    ("6,abc,45", "edges_not_number", "«abc»"),
    ("6,7.5,45", "edges_not_number", "«7.5»"),
    ([6, 7.5], "edges_not_number", "«7.5»"),
    ("0,15,45", "edges_not_positive", "edge 0 must be a positive"),
    ("-6,15,45", "edges_not_positive", "edge -6 must be a positive"),
    ("6,15,15", "edges_not_increasing", "15 does not come after 15"),
    ("15,6,45", "edges_not_increasing", "6 does not come after 15"),
])
def test_bad_edges(value, code, fragment):
    with pytest.raises(AgingError) as caught:
        aging.parse_edges(value)
    assert caught.value.code == code
    assert fragment in str(caught.value)


def test_edge_count():
    with pytest.raises(AgingError) as caught:
        aging.parse_edges("6,45", count=3)
    assert "exactly 3" in str(caught.value) and "got 2" in str(caught.value)
    assert caught.value.render(lambda text: text.replace("Give", "Enter")).startswith("Enter exactly 3")


def test_by_contract_and_total():
    rows = []
    for contract_id, overdue in ((7, 50), (9, 3)):
        for line in Ledger().debt(100, day(-overdue - 30), day(-overdue)).credit(40, day(-1)).sorted():
            rows.append((contract_id,) + tuple(line))
    result = aging.age_by_contract(rows, AS_OF)
    assert result[7].blocked and not result[9].blocked
    assert result[7].buckets == (0, 0, 0, 6000) and result[9].buckets == (6000, 0, 0, 0)
    both = aging.total(result.values()).as_dict(aging.DEFAULT_EDGES)
    assert both["balance"] == 120.0 and both["overdue"] == 120.0
    assert both["oldest_days"] == 50 and both["blocked"] is True


def test_fifty_thousand_lines_of_many_contracts():
    """200 contracts of 250 documents each (50,000 lines, dates as day numbers) aged in one call;
    the same lines with dates as date objects or text give the same answer."""
    rows = []
    line_id = 0
    start = date(2023, 1, 1).toordinal()    # day numbers, as the ORM's query gives them
    for contract_id in range(1, 201):
        for number in range(250):
            line_id += 1
            posted = start + number
            if number % 5 == 4:     # every fifth document a payment naming nothing
                rows.append((contract_id, line_id, posted, None, 0, 900.0, None, None))
            else:
                rows.append((contract_id, line_id, posted, posted + 30, 1000.0, 0,
                             "D%d" % line_id, None))
    as_of = date.fromordinal(start + 300)
    result = aging.age_by_contract(rows, as_of)
    assert len(result) == 200
    assert all(r.balance == 200 * 100000 - 50 * 90000 for r in result.values())
    as_dates = [row[:2] + (date.fromordinal(row[2]),
                           date.fromordinal(row[3]).isoformat() if row[3] else None) + row[4:]
                for row in rows[:2500]]
    assert aging.age_by_contract(as_dates, as_of) == {
        cid: result[cid] for cid in range(1, 11)}


def test_from_summary():
    """1C's figures as sent; the oldest overdue debt keeps aging while no ledger line is newer."""
    same_day = aging.from_summary(1500, 500, [100, 0, 900, 0], 40, AS_OF, AS_OF).as_dict(
        aging.DEFAULT_EDGES)
    assert same_day["balance"] == 1500.0 and same_day["not_due"] == 500.0
    assert amounts(same_day) == [100.0, 0.0, 900.0, 0.0]
    assert same_day["overdue"] == 1000.0
    assert same_day["oldest_days"] == 40 and same_day["blocked"] is False
    later = aging.from_summary(1500, 500, [100, 0, 900, 0], 40, day(-6), AS_OF)
    assert later.oldest_days == 46 and later.blocked is True
    assert aging.from_summary(10, 0, [0, 0, 0, 10], 50, AS_OF, AS_OF).blocked is True
    assert aging.from_summary(-200, 0, [0, 0, 0, 0], 0, day(-30), AS_OF).oldest_days == 0
