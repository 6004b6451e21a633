"""A contract's settlement ledger for a period: opening balance, lines with the running balance,
turnover and closing balance (what the finance page and the reconciliation act print).

Sign convention: debit raises the dealer's debt to the supplier, credit lowers it; a positive
balance is what the dealer owes."""
from collections import namedtuple
from decimal import Decimal

Statement = namedtuple("Statement", "opening lines debit credit closing")
StatementLine = namedtuple("StatementLine", "row balance")


def _money(value):
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def statement(opening, rows):
    """``rows``: the period's lines in date order, each a mapping with ``debit`` and ``credit``.
    Returns a Statement whose amounts are Decimals rounded to kopecks."""
    balance = _money(opening)
    debit = credit = Decimal("0.00")
    lines = []
    for row in rows:
        row_debit, row_credit = _money(row["debit"]), _money(row["credit"])
        debit += row_debit
        credit += row_credit
        balance += row_debit - row_credit
        lines.append(StatementLine(row, balance))
    return Statement(_money(opening), lines, debit, credit, balance)
