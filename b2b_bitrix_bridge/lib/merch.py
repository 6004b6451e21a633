"""Merchandising requests of the dealers (a shop fitting, a stand, posters, branded goods for an
outlet) as Bitrix24 sees them: the rules, without Odoo.

- ``validate_form``: the portal's form (outlet, address, what is wanted, photos) checked field by
  field; each problem is a ``Problem`` of b2b_base's lib/messages.py, paired with the form field it
  is about, so that the page shows it beside the field ("What is wanted: ...").
- the photos are checked by b2b_base's lib/images.py (``photo_type``, ``check_photos``: images
  only, by their bytes, size-limited, counted), the one check of the suite's uploaded pictures.
- ``comments``: the COMMENTS of the lead or deal, in Bitrix24's BB-code, the dealer's text
  escaped so that it cannot make markup of its own.
- ``crm_fields``: the fields of ``crm.lead.add`` or ``crm.deal.add`` for a request.
- ``lead_state`` / ``deal_state``: a lead's STATUS_ID or a deal's STAGE_SEMANTIC_ID as the state
  of the request the dealer sees.
"""
from odoo.addons.b2b_base.lib import images
from odoo.addons.b2b_base.lib.images import (  # noqa: F401 (the photo rules, named here too)
    MAX_PHOTO_SIZE, MAX_PHOTOS, NOT_IMAGE, TOO_BIG, TOO_MANY, photo_type)
from odoo.addons.b2b_base.lib.messages import Problem, _

ORIGINATOR_ID = "b2b_portal"
ORIGIN_MODEL = "b2b.merch.request"

MAX_WANTED = 4000
MAX_LINE = 300  # the outlet's name, the address

# the states of a request, in the order it goes through them
QUEUED, SENT, IN_PROGRESS, DONE, REFUSED = "queued", "sent", "in_progress", "done", "refused"
STATES = (QUEUED, SENT, IN_PROGRESS, DONE, REFUSED)

# the form's fields and their labels (the place of a problem)
OUTLET, ADDRESS, WANTED, PHOTOS = "outlet", "address", "wanted", "photos"
FIELD_LABELS = {
    OUTLET: _("Outlet"),
    ADDRESS: _("Address"),
    WANTED: _("What is wanted"),
    PHOTOS: _("Photos"),
}
AT_FIELD = _("%(field)s: %(message)s")

NO_OUTLET = _("choose the outlet from the list or write its name.")
UNKNOWN_OUTLET = _("the chosen outlet is not one of your company's; choose it again.")
TOO_LONG = _("at most %(max)s characters (now %(length)s).")
NO_ADDRESS = _("write the outlet's address.")
NO_WANTED = _("describe what is wanted.")

# Bitrix24's lead statuses (crm.status.list ENTITY_ID=STATUS) of the standard lead funnel
LEAD_STATES = {
    "NEW": SENT,
    "IN_PROCESS": IN_PROGRESS,
    "PROCESSED": IN_PROGRESS,
    "CONVERTED": DONE,
    "JUNK": REFUSED,
}
# the semantics of a status or a stage: P in progress, S success, F failure
SEMANTIC_STATES = {"S": DONE, "F": REFUSED}


def render_located(field, problem, translate=lambda text: text):
    """The problem preceded by the label of its field: "What is wanted: describe ..."."""
    return translate(AT_FIELD) % {"field": translate(FIELD_LABELS[field]),
                                  "message": problem.message(translate)}


def _text(value):
    return " ".join(str(value or "").split()) if value is not None else ""


def validate_form(form, outlets, photos):
    """Check the portal's form.

    ``form``: {outlet_id, outlet_name, address, wanted} as posted (strings or None);
    ``outlets``: {partner id: its address} of the outlets the user may choose;
    ``photos``: [(file name, size in bytes, first bytes)] of the files attached (an empty file
    input is left out by the caller).

    Returns ``(values, problems)``: ``values`` {outlet_id (int or None), outlet_name, address,
    wanted, photo_types: [mimetype]} when there is no problem, ``problems`` [(field, Problem)]
    (nothing is to be saved when there is one)."""
    problems = []
    outlet_id = None
    raw_id = str(form.get("outlet_id") or "").strip()
    if raw_id:
        try:
            outlet_id = int(raw_id)
        except ValueError:
            outlet_id = -1
        if outlet_id not in outlets:
            problems.append((OUTLET, Problem(UNKNOWN_OUTLET)))
    outlet_name = _text(form.get("outlet_name"))
    if not raw_id and not outlet_name:
        problems.append((OUTLET, Problem(NO_OUTLET)))
    elif len(outlet_name) > MAX_LINE:
        problems.append((OUTLET, Problem(TOO_LONG, {"max": MAX_LINE, "length": len(outlet_name)})))

    address = _text(form.get("address"))
    if not address and outlet_id in outlets:
        address = _text(outlets[outlet_id])
    if not address:
        problems.append((ADDRESS, Problem(NO_ADDRESS)))
    elif len(address) > MAX_LINE:
        problems.append((ADDRESS, Problem(TOO_LONG, {"max": MAX_LINE, "length": len(address)})))

    wanted = str(form.get("wanted") or "").strip().replace("\r\n", "\n")
    if not wanted:
        problems.append((WANTED, Problem(NO_WANTED)))
    elif len(wanted) > MAX_WANTED:
        problems.append((WANTED, Problem(TOO_LONG, {"max": MAX_WANTED, "length": len(wanted)})))

    photo_types, photo_problems = images.check_photos(photos, MAX_PHOTOS, MAX_PHOTO_SIZE)
    problems.extend((PHOTOS, problem) for problem in photo_problems)
    if problems:
        return None, problems
    return {"outlet_id": outlet_id, "outlet_name": outlet_name, "address": address,
            "wanted": wanted, "photo_types": photo_types}, []


def bb_escape(text):
    """The dealer's text as BB-code shows it: brackets and HTML's specials as entities (a "[url]"
    or "<script>" typed in the form stays text), line breaks kept."""
    text = str(text or "")
    for char, entity in (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"),
                         ("[", "&#91;"), ("]", "&#93;")):
        text = text.replace(char, entity)
    return text.replace("\r\n", "\n")


def comments(request, labels=None):
    """COMMENTS of the lead or deal (BB-code): the dealer, the outlet, the address, who asked, what
    is wanted and a link to each photo.

    ``request``: {dealer, outlet, address, author, wanted, photos: [(file name, url)], url (the
    request in Odoo's backend, optional)}; ``labels`` the headings (the managers' language),
    English by default."""
    labels = dict({"dealer": "Dealer", "outlet": "Outlet", "address": "Address",
                   "author": "Filed by", "wanted": "What is wanted", "photos": "Photos",
                   "odoo": "The request in Odoo"}, **(labels or {}))
    lines = []
    for key in ("dealer", "outlet", "address", "author"):
        if request.get(key):
            lines.append("[b]%s:[/b] %s" % (labels[key], bb_escape(request[key])))
    lines.append("[b]%s:[/b]" % labels["wanted"])
    lines.append(bb_escape(request.get("wanted")))
    photos = request.get("photos") or []
    if photos:
        lines.append("[b]%s:[/b]" % labels["photos"])
        for number, (name, url) in enumerate(photos, 1):
            lines.append("%d. [url=%s]%s[/url]" % (number, bb_escape(url), bb_escape(name)))
    if request.get("url"):
        lines.append("[url=%s]%s[/url]" % (bb_escape(request["url"]), labels["odoo"]))
    return "\n".join(lines)


def origin_id(request_id):
    """ORIGIN_ID of the request's lead or deal: found again by it, never made twice."""
    return "%s:%d" % (ORIGIN_MODEL, request_id)


def crm_fields(request, settings, labels=None):
    """(method, fields) that make the request's lead or deal in Bitrix24.

    ``request``: the dict of ``comments`` plus id, title, company_id (the dealer's CRM company,
    or None), assigned_id (the manager's Bitrix24 user, or None); ``settings``: merch_target
    ("lead" or "deal"), merch_category_id, merch_stage_id."""
    fields = {
        "TITLE": request["title"],
        "ORIGINATOR_ID": ORIGINATOR_ID,
        "ORIGIN_ID": origin_id(request["id"]),
        "COMMENTS": comments(request, labels),
    }
    if request.get("company_id"):
        fields["COMPANY_ID"] = int(request["company_id"])
    if request.get("assigned_id"):
        fields["ASSIGNED_BY_ID"] = int(request["assigned_id"])
    if settings.get("merch_target") == "deal":
        fields["CATEGORY_ID"] = int(settings.get("merch_category_id") or 0)
        if settings.get("merch_stage_id"):
            fields["STAGE_ID"] = settings["merch_stage_id"]
        return "crm.deal.add", fields
    fields["STATUS_ID"] = "NEW"
    fields["SOURCE_ID"] = "WEB"
    if request.get("dealer") and not request.get("company_id"):
        fields["COMPANY_TITLE"] = request["dealer"]
    return "crm.lead.add", fields


def lead_state(lead):
    """(state, status) of a request from its lead (crm.lead.get's dict): NEW is sent, CONVERTED
    done, JUNK refused, any other status (a portal's own, UC_...) in progress unless its
    semantics says success or failure. ``status`` is the raw STATUS_ID, to show."""
    status = str(lead.get("STATUS_ID") or "").strip()
    semantic = str(lead.get("STATUS_SEMANTIC_ID") or "").strip().upper()
    if semantic in SEMANTIC_STATES:
        return SEMANTIC_STATES[semantic], status
    return LEAD_STATES.get(status.upper(), IN_PROGRESS), status


def deal_state(deal, first_stage=None):
    """(state, stage) of a request from its deal (crm.deal.get's dict): won done, failed refused,
    in progress otherwise, or sent while it is still in ``first_stage`` (where the portal put
    it)."""
    stage = str(deal.get("STAGE_ID") or "").strip()
    semantic = str(deal.get("STAGE_SEMANTIC_ID") or "").strip().upper()
    if semantic in SEMANTIC_STATES:
        return SEMANTIC_STATES[semantic], stage
    if first_stage and stage == first_stage:
        return SENT, stage
    return IN_PROGRESS, stage


def status_to_show(state, status):
    """The raw status or stage to show beside an "in progress" state: a portal's own one
    (UC_..., a funnel's stage), not the standard ones the state already says."""
    status = str(status or "").strip()
    if state != IN_PROGRESS or status.upper() in LEAD_STATES:
        return ""
    return status


def parse_origin(value):
    """The request id an ORIGIN_ID names ("b2b.merch.request:7" -> 7), or None."""
    prefix = ORIGIN_MODEL + ":"
    value = str(value or "")
    if not value.startswith(prefix):
        return None
    rest = value[len(prefix):]
    return int(rest) if rest.isdigit() else None
