"""What a dealer's user may call through Odoo's generic entry points, and how long a dealer's
request may run.

Odoo's web client reaches every model through a few generic routes (``/web/dataset/*``,
``/web/export/*``, ``/web/action/*``), and scripts through the object service of ``/xmlrpc/*`` and
``/jsonrpc``. A dealer's users (portal users) need none of that: the portal's pages call the suite's
own routes. What they may still call there is an explicit allow-list of model/method pairs: the
pairs below, which Odoo's own portal pages use, and the dealer API an addon declares on its model
as ``_b2b_dealer_rpc`` (a tuple of method names, e.g. the cart's ``b2b_set_lines``). Everything
else answers 403, before any record is read.
"""
from .messages import _

# Odoo's portal pages ask the server whether the user is in a group (web's frontend session).
ODOO_PORTAL_CALLS = frozenset([("res.users", "has_group")])

# The generic routes of Odoo's web client; under these prefixes only allow-listed calls pass.
GENERIC_PREFIXES = ("/web/dataset/", "/web/export/", "/web/action/")

# The routes that name the model and the method in their parameters (the method of the others is
# fixed by the route: search_read reads, load reads one record, resequence writes).
_CALL_ROUTES = ("/web/dataset/call_kw", "/web/dataset/call", "/web/dataset/call_button")
_FIXED_METHOD = {
    "/web/dataset/search_read": "search_read",
    "/web/dataset/load": "read",
    "/web/dataset/resequence": "write",
}

# The paths where a dealer's request is not bounded in time: the live bus holds a poll open for
# up to 50 seconds by design, waiting (not working) for a notification.
UNBOUNDED_PREFIXES = ("/longpolling/",)

# A dealer's request that runs longer than this is stopped (setting b2b_base.dealer_request_seconds)
DEFAULT_REQUEST_SECONDS = 30

REFUSED = _("Dealers' users cannot call %(model)s.%(method)s through Odoo's generic RPC: "
            "use the portal's pages")
REFUSED_ROUTE = _("Dealers' users cannot use %(path)s: use the portal's pages")
TIMED_OUT = _("The request took longer than %(seconds)s seconds and was stopped; nothing of it "
              "was saved. Try again with less data, or later.")


def generic_call(path, params):
    """The (model, method) a generic web-client route ``path`` would run with JSON ``params``;
    (None, None) for a generic route that names no model/method pair (always refused to dealers);
    False for a route that is not generic."""
    if not path.startswith(GENERIC_PREFIXES):
        return False
    params = params if isinstance(params, dict) else {}
    model = params.get("model")
    model = model if isinstance(model, str) else None
    if path in _CALL_ROUTES or path.startswith("/web/dataset/call_kw/"):
        method = params.get("method")
        return model, method if isinstance(method, str) else None
    if path in _FIXED_METHOD:
        return model, _FIXED_METHOD[path]
    return None, None


def allowed(model, method, dealer_api=()):
    """Whether a dealer's user may call ``model.method`` through a generic entry point:
    ``dealer_api`` is the model's declared dealer API (its ``_b2b_dealer_rpc``)."""
    if not model or not method or method.startswith("_"):
        return False
    return (model, method) in ODOO_PORTAL_CALLS or method in tuple(dealer_api or ())


def bounded(path):
    """Whether a dealer's request to ``path`` is bounded in time."""
    return not path.startswith(UNBOUNDED_PREFIXES)


def request_seconds(value):
    """The time bound of a dealer's request from the setting's text ``value`` (seconds, > 0);
    the default when it is empty or not a positive number."""
    try:
        seconds = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        return DEFAULT_REQUEST_SECONDS
    if seconds != seconds or seconds <= 0:  # NaN or not positive
        return DEFAULT_REQUEST_SECONDS
    return seconds
