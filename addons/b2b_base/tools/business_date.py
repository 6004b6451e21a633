"""The supplier's date: one "today" for every user, worker and scheduled job.

Whether a debt is overdue, a delivery is blocked, an act's period ends in the future or a desired
delivery date has passed must not depend on who asks: a dealer in Vladivostok, an accountant in
Kaliningrad and the nightly job (which runs without a time zone) see the same day. That day is the
date in the time zone of the supplier's company (the time zone of its partner record, set on the
company's contact), or in UTC when none is set.
"""
import datetime

import pytz

from odoo import fields


def business_tz(env):
    """The supplier's time zone (pytz), from the company of ``env``'s user."""
    name = env.user.sudo().company_id.partner_id.tz
    try:
        return pytz.timezone(name) if name else pytz.utc
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def today(env, now=None):
    """The supplier's date (a ``datetime.date``) at ``now`` (UTC, naive or aware; default: now)."""
    now = now or datetime.datetime.utcnow()
    if now.tzinfo is None:
        now = pytz.utc.localize(now)
    return now.astimezone(business_tz(env)).date()


def today_string(env):
    """``today(env)`` as Odoo's date string (YYYY-MM-DD), for date fields' defaults."""
    return fields.Date.to_string(today(env))


def default_today(model):
    """A date field's default: ``default=business_date.default_today``."""
    return today_string(model.env)
