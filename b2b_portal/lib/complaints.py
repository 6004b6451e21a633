"""Complaints (рекламации) of the dealers about goods: the rules, without Odoo.

- ``validate_form``: the portal's form (the product by SKU or from an order line, the quantity,
  the defect, the resolution wanted) checked field by field; each problem is a ``Problem`` of
  b2b_base's lib/messages.py paired with the form field it is about, so that the page shows it
  beside the field ("Quantity: ..."). The photos are checked by b2b_base's lib/images.py.
- ``check_step``: the way a complaint goes: new -> in review -> accepted or rejected (with a
  reason) -> resolved (an accepted one).
"""
from odoo.addons.b2b_base.lib.messages import Problem, _

from .sku_list import parse_qty_text

MAX_DESCRIPTION = 4000
MAX_REASON = 2000

# the states of a complaint, in the order it goes through them
NEW, IN_REVIEW, ACCEPTED, REJECTED, RESOLVED = "new", "in_review", "accepted", "rejected", "resolved"
STATES = (NEW, IN_REVIEW, ACCEPTED, REJECTED, RESOLVED)
STEPS = {NEW: (IN_REVIEW,), IN_REVIEW: (ACCEPTED, REJECTED), ACCEPTED: (RESOLVED,)}
# the statuses as the dealer reads them (the notification feed)
STATE_LABELS = {NEW: _("Filed"), IN_REVIEW: _("In review"), ACCEPTED: _("Accepted"),
                REJECTED: _("Rejected"), RESOLVED: _("Resolved")}

# what the dealer wants done
RESOLUTIONS = ("replace", "refund", "repair", "discount")

# the form's fields and their labels (the place of a problem)
PRODUCT, QTY, DESCRIPTION, RESOLUTION, PHOTOS, REASON = (
    "product", "qty", "description", "resolution", "photos", "reason")
FIELD_LABELS = {
    PRODUCT: _("Product"),
    QTY: _("Quantity"),
    DESCRIPTION: _("Defect"),
    RESOLUTION: _("Resolution wanted"),
    PHOTOS: _("Photos"),
    REASON: _("Reason"),
}
AT_FIELD = _("%(field)s: %(message)s")

NO_SKU = _("write the SKU of the product.")
UNKNOWN_SKU = _('there is no product with the SKU "%(sku)s".')
NO_QTY = _("write the quantity of defective goods.")
BAD_QTY = _('the quantity "%(qty)s" is not a number.')
QTY_NOT_POSITIVE = _("the quantity must be more than 0.")
QTY_OVER_LINE = _("at most %(max)s, the quantity of the order line.")
NO_DESCRIPTION = _("describe the defect.")
TOO_LONG = _("at most %(max)s characters (now %(length)s).")
NO_RESOLUTION = _("choose what you want: a replacement, a refund, a repair or a discount.")
NO_REASON = _("write why the complaint is rejected: the dealer reads it.")
BAD_STEP = _("a complaint that is %(state)s cannot become %(target)s.")


def render_located(field, problem, translate=lambda text: text):
    """The problem preceded by the label of its field: "Quantity: at most 3: ..."."""
    return translate(AT_FIELD) % {"field": translate(FIELD_LABELS[field]),
                                  "message": problem.message(translate)}


def _number(value):
    return ("%.3f" % value).rstrip("0").rstrip(".")


def validate_form(form, line_qty=None, product_known=True):
    """Check the portal's form.

    ``form``: {sku, qty, description, resolution} as posted (strings or None); ``line_qty``:
    the quantity of the order line the complaint is about (None for a standalone complaint,
    whose product is named by ``sku``); ``product_known``: whether the SKU names a product (the
    caller looked it up).

    Returns ``(values, problems)``: ``values`` {qty (float), description, resolution} when there
    is no problem, ``problems`` [(field, Problem)] (nothing is to be saved when there is one)."""
    problems = []
    if line_qty is None:
        sku = str(form.get("sku") or "").strip()
        if not sku:
            problems.append((PRODUCT, Problem(NO_SKU)))
        elif not product_known:
            problems.append((PRODUCT, Problem(UNKNOWN_SKU, {"sku": sku})))

    raw_qty = str(form.get("qty") or "").strip()
    qty = None
    if not raw_qty:
        problems.append((QTY, Problem(NO_QTY)))
    else:
        qty = parse_qty_text(raw_qty)
        if qty is None:
            problems.append((QTY, Problem(BAD_QTY, {"qty": raw_qty})))
        elif qty <= 0:
            problems.append((QTY, Problem(QTY_NOT_POSITIVE)))
        elif line_qty is not None and qty > line_qty + 1e-9:
            problems.append((QTY, Problem(QTY_OVER_LINE, {"max": _number(line_qty)})))

    description = str(form.get("description") or "").strip().replace("\r\n", "\n")
    if not description:
        problems.append((DESCRIPTION, Problem(NO_DESCRIPTION)))
    elif len(description) > MAX_DESCRIPTION:
        problems.append((DESCRIPTION, Problem(TOO_LONG, {"max": MAX_DESCRIPTION,
                                                         "length": len(description)})))

    resolution = str(form.get("resolution") or "").strip()
    if resolution not in RESOLUTIONS:
        problems.append((RESOLUTION, Problem(NO_RESOLUTION)))
    if problems:
        return None, problems
    return {"qty": qty, "description": description, "resolution": resolution}, []


def check_step(state, target, reason=None):
    """The problems of moving a complaint from ``state`` to ``target`` ([(field, Problem)], none
    when it may): only the next steps, and a rejection only with its ``reason``."""
    if target not in STEPS.get(state, ()):
        return [(None, Problem(BAD_STEP, {"state": state, "target": target}))]
    if target == REJECTED:
        reason = str(reason or "").strip()
        if not reason:
            return [(REASON, Problem(NO_REASON))]
        if len(reason) > MAX_REASON:
            return [(REASON, Problem(TOO_LONG, {"max": MAX_REASON, "length": len(reason)}))]
    return []
