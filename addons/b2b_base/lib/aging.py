"""Open debts and their aging: what a dealer owes under a contract as of a date, split into debt
not yet due and overdue buckets (1–6, 7–15, 16–45 and over 45 days past due by default), and
whether the shipment block applies (some debt overdue longer than the last edge).

Rules:

- Every debit line is a debt due on its ``due_date`` (its own date when it has none: an opening
  balance is due at once). Every credit line (payment, return, credit adjustment) settles debts.
- A credit that names the debt it pays (``settles_onec_id`` = that debt's ``b2b_onec_id``) settles that
  debt first; the rest of it, and every credit naming nothing, settles the oldest open debts first
  (by due date, then date, then id). Credit beyond all open debts is an advance, which settles the
  next debts as they arrive. A net credit (overpayment) makes the balance negative with nothing
  overdue.
- A debt due on ``as_of`` is not yet overdue; one day later it is 1 day overdue.
- Lines dated after ``as_of`` are ignored.

Amounts are reckoned in kopecks (integers), so that no rounding drift creeps in; results are
floats rounded to kopecks. One pass over lines sorted by (date, id): 50,000 lines take a few
hundredths of a second.
"""
import heapq
from collections import namedtuple
from datetime import date as _date

from .messages import Problem, ProblemError, _

fromordinal = _date.fromordinal

DEFAULT_EDGES = (6, 15, 45)

# One ledger line: ``date`` and ``due_date`` are dates (datetime.date, ISO text "2024-06-30" or a
# day number as date.toordinal() gives, which SQL computes as ``date - '0001-01-01' + 1``; due_date
# may be None), ``debit``
# and ``credit`` non-negative numbers, ``doc_id`` the document's 1C id (or None), ``settles_id``
# the 1C id of the debt a credit pays (or None). Plain tuples in this order work as well.
Line = namedtuple("Line", "id date due_date debit credit doc_id settles_id")

# A debt still open as of the date: its line id, open amount and days overdue (0 = not yet due).
OpenItem = namedtuple("OpenItem", "line_id date due_date amount days")


MESSAGES = {
    "edges_empty": _("Give at least one bucket edge (days overdue), e.g. 6,15,45."),
    "edges_not_number": _("Bucket edge «%(value)s» is not a whole number of days (expected e.g. "
                          "6,15,45)."),
    "edges_not_positive": _("Bucket edge %(value)s must be a positive number of days."),
    "edges_not_increasing": _("Bucket edges must increase strictly: %(value)s does not come after "
                              "%(previous)s."),
    "edges_count": _("Give exactly %(count)s bucket edges (days overdue), e.g. 6,15,45; got "
                     "%(got)s."),
}


class AgingError(ProblemError, ValueError):
    """Invalid aging parameters: ``code`` names the rule, ``text`` is the English message,
    ``render(translate)`` gives it in the user's language."""

    def __init__(self, code, **params):
        self.code = code
        super(AgingError, self).__init__(Problem(MESSAGES[code], params))

    @property
    def text(self):
        return self.render()


def parse_edges(value, count=None):
    """Bucket edges from ``value`` (a text like "6, 15, 45" or a sequence of numbers) as a tuple of
    ints: positive, strictly increasing, and exactly ``count`` of them when given. Raises
    AgingError naming the faulty edge."""
    if isinstance(value, str):
        parts = [part.strip() for part in value.replace(";", ",").split(",")]
        parts = [part for part in parts if part]
    else:
        parts = list(value or ())
    if not parts:
        raise AgingError("edges_empty")
    edges = []
    for part in parts:
        if isinstance(part, bool):
            raise AgingError("edges_not_number", value=part)
        if isinstance(part, int):
            number = part
        elif isinstance(part, float) and part.is_integer():
            number = int(part)
        elif isinstance(part, str) and part.lstrip("+-").isdigit():
            number = int(part)
        else:
            raise AgingError("edges_not_number", value=part)
        if number <= 0:
            raise AgingError("edges_not_positive", value=number)
        if edges and number <= edges[-1]:
            raise AgingError("edges_not_increasing", value=number, previous=edges[-1])
        edges.append(number)
    if count is not None and len(edges) != count:
        raise AgingError("edges_count", count=count, got=len(edges))
    return tuple(edges)


def format_edges(edges):
    return ",".join(str(edge) for edge in edges)


def bucket_ranges(edges):
    """[(label, from, to)] of the overdue buckets: 1–e1, e1+1–e2, ..., and over the last edge
    (to None)."""
    ranges, start = [], 1
    for edge in edges:
        ranges.append(("%d–%d" % (start, edge) if edge > start else "%d" % edge, start, edge))
        start = edge + 1
    ranges.append(("> %d" % edges[-1], start, None))
    return ranges


class Aging(namedtuple("Aging", "balance not_due buckets oldest_days blocked items")):
    """The aging of one contract (or a sum of several). Amounts in kopecks (ints): ``balance``
    (debits − credits, negative for an advance), ``not_due``, ``buckets`` (a tuple, one per
    overdue bucket); ``oldest_days`` (0 when nothing is overdue); ``blocked``; ``items`` the open
    debts (OpenItem, amounts in kopecks) when asked for, else None."""

    @property
    def overdue(self):
        return sum(self.buckets)

    def as_dict(self, edges):
        buckets = [{"label": label, "from": start, "to": end, "amount": cents / 100.0}
                   for (label, start, end), cents in zip(bucket_ranges(edges), self.buckets)]
        return {
            "balance": self.balance / 100.0,
            "not_due": self.not_due / 100.0,
            "overdue": self.overdue / 100.0,
            "oldest_days": self.oldest_days,
            "buckets": buckets,
            "blocked": self.blocked,
        }


def empty(edges=DEFAULT_EDGES):
    return Aging(0, 0, (0,) * (len(edges) + 1), 0, False, None)


def total(agings, edges=DEFAULT_EDGES):
    """The sum of several agings (a dealer's contracts)."""
    balance = not_due = oldest = 0
    buckets = [0] * (len(edges) + 1)
    blocked = False
    for aging in agings:
        balance += aging.balance
        not_due += aging.not_due
        for index, cents in enumerate(aging.buckets):
            buckets[index] += cents
        oldest = max(oldest, aging.oldest_days)
        blocked = blocked or aging.blocked
    return Aging(balance, not_due, tuple(buckets), oldest, blocked, None)


def age(lines, as_of, edges=DEFAULT_EDGES, with_items=False):
    """The Aging of one contract's ``lines`` (Line tuples sorted by date, then id) as of the date
    ``as_of`` (datetime.date)."""
    return _age(lines, _ordinal(as_of), tuple(edges), with_items)


def age_by_contract(rows, as_of, edges=DEFAULT_EDGES, with_items=False, in_cents=False):
    """{contract_id: Aging} from ``rows`` = (contract_id, *Line) tuples sorted by contract, date,
    id (one query's result for many contracts). ``in_cents``: debit and credit are already whole
    kopecks (ints), as a query can give them."""
    as_of_ordinal = _ordinal(as_of)
    edges = tuple(edges)
    result = {}
    start, count = 0, len(rows)
    while start < count:
        contract_id = rows[start][0]
        end = start
        while end < count and rows[end][0] == contract_id:
            end += 1
        result[contract_id] = _age(rows[start:end], as_of_ordinal, edges, with_items, 1, in_cents)
        start = end
    return result


def _ordinal(value):
    """Day number of a date given as datetime.date, ISO text or day number."""
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        return _date(int(value[:4]), int(value[5:7]), int(value[8:10])).toordinal()
    return value.toordinal()


def _age(lines, as_of, edges, with_items, skip=0, in_cents=False):
    """``skip``: leading columns of each line before the Line fields."""
    heap = []          # open debts: [due, date, id, open cents]
    by_doc = {}        # 1C id -> open debt entry (the same list object as in the heap)
    earmarked = {}     # 1C id of a debt not yet posted -> cents of credit waiting for it
    debt_docs = None   # 1C ids of all debts up to as_of, gathered when a credit names one
    advance = 0        # credit not yet allocated to any debt
    balance = 0
    heappush, heappop = heapq.heappush, heapq.heappop

    def settle(cents):
        """Allocate ``cents`` of credit to the oldest open debts; returns what is left."""
        while cents and heap:
            entry = heap[0]
            if entry[3] <= cents:
                cents -= entry[3]
                entry[3] = 0
                heappop(heap)
            else:
                entry[3] -= cents
                cents = 0
        return cents

    for line in lines:
        line_id, date, due_date, debit, credit, doc_id, settles_id = line[skip:skip + 7]
        kind = type(date)
        date_ordinal = date if kind is int else date.toordinal() if kind is _date else _ordinal(date)
        if date_ordinal > as_of:
            continue
        if not in_cents:
            debit = int(round(debit * 100)) if debit else 0
            credit = int(round(credit * 100)) if credit else 0
        balance += debit - credit
        if debit:
            entry = [(due_date if type(due_date) is int else _ordinal(due_date)) if due_date
                     else date_ordinal, date_ordinal, line_id, debit]
            excess = 0
            if earmarked and doc_id in earmarked:
                waiting = earmarked.pop(doc_id)
                used = min(waiting, debit)
                entry[3] -= used
                excess = waiting - used
            if advance and entry[3]:
                used = min(advance, entry[3])
                entry[3] -= used
                advance -= used
            if entry[3]:
                heappush(heap, entry)
            if doc_id:
                by_doc[doc_id] = entry
            if excess:
                advance += settle(excess)
        if credit:
            if settles_id:
                target = by_doc.get(settles_id)
                if target is not None:
                    used = min(credit, target[3])
                    target[3] -= used   # a settled entry leaves the heap when it comes to the top
                    credit -= used
                else:
                    if debt_docs is None:   # a credit naming a debt not yet posted waits for it
                        debt_docs = {row[skip + 5] for row in lines
                                     if row[skip + 5] and row[skip + 3]
                                     and _ordinal(row[skip + 1]) <= as_of}
                    if settles_id in debt_docs:
                        earmarked[settles_id] = earmarked.get(settles_id, 0) + credit
                        credit = 0
            if credit:
                advance += settle(credit)
    # credit naming a debt posted after as_of (or never) is an advance like any other
    for cents in earmarked.values():
        advance += cents
    if advance:
        advance = settle(advance)

    last = edges[-1]
    buckets = [0] * (len(edges) + 1)
    not_due = oldest = 0
    blocked = False
    items = [] if with_items else None
    for due, date_ordinal, line_id, cents in heap:
        if not cents:
            continue
        days = as_of - due
        if days <= 0:
            not_due += cents
            days = 0
        else:
            index = 0
            while index < len(edges) and days > edges[index]:
                index += 1
            buckets[index] += cents
            if days > oldest:
                oldest = days
            if days > last:
                blocked = True
        if with_items:
            items.append(OpenItem(line_id, fromordinal(date_ordinal), fromordinal(due), cents,
                                  days))
    if with_items:
        items.sort(key=lambda item: (item.due_date, item.date, item.line_id))
    return Aging(balance, not_due, tuple(buckets), oldest, blocked, items)


def from_summary(balance, not_due, buckets, overdue_days, summary_date, as_of, edges=DEFAULT_EDGES):
    """The Aging 1C reported in its own overdue summary of ``summary_date`` (amounts as numbers,
    ``buckets`` one per overdue bucket), seen on ``as_of``. Used while no ledger line is newer than
    the summary, so its oldest overdue debt is still unpaid and has aged by the days since: the
    oldest days (and the block) follow ``as_of``; the amounts are 1C's."""
    buckets = tuple(int(round((amount or 0) * 100)) for amount in buckets)
    oldest = overdue_days or 0
    if oldest and sum(buckets):
        oldest += max(0, _ordinal(as_of) - _ordinal(summary_date))
    elif not sum(buckets):
        oldest = 0
    blocked = bool(buckets[-1] > 0 or oldest > edges[-1])
    return Aging(int(round((balance or 0) * 100)), int(round((not_due or 0) * 100)), buckets, oldest,
                 blocked, None)
