"""Which routes the suite's controllers serve, read from Odoo's own routing map, and what kind of
route each one is for the isolation matrix (tests/test_isolation_matrix.py).

``suite_routes(db)`` imports Odoo in a fresh interpreter the way runtime/launcher.py does (the
Python 3.11 compatibility layer first; in pytest ``odoo`` is only the alias package of the
top-level conftest.py), imports every module installed in ``db``, builds
``odoo.http.routing_map(<installed modules>, False)`` and keeps the rules whose endpoint is a
function of one of the suite's addons (``odoo.addons.b2b_*``): new routes and overrides of Odoo's
routes (``/web``, ``/my``) are found without a list kept by hand.

``ROUTES`` classifies each of them, keyed ``"<methods> <rule>"`` (methods without HEAD, ``ANY``
when the route takes every method). A route missing here fails the matrix with the key to add.
"""
import json
import os
import subprocess
import sys

from b2b_http import ROOT

# what a route is, for the matrix
PUBLIC = "public"            # a page any logged-in user may open (the dealer's home, the web client)
PAGE = "dealer page"          # a dealer page without a record id in its path (ids only in the query)
RECORD = "dealer record page"  # a dealer page or download with a record id in its path
FORM = "dealer form"          # a dealer's POST form (CSRF token), ids in the path and the form
JSON = "dealer JSON"          # a dealer's JSON-RPC endpoint, ids in the params
MACHINE_1C = "1C machine endpoint"          # CommerceML exchange: HTTP Basic of the exchange user
MACHINE_BITRIX = "Bitrix24 machine endpoint"  # Bitrix24's webhook: its application token
BACKEND = "backend only"      # for the supplier's staff; a dealer's call must be refused

KINDS = (PUBLIC, PAGE, RECORD, FORM, JSON, MACHINE_1C, MACHINE_BITRIX, BACKEND)

ROUTES = {
    # the web client and the portal home, overridden by b2b_portal
    "ANY /web": PUBLIC,
    "ANY /my": PUBLIC,
    "ANY /my/home": PUBLIC,
    # catalog
    "ANY /b2b/catalog": PAGE,
    "ANY /b2b/catalog/page/<int:page>": PAGE,
    "ANY /b2b/product/<int:product_id>": RECORD,
    "ANY /b2b/product/<int:product_id>/image": RECORD,
    "ANY /b2b/product/<int:product_id>/file/<int:attachment_id>": RECORD,
    "ANY /b2b/manager/<int:manager_id>/image": RECORD,
    "ANY /b2b/cart/add": JSON,
    "ANY /b2b/favourite/toggle": JSON,
    "ANY /b2b/suggest": JSON,
    # cart, order by file, saved carts
    "ANY /b2b/cart": PAGE,
    "ANY /b2b/cart/update": JSON,
    "ANY /b2b/cart/quick_add": JSON,
    "ANY /b2b/cart/paste": JSON,
    "POST /b2b/cart/checkout": FORM,
    "ANY /b2b/cart/placed/<int:order_id>": RECORD,
    "ANY /b2b/cart/template.xlsx": PAGE,
    "GET /b2b/cart/upload": PAGE,
    "POST /b2b/cart/upload": FORM,
    "ANY /b2b/cart/upload/<int:upload_id>": RECORD,
    "POST /b2b/cart/upload/<int:upload_id>/confirm": FORM,
    "POST /b2b/cart/upload/<int:upload_id>/sheet": FORM,
    "ANY /b2b/cart/upload/<int:upload_id>/marked.xlsx": RECORD,
    "ANY /b2b/saved": PAGE,
    "POST /b2b/cart/save": FORM,
    "POST /b2b/saved/<int:saved_id>/restore": FORM,
    "POST /b2b/saved/<int:saved_id>/delete": FORM,
    "POST /b2b/contract/switch": FORM,
    # orders
    "ANY /b2b/orders": PAGE,
    "ANY /b2b/orders/page/<int:page>": PAGE,
    "ANY /b2b/orders/<int:order_id>": RECORD,
    "GET /b2b/orders/<int:order_id>/edit": RECORD,
    "POST /b2b/orders/<int:order_id>/edit": FORM,
    "POST /b2b/orders/<int:order_id>/cancel": FORM,
    "POST /b2b/orders/<int:order_id>/copy": FORM,
    # finance and documents
    "ANY /b2b/finance": PAGE,
    "ANY /b2b/finance/ledger.xlsx": PAGE,
    "ANY /b2b/finance/quarter": PAGE,
    "GET /b2b/acts": PAGE,
    "GET /b2b/acts/page/<int:page>": PAGE,
    "POST /b2b/acts": FORM,
    "ANY /b2b/documents": PAGE,
    "ANY /b2b/documents/page/<int:page>": PAGE,
    "ANY /b2b/document/<int:document_id>": RECORD,
    # purchase statistics: the page and its xlsx file (the contract only in the query)
    "GET /b2b/stats": PAGE,
    "GET /b2b/stats/export.xlsx": PAGE,
    # bonuses (b2b_portal_bonus): the dealer's points, their history and plans
    "ANY /b2b/bonus": PAGE,
    "ANY /b2b/bonus/page/<int:page>": PAGE,
    "ANY /b2b/plans": PAGE,
    "POST /b2b/plans/accept": FORM,
    "POST /b2b/plans/fill": FORM,
    # commission agents (b2b_portal_commission): consignment lists, report forms and reports
    "ANY /b2b/commission": PAGE,
    "ANY /b2b/commission/<int:contract_id>/list.xlsx": RECORD,
    "POST /b2b/commission/upload": FORM,
    "ANY /b2b/commission/report/<int:report_id>": RECORD,
    "POST /b2b/commission/report/<int:report_id>/submit": FORM,
    "POST /b2b/commission/report/<int:report_id>/reset": FORM,
    "POST /b2b/commission/report/<int:report_id>/delete": FORM,
    # the dealer's staff (the dealer's administrator)
    "GET /b2b/staff": PAGE,
    "POST /b2b/staff/invite": FORM,
    "POST /b2b/staff/<int:user_id>/update": FORM,
    "POST /b2b/staff/<int:user_id>/block": FORM,
    "POST /b2b/staff/<int:user_id>/unblock": FORM,
    # merchandising requests (b2b_portal_bitrix); a photo opens by its request's key only
    "ANY /b2b/merch": PAGE,
    "GET /b2b/merch/new": PAGE,
    "POST /b2b/merch/new": FORM,
    "ANY /b2b/merch/<int:merch_id>": RECORD,
    "ANY /b2b/merch/photo/<int:attachment_id>": RECORD,
    # the chat with the manager (b2b_portal_bitrix): the chat is always the caller's dealer's; a
    # file opens by its signed link only
    "ANY /b2b/chat": PAGE,
    "POST /b2b/chat/post": FORM,
    "ANY /b2b/chat/history": JSON,
    "ANY /b2b/chat/read": JSON,
    "ANY /b2b/chat/unread": JSON,
    "ANY /b2b/chat/file/<int:attachment_id>": RECORD,
    "POST /b2b/chat/resend/<int:message_id>": FORM,
    # the supplier's files library and news (b2b_portal): for all dealers or for segments
    "ANY /b2b/files": PAGE,
    "ANY /b2b/files/<int:file_id>": RECORD,
    "ANY /b2b/files/<int:file_id>/download": RECORD,
    "ANY /b2b/files/<int:file_id>/version/<int:version_id>": RECORD,
    "ANY /b2b/news": PAGE,
    "ANY /b2b/news/<int:news_id>": RECORD,
    # complaints: the dealer's own; a photo for the dealer's users or by its complaint's key
    "ANY /b2b/complaints": PAGE,
    "GET /b2b/complaints/new": PAGE,
    "POST /b2b/complaints/new": FORM,
    "ANY /b2b/complaints/<int:complaint_id>": RECORD,
    "POST /b2b/complaints/<int:complaint_id>/reply": FORM,
    "ANY /b2b/complaints/photo/<int:photo_id>": RECORD,
    # new legal entities (the dealer's administrator): the dealer's entities and its requests
    "GET /b2b/legal-entities": PAGE,
    "GET /b2b/legal-entities/new": PAGE,
    "POST /b2b/legal-entities/new": FORM,
    "GET /b2b/legal-entities/<int:entity_request_id>": RECORD,
    # the notification feed: the user's own notifications only (another's answers 404)
    "GET /b2b/notifications": PAGE,
    "GET /b2b/notifications/page/<int:page>": PAGE,
    "GET /b2b/notifications/<int:notification_id>": RECORD,
    "POST /b2b/notifications/read_all": FORM,
    "POST /b2b/notifications/preferences": FORM,
    "ANY /b2b/notifications/unread": JSON,
    # machines
    "GET,POST /b2b/1c/exchange": MACHINE_1C,
    "POST /b2b/bitrix/event": MACHINE_BITRIX,
    # the local application's installation: believed only for the configured portal, whose
    # profile must answer to the posted token
    "POST /b2b/bitrix/install": MACHINE_BITRIX,
}

# a path variable -> which record of dealer B goes there (keys of the matrix's dealer B)
PATH_VARIABLES = {
    "page": "page",
    "order_id": "order",
    "upload_id": "upload",
    "saved_id": "saved",
    "user_id": "user",
    "manager_id": "manager",
    "document_id": "document",
    "product_id": "product",
    "attachment_id": "attachment",
    "contract_id": "contract",
    "report_id": "report",
    # B's merchandising request (its order when the suite has no merchandising requests)
    "merch_id": "merch",
    # a file of the library, its version and a news item meant for dealer B only
    "file_id": "file",
    "version_id": "file_version",
    "news_id": "news",
    # B's complaint and its photo
    "complaint_id": "complaint",
    "photo_id": "complaint_photo",
    # B's request for a new legal entity
    "entity_request_id": "legal_request",
    # a notification of B's buyer
    "notification_id": "notification",
    # a chat message of B's buyer that Bitrix24 refused (its order when the suite has no chat)
    "message_id": "chat_message",
}

_ENUMERATE = r"""
import json, os, sys, warnings
root, db = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(root, "runtime"))
warnings.filterwarnings("ignore")
import b2b_compat
b2b_compat.apply()
from launcher import render_config
import odoo
import psycopg2
conf = render_config(os.path.join(root, "odoo.conf"),
                     os.path.join(root, ".run", "routes-%d.conf" % os.getpid()))
try:
    odoo.tools.config.parse_config(["-c", conf, "-d", db])
finally:
    os.remove(conf)
c = odoo.tools.config
cn = psycopg2.connect(host=c["db_host"], port=c["db_port"], user=c["db_user"],
                      password=c["db_password"], dbname=db)
with cn.cursor() as cr:
    cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed'")
    installed = sorted(r[0] for r in cr.fetchall())
cn.close()
for name in installed:
    odoo.modules.module.load_openerp_module(name)
routes = []
for rule in odoo.http.routing_map(installed, False).iter_rules():
    function = rule.endpoint.method.__func__
    if not function.__module__.startswith("odoo.addons.b2b_"):
        continue
    routing = rule.endpoint.routing
    methods = sorted(m for m in (rule.methods or ()) if m != "HEAD")
    routes.append({"rule": rule.rule, "methods": methods, "type": routing.get("type", "http"),
                   "auth": routing.get("auth", "user"), "arguments": sorted(rule.arguments),
                   "function": "%s.%s" % (function.__module__, function.__qualname__)})
print(json.dumps({"installed": installed, "routes": routes}))
"""


def route_key(route):
    return "%s %s" % (",".join(route["methods"]) or "ANY", route["rule"])


def suite_routes(db):
    """({installed module names}, [route]) of database ``db``: the rules of Odoo's routing map
    served by the suite's addons, each {rule, methods, type, auth, arguments, function}."""
    proc = subprocess.run([sys.executable, "-W", "ignore", "-c", _ENUMERATE, ROOT, db],
                          capture_output=True, text=True, cwd=ROOT, timeout=300,
                          env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert proc.returncode == 0, "reading Odoo's routing map failed:\n%s" % proc.stderr[-3000:]
    answer = json.loads(proc.stdout.strip().splitlines()[-1])
    return set(answer["installed"]), answer["routes"]


def unclassified(routes):
    """What the table lacks or keeps for nothing, as messages naming the route."""
    problems = []
    keys = set()
    for route in routes:
        key = route_key(route)
        keys.add(key)
        if key not in ROUTES:
            problems.append(
                "route %r (%s, type=%s, auth=%s) is not classified: add it to ROUTES in "
                "tests/isolation_routes.py as one of %s" % (
                    key, route["function"], route["type"], route["auth"], ", ".join(KINDS)))
        for name in route["arguments"]:
            if name not in PATH_VARIABLES:
                problems.append(
                    "route %r has the path variable %r the matrix does not know: add to "
                    "PATH_VARIABLES in tests/isolation_routes.py which record of dealer B it takes"
                    % (key, name))
    for key in sorted(set(ROUTES) - keys):
        problems.append("ROUTES in tests/isolation_routes.py classifies %r, which no addon of the "
                        "suite serves any more: remove it" % key)
    return problems
