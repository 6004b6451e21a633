"""Rules of monthly plans (товар месяца) and seasonal commitments that need no ORM: the period of a
plan in the supplier's time zone, the fulfilment of a line and of a plan, the quantity still
missing and the days left (imported by the models, tested by pytest)."""
import calendar
import datetime
import math

import pytz

PERCENT_DIGITS = 1


def month_end(month):
    """The last day (``datetime.date``) of the month of ``month`` (a date)."""
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def period_bounds(date_from, date_to, tz):
    """The plan's period from ``date_from`` to ``date_to`` (dates, both days included) in the
    supplier's time zone ``tz`` (a pytz zone) as naive UTC datetimes ``(start, end)``, ``end``
    excluded: an order counts when ``start <= date_order < end``. So an order placed at 23:59 of
    the last day (in the supplier's time zone) counts, one placed at 00:00 of the next day does
    not, whatever the UTC offset."""
    tz = tz or pytz.utc

    def midnight(day):
        local = tz.localize(datetime.datetime(day.year, day.month, day.day))
        return local.astimezone(pytz.utc).replace(tzinfo=None)
    return midnight(date_from), midnight(date_to + datetime.timedelta(days=1))


def days_left(date_from, date_to, today):
    """Days left to fulfil a plan from ``date_from`` to ``date_to`` on the supplier's ``today``,
    today included: the whole period before it starts, 1 on its last day, 0 once it is over."""
    start = max(today, date_from)
    return max(0, (date_to - start).days + 1)


def line_percent(qty_planned, qty_done, amount_planned, amount_done):
    """How far a line is fulfilled, in % (may exceed 100): by quantity when the line plans a
    quantity, otherwise by amount; 0 for a line that plans neither."""
    if qty_planned and qty_planned > 0:
        return round(100.0 * (qty_done or 0.0) / qty_planned, PERCENT_DIGITS)
    if amount_planned and amount_planned > 0:
        return round(100.0 * (amount_done or 0.0) / amount_planned, PERCENT_DIGITS)
    return 0.0


def plan_percent(line_percents):
    """How far a plan is fulfilled, in %: the mean of its lines' percentages, each counted up to
    100 (a line bought twice over does not make up for another not bought at all); 0 for a plan
    without lines."""
    values = [min(100.0, p) for p in line_percents]
    if not values:
        return 0.0
    return round(sum(values) / len(values), PERCENT_DIGITS)


def missing_qty(qty_planned, qty_done, amount_planned=0.0, amount_done=0.0, unit_price=0.0):
    """The quantity still to buy to fulfil a line: the planned quantity less the quantity done;
    for a line that plans only an amount, the missing amount in whole units at ``unit_price``
    (0 when the price is not known). Never negative."""
    if qty_planned and qty_planned > 0:
        return max(0.0, round(qty_planned - (qty_done or 0.0), 3))
    if amount_planned and amount_planned > 0 and unit_price and unit_price > 0:
        short = amount_planned - (amount_done or 0.0)
        return float(math.ceil(round(short / unit_price, 6))) if short > 0 else 0.0
    return 0.0
