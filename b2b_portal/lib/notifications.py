"""Rules of the dealer's notification feed, without the ORM.

- ``KINDS``: what a notification is about; ``EMAIL_DEFAULTS``: whether a user who has not chosen
  gets an e-mail of each kind (on for the business events, off for plan reminders and news);
  ``parse_preferences``: what the preferences form sends, as {kind: bool} for every kind.
- ``local_url``: where opening a notification leads: a path of this site only (never another
  host, a scheme or ``//``), else the feed itself.
- ``render``: a title or body as the recipient reads it: a plain text, an English template with
  its parameters, a ``Problem`` or a callable, translated by the caller's ``translate``.
- ``page_bounds``: the feed's paging; ``plan_reminder_due``: when a dealer is reminded of a plan;
- ``excerpt``: the start of a message's text, for the body of a notification.

Messages are English templates marked with ``_``; the ORM layer translates a template in the
recipient's language and then fills in its parameters (see b2b_base's ``tools/rule_messages``).
"""
from odoo.addons.b2b_base.lib.messages import Problem, _

KINDS = ("order", "document", "debt", "act", "commission", "plan", "news", "complaint",
         "legal_entity")
KIND_LABELS = {
    "order": _("Order status"),
    "document": _("Documents"),
    "debt": _("Debt and shipment block"),
    "act": _("Reconciliation acts"),
    "commission": _("Commission reports"),
    "plan": _("Plan reminders"),
    "news": _("News and promotions"),
    "complaint": _("Complaints"),
    "legal_entity": _("Legal-entity requests"),
}
# e-mail of each kind for a user who has not chosen
EMAIL_DEFAULTS = {kind: kind not in ("plan", "news") for kind in KINDS}

FEED_URL = "/b2b/notifications"
PAGE_SIZE = 20
LATEST = 5            # on the dashboard
REMIND_DAYS = 3       # a plan is reminded of when this many days of its month are left, or fewer
KEEP_READ_DAYS = 180  # read notifications older than this leave the feed

# what the services say (the title, then the body)
ORDER_STATUS = _("Order %(order)s: %(status)s")
ORDER_STATUS_BODY = _("The status of order %(order)s is now «%(status)s».")
DOCUMENT_ARRIVED = _("New document: %(document)s")
DOCUMENT_ARRIVED_BODY = _("%(document)s of contract %(contract)s has arrived from the supplier.")
DEBT_OVERDUE = _("Overdue debt under contract %(contract)s")
DEBT_OVERDUE_BODY = _("%(amount)s is overdue under contract %(contract)s, the oldest for "
                      "%(days)s days.")
SHIPMENT_BLOCKED = _("Shipments stopped under contract %(contract)s")
SHIPMENT_BLOCKED_BODY = _("The debt under contract %(contract)s is overdue too long: %(amount)s, "
                          "the oldest for %(days)s days. Shipments resume once it is paid.")
ACT_READY = _("Reconciliation act %(request)s is ready")
ACT_READY_BODY = _("The reconciliation act of contract %(contract)s for %(date_from)s - "
                   "%(date_to)s has arrived.")
COMMISSION_APPROVED = _("Commission report %(report)s approved")
COMMISSION_APPROVED_BODY = _("The supplier approved your commission report %(report)s; the "
                             "closing documents will follow.")
PLAN_REMINDER = _("Plan «%(plan)s» is %(percent)s%% done")
PLAN_REMINDER_BODY = _("%(days)s days are left to fulfil the plan «%(plan)s» of the month.")
NEWS_PUBLISHED = _("News: %(title)s")
PROMOTION_PUBLISHED = _("Promotion: %(title)s")
COMPLAINT_STATUS = _("Complaint %(complaint)s: %(status)s")
COMPLAINT_STATUS_BODY = _("The status of complaint %(complaint)s is now «%(status)s».")
COMPLAINT_REJECTED_BODY = _("The supplier rejected complaint %(complaint)s: %(reason)s")
COMPLAINT_REPLY = _("Complaint %(complaint)s: the supplier answered")
LEGAL_APPROVED = _("Legal entity «%(name)s» approved")
LEGAL_APPROVED_BODY = _("The supplier registered «%(name)s» (INN %(inn)s); you may order for it "
                        "once it has a contract.")
LEGAL_REJECTED = _("Legal entity «%(name)s» rejected")
LEGAL_REJECTED_BODY = _("The manager's reason: %(reason)s")


def parse_preferences(form):
    """{kind: e-mail on} for every kind from a submitted form: a kind is on when the form has
    ``email_<kind>`` (a checked box), off otherwise; other keys are ignored."""
    return {kind: bool(form.get("email_%s" % kind)) for kind in KINDS}


def local_url(url):
    """``url`` when it is a path of this site ("/b2b/orders/7"), else the feed's own path."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith("//") or "\\" in url or any(
            ord(char) < 32 for char in url):
        return FEED_URL
    return url


def render(value, translate):
    """The text of a title or body for one recipient: ``value`` is a plain string (an English
    source, translated when it has a translation, else shown as it is), a ``(template, params)``
    pair, a ``Problem`` or a callable taking ``translate``. A parameter may itself be a callable
    taking ``translate`` (e.g. a status label to be read in the recipient's language)."""
    if value is None or value is False:
        return ""
    if callable(value):
        return render(value(translate), translate)
    if isinstance(value, Problem):
        value = (value.template, value.params)
    if isinstance(value, (tuple, list)):
        template, params = value
        params = {key: (item(translate) if callable(item) else item)
                  for key, item in (params or {}).items()}
        return translate(template) % params
    return translate(value)


def page_bounds(total, page, size=PAGE_SIZE):
    """(page, offset, pages) of the feed: ``page`` brought within 1..pages (pages >= 1)."""
    pages = max(1, -(-int(total) // size))
    try:
        page = int(page)
    except (TypeError, ValueError):
        page = 1
    page = min(max(page, 1), pages)
    return page, (page - 1) * size, pages


def plan_reminder_due(percent, days_left, reminded, remind_days=REMIND_DAYS):
    """Whether a dealer is reminded of a plan now: not yet fulfilled, in its last
    ``remind_days`` days (but not over), and not reminded of it before."""
    return not reminded and percent < 100.0 and 0 < days_left <= remind_days


def excerpt(text, limit=200):
    """The first ``limit`` characters of ``text`` (plain text, its whitespace folded), with "…"
    when it was cut."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
