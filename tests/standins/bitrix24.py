"""A local Bitrix24 portal for tests and the demo: its REST API, OAuth server, events and open lines.

It speaks the protocol the suite's Bitrix24 client speaks to a real portal (the facts are in
``shared/BITRIX24.md``; §6 there is the checklist this follows):

* **Incoming webhook**: ``/rest/<user_id>/<secret>/<method>[.json]``; a wrong user id or secret gets
  HTTP 401 ``INVALID_CREDENTIALS``.
* **Application** (OAuth): ``/rest/<method>[.json]`` with ``auth=<access token>`` in the query string
  or the body; an unknown token gets 401 ``NO_AUTH_FOUND``, an expired one 401 ``expired_token``
  ("The access token provided has expired"). Methods that need the application context
  (``event.bind|get|unbind``, ``imconnector.*``) answer a webhook 403 ``WRONG_AUTH_TYPE``.
* **OAuth token server** on the same HTTP server, ``GET /oauth/token/`` (:attr:`oauth_url`):
  ``grant_type=refresh_token`` (the refresh token ROTATES: the old one is refused afterwards with
  400 ``invalid_grant``) and ``grant_type=authorization_code``; a wrong client id or secret gets 401
  ``invalid_client``. :meth:`install_app` mints the first pair (the installation's ``auth`` block),
  :meth:`expire_access_tokens` / :meth:`expire_refresh_tokens` age them, :attr:`refreshes` counts the
  refreshes (:attr:`oauth_delay` slows them down), :attr:`token_lifetime` is the access token's life in seconds (3600).
* Parameters as JSON, as a form or multipart form with PHP-style keys (``fields[TITLE]=...``) or in
  the query string. Answers ``{"result": ..., "time": {...}}``; list methods add ``next`` and
  ``total`` (50 per page, ``start=-1`` for no count); errors are ``{"error", "error_description"}``
  with an HTTP status >= 400 (CRM's own errors with an empty code and HTTP 400); PHP's habit of
  encoding an empty map as ``[]`` is kept; CRM records read back with every value a string, ``add``
  answers the new id as an integer, ``update`` answers ``true``.
* A leaky-bucket limit per portal (2 requests/s, burst 50, as Bitrix24; ``rate=None`` switches it
  off): past it HTTP 503 ``QUERY_LIMIT_EXCEEDED``; a whole ``batch`` counts once.
  :meth:`force_error` makes the next request fail once with any code (``OPERATION_TIME_LIMIT`` 429,
  ``OVERLOAD_LIMIT`` 503, 500...); :attr:`moved_to` (a base URL) answers every REST request with a
  302 to the same path there, as a portal whose domain changed.
* CRM methods: ``crm.deal.add|update|get|list``, ``crm.deal.productrows.set|get``,
  ``crm.company.add|update|get|list``, ``crm.contact.add|update|get|list``,
  ``crm.lead.add|update|get|list`` (``PHONE``/``EMAIL``/``WEB``/``IM`` multifields
  ``[{"VALUE", "VALUE_TYPE"}]``, filterable), ``crm.duplicate.findbycomm``, ``crm.status.list``
  (``DEAL_STAGE``, ``DEAL_STAGE_1`` of the second pipeline "Мерчандайзинг", lead ``STATUS``),
  ``crm.category.list``, ``crm.dealcategory.stage.list``; a deal's ``CATEGORY_ID`` and
  ``STAGE_ID`` are kept consistent (an add with a ``C1:`` stage lands in pipeline 1, a stage of
  another pipeline is not taken, ``STAGE_SEMANTIC_ID``/``CLOSED`` follow the stage; ``CATEGORY_ID``
  is not changed by ``crm.deal.update``); ``user.get``, ``profile``, and ``batch`` (at most 50
  commands, ``halt``, ``$result[name][FIELD]`` references, ``result``/``result_error``...).
* **Outbound events**: handlers bound with ``event.bind {event, handler}`` (application context;
  ``ERROR_HANDLER_ALREADY_EXIST`` for the same pair twice), listed by ``event.get``, removed by
  ``event.unbind``, or set up as an outgoing webhook with :meth:`outgoing_webhook`. Every deal, lead,
  company and contact add/update (REST, batch or the manager helpers below) queues
  ``ONCRM<ENTITY>ADD|UPDATE`` with ``data[FIELDS][ID]``; a background thread POSTs each event
  form-encoded as PHP's ``http_build_query`` does (every scalar a string, ``ts``,
  ``auth[domain|client_endpoint|server_endpoint|member_id|application_token]``) and never retries.
  Switches: :attr:`event_delay` (seconds), :attr:`duplicate_events`, :attr:`reorder_events` (events
  emitted together are sent newest first), :attr:`drop_events` (online deliveries lost, as when the
  handler is down; listed in :attr:`dropped`; the offline queue still gets them).
  :meth:`flush_events` waits until every queued event has been sent; :attr:`deliveries` logs them.
* **Offline events**: ``event.bind {event, event_type: "offline"}`` (no handler; an administrator
  only, else 403 ``ACCESS_DENIED``; :attr:`admins` are the users who are) puts every later change in
  an offline queue (:attr:`offline_queue`) keeping one entry per event and object: ``MESSAGE_ID`` is
  md5 of the name and the data, a new change of the same object moves its ``TIMESTAMP_X`` on; an
  entry a reader took (``PROCESS_ID``) stays and the new change makes a new entry. Changes the
  application itself makes (application context) are not queued, as Bitrix24 skips the changes of
  the application that reads the queue. ``event.offline.get {filter, order, limit (50), clear (1),
  process_id, error}`` -> ``{process_id, events: [{ID, TIMESTAMP_X, EVENT_NAME, EVENT_DATA,
  EVENT_ADDITIONAL, MESSAGE_ID}]}`` (``clear=0``: the entries are marked with a new ``process_id``
  and hidden from other reads until ``event.offline.clear {process_id, id | message_id}`` removes
  them; given a ``process_id``, the entries of that process are read again);
  ``event.offline.error {process_id, message_id}`` keeps them apart as erroneous (read with
  ``error=1``). All of them answer a non-administrator 403 ``ACCESS_DENIED`` (``add_user(...,
  admin=True)`` makes an administrator; ``profile`` says ``ADMIN``). :meth:`offline_entries` lists
  the queue as ``(EVENT_NAME, object ID, PROCESS_ID)``. ``feature.get {CODE}`` answers
  ``{"value": "Y"|"N"}``; with :attr:`offline_extended` False (a plan without "extended offline
  events") ``rest_offline_extended`` is ``N`` and reading with ``clear=0`` or a ``process_id`` is
  refused: only read-and-delete (``clear=1``) works.
* **The manager's side**: :meth:`manager_update_deal` / :meth:`manager_update_lead` change a record
  as a manager in Bitrix24's UI would (``MODIFY_BY_ID`` = that manager, ``DATE_MODIFY`` now) and fire
  the update event; :meth:`add_user` adds an employee.
* **Open lines connector**: ``imconnector.register`` (``ID``, ``NAME``, ``ICON[DATA_IMAGE]`` and
  ``PLACEMENT_HANDLER`` required; a failure is HTTP 200 ``{"result": {"result": false, "error": ...}}``),
  ``imconnector.activate``, ``imconnector.status``, ``imconnector.connector.data.set``,
  ``imconnector.send.messages`` (``user.id`` and ``chat.id`` required, ``text`` or ``files``;
  ``NOT_ACTIVE_LINE`` when the connector is not active on the ``LINE``),
  ``imconnector.send.status.delivery|reading``. The first message of a chat opens a session whose
  operator is the ``ASSIGNED_BY_ID`` of the CRM contact (else company) whose e-mail or phone matches
  the message's user, else the portal's admin (:attr:`sessions`: chat id -> operator user id).
  :meth:`operator_reply` makes the operator answer (``ONIMCONNECTORMESSAGEADD`` with the BB-code text
  ``[b]Name Surname:[/b] [br]text`` and ``message[files][N][link|name]``); :attr:`auto_answer`
  makes him answer a chat's first message by himself. :attr:`connector_messages` and
  :attr:`delivery_receipts` keep what the portal sent.
* :meth:`go_down` / :meth:`come_back`: the server stops accepting connections (open ones are cut),
  then listens again on the same port.
* :meth:`send_event` POSTs one event by hand to any URL.
* Run as a script (``python tests/standins/bitrix24.py --port 8091 --auto-answer "..."``) it
  prints its addresses, the application's credentials and installation tokens as one JSON line and
  serves until stopped (the demo's Bitrix24).

Use::

    with Bitrix24StandIn() as portal:
        client = SomeClient(portal.webhook_url)       # http://127.0.0.1:<port>/rest/1/<secret>/
        auth = portal.install_app()                    # {"access_token": ..., "refresh_token": ...}
        ...
        portal.deals                                   # {id: fields}
        portal.flush_events()                          # [(event, HTTP status of the handler)]

Only the standard library is used, so nothing in it depends on the code under test.
"""
import datetime
import email.parser
import email.policy
import hashlib
import itertools
import json
import re
import secrets
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote_plus, urlsplit

PAGE_SIZE = 50
BATCH_MAX = 50
TZ = datetime.timezone(datetime.timedelta(hours=3))
REORDER_WINDOW = 0.3   # s without a new event before reordered events go out

DEAL_DEFAULTS = OrderedDict([
    ("TITLE", ""), ("TYPE_ID", "SALE"), ("CATEGORY_ID", "0"), ("STAGE_ID", "NEW"),
    ("STAGE_SEMANTIC_ID", "P"),
    ("CURRENCY_ID", "RUB"), ("OPPORTUNITY", "0.00"), ("IS_MANUAL_OPPORTUNITY", "N"),
    ("TAX_VALUE", "0.00"), ("COMPANY_ID", "0"), ("CONTACT_ID", None), ("BEGINDATE", None),
    ("CLOSEDATE", None), ("OPENED", "Y"), ("CLOSED", "N"), ("COMMENTS", None),
    ("ASSIGNED_BY_ID", None), ("CREATED_BY_ID", None), ("MODIFY_BY_ID", None),
    ("DATE_CREATE", None), ("DATE_MODIFY", None), ("SOURCE_ID", None), ("ORIGINATOR_ID", None),
    ("ORIGIN_ID", None),
])
READ_ONLY = {"ID", "CREATED_BY_ID", "MODIFY_BY_ID", "DATE_CREATE", "DATE_MODIFY",
             "STAGE_SEMANTIC_ID", "STATUS_SEMANTIC_ID", "HAS_PHONE", "HAS_EMAIL"}
ROW_FIELDS = ["PRODUCT_ID", "PRODUCT_NAME", "PRICE", "QUANTITY", "DISCOUNT_TYPE_ID",
              "DISCOUNT_RATE", "DISCOUNT_SUM", "TAX_RATE", "TAX_INCLUDED", "MEASURE_CODE",
              "MEASURE_NAME", "SORT"]
MULTIFIELDS = ("PHONE", "EMAIL", "WEB", "IM")
#: the fields of companies, contacts and leads (besides ID, multifields and UF_CRM_*)
ENTITY_FIELDS = {
    "company": ["TITLE", "COMPANY_TYPE", "INDUSTRY", "REVENUE", "CURRENCY_ID", "ADDRESS",
                "ADDRESS_CITY", "ASSIGNED_BY_ID", "COMMENTS", "OPENED", "ORIGINATOR_ID", "ORIGIN_ID",
                "ORIGIN_VERSION"],
    "contact": ["NAME", "LAST_NAME", "SECOND_NAME", "POST", "TYPE_ID", "SOURCE_ID", "COMPANY_ID",
                "ADDRESS", "ADDRESS_CITY", "ASSIGNED_BY_ID", "COMMENTS", "OPENED", "ORIGINATOR_ID",
                "ORIGIN_ID", "ORIGIN_VERSION"],
    "lead": ["TITLE", "NAME", "LAST_NAME", "SECOND_NAME", "POST", "COMPANY_TITLE", "COMPANY_ID",
             "CONTACT_ID", "STATUS_ID", "STATUS_DESCRIPTION", "SOURCE_ID", "SOURCE_DESCRIPTION",
             "OPPORTUNITY", "CURRENCY_ID", "ADDRESS", "ADDRESS_CITY", "ASSIGNED_BY_ID", "COMMENTS",
             "OPENED", "ORIGINATOR_ID", "ORIGIN_ID"],
}
ENTITY_EVENTS = {"deal": "ONCRMDEAL", "company": "ONCRMCOMPANY", "contact": "ONCRMCONTACT",
                 "lead": "ONCRMLEAD"}
KNOWN_EVENTS = {prefix + suffix for prefix in ENTITY_EVENTS.values()
                for suffix in ("ADD", "UPDATE", "DELETE")} | {
    "ONIMCONNECTORMESSAGEADD", "ONIMCONNECTORMESSAGEUPDATE", "ONIMCONNECTORMESSAGEDELETE",
    "ONIMCONNECTORDIALOGSTART", "ONIMCONNECTORDIALOGFINISH", "ONIMCONNECTORSTATUSDELETE",
    "ONIMCONNECTORLINEDELETE", "ONAPPUNINSTALL", "ONAPPUPDATE"}
APP_ONLY = ("event.bind", "event.get", "event.unbind", "event.offline.", "imconnector.")
SCOPE = "crm,user,im,imopenlines,imconnector,placement"

#: (STATUS_ID, NAME, semantics) of the pipelines and lead statuses
DEFAULT_STAGES = [
    ("NEW", "Новая", "process"), ("PREPARATION", "Подготовка документов", "process"),
    ("PREPAYMENT_INVOICE", "Счёт на предоплату", "process"), ("EXECUTING", "В работе", "process"),
    ("FINAL_INVOICE", "Финальный счёт", "process"), ("WON", "Сделка успешна", "success"),
    ("LOSE", "Сделка провалена", "failure"), ("APOLOGY", "Анализ причины провала", "apology"),
]
MERCH_STAGES = [
    ("NEW", "Новая заявка", "process"), ("PREPARATION", "Согласование", "process"),
    ("WON", "Выполнена", "success"), ("LOSE", "Отклонена", "failure"),
]
LEAD_STATUSES = [
    ("NEW", "Не обработан", "process"), ("IN_PROCESS", "В работе", "process"),
    ("PROCESSED", "Обработан", "process"), ("CONVERTED", "Качественный лид", "success"),
    ("JUNK", "Некачественный лид", "failure"),
]
SEMANTIC_CODE = {"process": "P", "success": "S", "failure": "F", "apology": "F"}


class ApiError(Exception):
    def __init__(self, error, description, status=400):
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


class _Reply(Exception):
    """A whole HTTP answer decided early (auth, limits): ``status``, ``answer``."""

    def __init__(self, status, answer):
        super().__init__(answer.get("error"))
        self.status = status
        self.answer = answer


# ---------------------------------------------------------------------------- PHP query strings
def php_parse(pairs):
    """PHP's ``parse_str``: ``[("a[b][0]", "x"), ("a[]", "y")]`` -> nested dicts/lists."""
    root = OrderedDict()
    for key, value in pairs:
        m = re.match(r"^([^\[\]]+)((?:\[[^\]]*\])*)$", key)
        if not m:
            continue
        path = [m.group(1)] + re.findall(r"\[([^\]]*)\]", m.group(2))
        node = root
        for i, part in enumerate(path):
            last = i == len(path) - 1
            if part == "":
                part = str(sum(1 for k in node if k.isdigit()))
            if last:
                node[part] = value
            else:
                if not isinstance(node.get(part), OrderedDict):
                    node[part] = OrderedDict()
                node = node[part]
    return _php_lists(root)


def _php_lists(node):
    if not isinstance(node, dict):
        return node
    node = OrderedDict((k, _php_lists(v)) for k, v in node.items())
    if node and list(node) == [str(i) for i in range(len(node))]:
        return list(node.values())  # json_encode of a PHP array with keys 0..n-1
    return node


def php_build(params, prefix=None):
    """PHP's ``http_build_query`` pairs of nested ``params``."""
    out = []
    items = params.items() if isinstance(params, dict) else enumerate(params)
    for key, value in items:
        name = "%s[%s]" % (prefix, key) if prefix else str(key)
        if isinstance(value, (dict, list, tuple)):
            out.extend(php_build(value, name))
        elif value is not None:
            out.append((name, "1" if value is True else "0" if value is False else str(value)))
    return out


def form_encode(pairs):
    return "&".join("%s=%s" % (quote_plus(k), quote_plus(v)) for k, v in pairs).encode()


def _php_json(value):
    """An empty dict as ``[]``, as PHP's json_encode does with an empty array."""
    if isinstance(value, dict):
        return [] if not value else OrderedDict((k, _php_json(v)) for k, v in value.items())
    if isinstance(value, list):
        return [_php_json(v) for v in value]
    return value


def _str(value):
    if value is None or isinstance(value, (list, dict)):
        return value
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value)


def _num(value, default=0.0):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def _int(value, default=0):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _id(params):
    raw = params.get("id", params.get("ID"))
    value = _int(raw)
    if value <= 0:
        raise ApiError("", "ID is not defined or invalid.")
    return value


def _now():
    return datetime.datetime.now(TZ).isoformat(timespec="seconds")


def _truthy(value):
    return str(value).strip().upper() not in ("", "0", "N", "FALSE", "NONE")


def _digits(value):
    return re.sub(r"\D", "", str(value or ""))[-10:]


def _first(params, *keys):
    for key in keys:
        if params.get(key) not in (None, ""):
            return params[key]
    return None


def _listish(value):
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return value
    return []


# ---------------------------------------------------------------------------- the portal
class Bitrix24StandIn:
    """An in-memory Bitrix24 portal behind a local HTTP server (see the module docstring)."""

    def __init__(self, user_id=1, secret="k3y8standin0secret", rate=2.0, burst=50,
                 clock=time.monotonic, domain="standin.bitrix24.ru", member_id="a1b2c3d4e5f6",
                 page_size=PAGE_SIZE, client_id="local.5f3a9c1e2b7d48.61803398",
                 client_secret="S7and1nAppClientSecret0fTheLocalApp", application_token=None,
                 token_lifetime=3600, manager_id=7, line_id=1, port=0):
        self.user_id = int(user_id)
        self.secret = secret
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.domain = domain
        self.member_id = member_id
        self.page_size = page_size
        self.client_id = client_id
        self.client_secret = client_secret
        self.application_token = application_token or "apptok" + secrets.token_hex(13)
        self.token_lifetime = token_lifetime
        self.manager_id = int(manager_id)
        self.line_id = int(line_id)
        self.deals = OrderedDict()
        self.product_rows = {}
        self.companies = OrderedDict()
        self.contacts = OrderedDict()
        self.leads = OrderedDict()
        self.users = OrderedDict()
        self.categories = OrderedDict()   # deal pipelines: id -> name
        self.statuses = OrderedDict()     # ENTITY_ID -> [status dicts]
        self.requests = []          # [(method, params)] of every authenticated REST request
        self.calls = []             # [(method, "webhook" | "app")] likewise
        self.refused = 0            # requests refused by the rate limit
        self.moved_to = None        # a base URL: REST requests get a 302 there
        self._forced = []           # one-shot errors, see force_error()
        # OAuth
        self.refreshes = 0
        self.oauth_delay = 0.0      # s the token endpoint takes to answer (to widen races)
        self.token_requests = []    # [(grant_type, HTTP status)]
        self._access_tokens = {}    # token -> {"user_id", "expires"}
        self._refresh_tokens = {}   # valid refresh tokens -> {"user_id"}
        self._codes = {}            # authorization codes -> {"user_id", "expires"}
        self._last_refresh = None
        # events
        self.handlers = OrderedDict()   # id -> {"event", "handler", "auth_type", "application_token"}
        self.event_delay = 0.0
        self.duplicate_events = False
        self.reorder_events = False
        self.drop_events = False
        self.event_timeout = 10.0
        self.deliveries = []        # [{"event", "handler", "data", "status", "body", "ts"}]
        self.dropped = []           # events lost on purpose (drop_events)
        self.admins = {self.user_id}    # the portal's administrators (user ids)
        self.offline_bound = OrderedDict()  # event -> connector id of the offline bindings
        self.offline_queue = OrderedDict()  # id -> the offline queue's entry (see event_offline_get)
        # the plan has "extended offline events" (feature.get rest_offline_extended): reading the
        # queue without clearing it (clear=0, process_id, event.offline.clear/error)
        self.offline_extended = True
        self._pending = []
        self._inflight = 0
        self._last_emit = 0.0
        self._flush_waiters = 0
        self._flushed_upto = 0
        self._events_cv = threading.Condition()
        self._sender = None
        self._sender_stop = False
        # open lines
        self.lines = OrderedDict([(self.line_id, "Портал дилеров")])
        self.connectors = OrderedDict()   # id -> {"params", "lines": {line: active}, "data": {line: {}}}
        self.connector_messages = []      # the MESSAGES items the portal sent, with LINE and CONNECTOR
        self.delivery_receipts = []       # the items of imconnector.send.status.delivery
        self.reading_receipts = []
        self.operator_messages = []       # what operators answered: the MESSAGES items posted
        self.sessions = OrderedDict()     # external chat id -> operator user id
        self.auto_answer = None           # {"text": ..., "operator_id"?: ..., "files"?: [...]}
        self.refuse_messages = 0          # the next N valid items of imconnector.send.messages are
        #                                   refused (SUCCESS false, ERRORS), not stored
        self._chats = OrderedDict()
        self._ids = {name: itertools.count(start) for name, start in (
            ("deal", 1), ("row", 1), ("company", 1), ("contact", 1), ("lead", 1), ("handler", 1),
            ("multi", 1), ("im_chat", 1767), ("im_message", 86497), ("session", 323),
            ("ext_user", 585), ("offline", 1))}
        self._level = 0.0
        self._level_at = clock()
        self._lock = threading.RLock()
        self._ctx = {"type": "webhook", "user_id": self.user_id}
        self._server = None
        self._thread = None
        self._port = int(port or 0)
        self._connections = set()
        self._conn_lock = threading.Lock()
        self.add_user(self.user_id, "Администратор", "Портала", "admin@standin.test",
                      work_position="Администратор")
        self.add_user(self.manager_id, "Иван", "Менеджеров", "manager.ivan@standin.test",
                      work_position="Менеджер по работе с дилерами")
        self.add_category(0, "Общая", DEFAULT_STAGES)
        self.add_category(1, "Мерчандайзинг", MERCH_STAGES)
        self.statuses["STATUS"] = self._status_items("STATUS", LEAD_STATUSES, None)

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        self._listen(self._port)
        self._sender_stop = False
        self._sender = threading.Thread(target=self._send_loop, daemon=True,
                                        name="bitrix24-standin-events")
        self._sender.start()
        return self

    def _listen(self, port):
        portal = self

        class Handler(_Handler):
            pass
        Handler.portal = portal
        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._server.daemon_threads = True
        self._port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True, name="bitrix24-standin")
        self._thread.start()

    def _close_server(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = self._thread = None
        with self._conn_lock:
            open_connections = list(self._connections)
            self._connections.clear()
        for conn in open_connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stop(self):
        self._close_server()
        if self._sender:
            with self._events_cv:
                self._sender_stop = True
                self._events_cv.notify_all()
            self._sender.join(5)
            self._sender = None

    def go_down(self):
        """Bitrix24 is unreachable: connections are refused (open ones cut) until :meth:`come_back`."""
        self._close_server()

    def come_back(self):
        """Listen again on the same port (the URLs handed out stay valid)."""
        if self._server is None:
            self._listen(self._port)

    @property
    def is_up(self):
        return self._server is not None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._port

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self._port

    @property
    def webhook_url(self):
        """The incoming webhook URL as Bitrix24 shows it, ending with a slash."""
        return "%s/rest/%d/%s/" % (self.base_url, self.user_id, self.secret)

    @property
    def client_endpoint(self):
        """The application's REST base (``client_endpoint`` of the token answers)."""
        return "%s/rest/" % self.base_url

    @property
    def server_endpoint(self):
        return "%s/oauth/rest/" % self.base_url

    @property
    def oauth_url(self):
        """The token endpoint (Bitrix24's ``https://oauth.bitrix.info/oauth/token/``)."""
        return "%s/oauth/token/" % self.base_url

    # ------------------------------------------------------------------ test helpers
    def add_user(self, user_id, name, last_name, email, active=True, work_position="",
                 work_phone="", admin=False):
        with self._lock:
            if admin:
                self.admins.add(int(user_id))
            self.users[int(user_id)] = OrderedDict([
                ("ID", str(user_id)), ("ACTIVE", bool(active)), ("NAME", name),
                ("LAST_NAME", last_name), ("SECOND_NAME", ""), ("EMAIL", email),
                ("WORK_POSITION", work_position), ("WORK_PHONE", work_phone),
                ("PERSONAL_MOBILE", ""), ("PERSONAL_PHONE", ""),
                ("UF_DEPARTMENT", [1]), ("USER_TYPE", "employee"),
            ])

    def add_category(self, category_id, name, stages):
        """A deal pipeline with its stages ``[(STATUS_ID without the "C<N>:" prefix, NAME,
        "process" | "success" | "failure" | "apology")]``."""
        with self._lock:
            category_id = int(category_id)
            self.categories[category_id] = name
            entity = "DEAL_STAGE" if category_id == 0 else "DEAL_STAGE_%d" % category_id
            prefix = "" if category_id == 0 else "C%d:" % category_id
            self.statuses[entity] = self._status_items(
                entity, [(prefix + sid, sname, sem) for sid, sname, sem in stages], category_id)

    @staticmethod
    def _status_items(entity, stages, category_id):
        items = []
        for sort, (status_id, name, semantics) in enumerate(stages, start=1):
            items.append(OrderedDict([
                ("ID", str(len(items) + 1)), ("ENTITY_ID", entity), ("STATUS_ID", status_id),
                ("NAME", name), ("NAME_INIT", name), ("SORT", str(sort * 10)), ("SYSTEM", "N"),
                ("CATEGORY_ID", None if category_id is None else str(category_id)),
                ("COLOR", "#39A8EF"), ("SEMANTICS", None if semantics == "process" else
                                       SEMANTIC_CODE[semantics]),
                ("EXTRA", OrderedDict([("SEMANTICS", semantics), ("COLOR", "#39A8EF")])),
            ]))
        return items

    def stages(self, category_id=0):
        """The STATUS_IDs of a pipeline's stages, in order."""
        entity = "DEAL_STAGE" if int(category_id) == 0 else "DEAL_STAGE_%d" % int(category_id)
        return [s["STATUS_ID"] for s in self.statuses.get(entity, [])]

    def force_error(self, error, description="", status=503, method=None):
        """Answer the next request (of ``method``, or any) with this error, once."""
        with self._lock:
            self._forced.append((method, error, description, status))

    def methods_called(self):
        with self._lock:
            return [method for method, _params in self.requests]

    # ------------------------------------------------------------------ OAuth
    def _mint(self, user_id):
        access, refresh = secrets.token_hex(16), secrets.token_hex(16)
        expires = int(time.time()) + int(self.token_lifetime)
        self._access_tokens[access] = {"user_id": user_id, "expires": expires}
        self._refresh_tokens[refresh] = {"user_id": user_id}
        self._last_refresh = refresh
        return OrderedDict([
            ("access_token", access), ("client_endpoint", self.client_endpoint),
            ("domain", "oauth.bitrix.info"), ("expires", expires),
            ("expires_in", int(self.token_lifetime)), ("member_id", self.member_id),
            ("refresh_token", refresh), ("scope", SCOPE), ("server_endpoint", self.server_endpoint),
            ("status", "L"), ("user_id", user_id)])

    def install_app(self, user_id=None):
        """Install the local application: the first token pair, as the installation POST's ``auth``."""
        with self._lock:
            answer = self._mint(int(user_id or self.user_id))
            return OrderedDict([
                ("access_token", answer["access_token"]), ("expires", answer["expires"]),
                ("expires_in", answer["expires_in"]), ("scope", SCOPE), ("domain", self.domain),
                ("server_endpoint", self.server_endpoint), ("status", "L"),
                ("client_endpoint", self.client_endpoint), ("member_id", self.member_id),
                ("user_id", answer["user_id"]), ("refresh_token", answer["refresh_token"]),
                ("application_token", self.application_token)])

    def authorization_code(self, user_id=None):
        """A code for ``grant_type=authorization_code`` (valid 30 s, once)."""
        with self._lock:
            code = secrets.token_hex(12)
            self._codes[code] = {"user_id": int(user_id or self.user_id),
                                 "expires": time.time() + 30}
            return code

    def expire_access_tokens(self):
        """Every access token handed out so far is now expired (REST answers 401 expired_token)."""
        with self._lock:
            for info in self._access_tokens.values():
                info["expires"] = int(time.time()) - 1

    def current_refresh_token(self):
        """The refresh token minted last, if it is still valid (None otherwise)."""
        with self._lock:
            return self._last_refresh if self._last_refresh in self._refresh_tokens else None

    def expire_refresh_tokens(self):
        """Every refresh token is refused from now on (``invalid_grant``): reinstall needed."""
        with self._lock:
            self._refresh_tokens.clear()

    def oauth_token(self, params):
        """``(status, answer)`` of the token endpoint."""
        if self.oauth_delay:
            time.sleep(self.oauth_delay)
        with self._lock:
            grant = params.get("grant_type")
            status, answer = self._oauth_token(grant, params)
            self.token_requests.append((grant, status))
            return status, answer

    def _oauth_token(self, grant, params):
        if params.get("client_id") != self.client_id or \
                params.get("client_secret") != self.client_secret:
            return 401, {"error": "invalid_client",
                         "error_description": "Invalid client credentials"}
        if grant == "refresh_token":
            info = self._refresh_tokens.pop(params.get("refresh_token") or "", None)
            if info is None:
                return 400, {"error": "invalid_grant",
                             "error_description": "Invalid refresh token or the token has expired"}
            self.refreshes += 1
            return 200, self._mint(info["user_id"])
        if grant == "authorization_code":
            info = self._codes.pop(params.get("code") or "", None)
            if info is None or info["expires"] < time.time():
                return 400, {"error": "invalid_grant",
                             "error_description": "Invalid authorization code"}
            return 200, self._mint(info["user_id"])
        return 400, {"error": "invalid_request",
                     "error_description": "Unsupported grant_type %r" % grant}

    def _app_user(self, token):
        info = self._access_tokens.get(token or "")
        if info is None:
            raise _Reply(401, {"error": "NO_AUTH_FOUND", "error_description": "Wrong authorization data"})
        if info["expires"] <= time.time():
            raise _Reply(401, {"error": "expired_token",
                               "error_description": "The access token provided has expired"})
        return info["user_id"]

    # ------------------------------------------------------------------ request handling
    def _take_slot(self):
        """Leaky bucket: True when the request fits, False when Bitrix24 would refuse it."""
        if not self.rate:
            return True
        with self._lock:
            now = self.clock()
            self._level = max(0.0, self._level - (now - self._level_at) * self.rate)
            self._level_at = now
            if self._level + 1.0 > self.burst + 1e-9:
                self.refused += 1
                return False
            self._level += 1.0
            return True

    def handle(self, user_id, secret, method, params):
        """``(http status, answer dict)`` of one incoming-webhook REST request."""
        if user_id != str(self.user_id) or secret != self.secret:
            return 401, {"error": "INVALID_CREDENTIALS",
                         "error_description": "Invalid request credentials"}
        return self._handle({"type": "webhook", "user_id": self.user_id}, method, params)

    def handle_app(self, method, params):
        """``(http status, answer dict)`` of one application REST request (``auth`` in params)."""
        params = OrderedDict(params)
        token = params.pop("auth", None)
        try:
            with self._lock:
                user_id = self._app_user(token if isinstance(token, str) else None)
        except _Reply as reply:
            return reply.status, reply.answer
        return self._handle({"type": "app", "user_id": user_id}, method, params)

    def _handle(self, ctx, method, params):
        started = time.time()
        if not self._take_slot():
            return 503, {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}
        with self._lock:
            self.requests.append((method, params))
            self.calls.append((method, ctx["type"]))
            for i, (only, error, description, status) in enumerate(self._forced):
                if only in (None, method):
                    del self._forced[i]
                    return status, {"error": error, "error_description": description}
            self._ctx = ctx
            try:
                if method == "batch":
                    answer = self._batch(params)
                else:
                    answer = self._run(method, params)
            except ApiError as exc:
                return exc.status, {"error": exc.error, "error_description": exc.description}
            finally:
                self._ctx = {"type": "webhook", "user_id": self.user_id}
        answer["time"] = self._time_block(started)
        return 200, _php_json(answer)

    def _time_block(self, started):
        finished = time.time()
        return OrderedDict([
            ("start", started), ("finish", finished), ("duration", finished - started),
            ("processing", finished - started),
            ("date_start", datetime.datetime.fromtimestamp(started, TZ).isoformat(timespec="seconds")),
            ("date_finish", datetime.datetime.fromtimestamp(finished, TZ).isoformat(timespec="seconds")),
            ("operating_reset_at", int(started) + 600), ("operating", 0),
        ])

    def _run(self, method, params):
        handler = METHODS.get(method.lower())
        if handler is None:
            raise ApiError("ERROR_METHOD_NOT_FOUND", "Method not found!", 404)
        if method.lower().startswith(APP_ONLY) and self._ctx["type"] != "app":
            raise ApiError("WRONG_AUTH_TYPE", "Current authorization type is denied for this method "
                           "Application context required", 403)
        return handler(self, params)

    # ------------------------------------------------------------------ batch
    def _batch(self, params):
        cmd = params.get("cmd")
        if isinstance(cmd, list):
            cmd = OrderedDict((str(i), c) for i, c in enumerate(cmd))
        if not isinstance(cmd, dict) or not cmd:
            raise ApiError("ERROR_ARGUMENT", "Parameter 'cmd' must be a non-empty array.")
        if len(cmd) > BATCH_MAX:
            raise ApiError("ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
        halt = str(params.get("halt", "0")) not in ("0", "", "false", "False")
        out = OrderedDict((k, OrderedDict()) for k in
                          ("result", "result_error", "result_total", "result_next", "result_time"))
        for name, command in cmd.items():
            started = time.time()
            method, _, query = str(command).partition("?")
            sub_params = php_parse(parse_qsl(query, keep_blank_values=True))
            try:
                sub_params = self._resolve(sub_params, out["result"])
                if method.lower() == "batch":
                    raise ApiError("ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage")
                answer = self._run(method, sub_params)
            except ApiError as exc:
                out["result_error"][name] = OrderedDict([("error", exc.error),
                                                         ("error_description", exc.description)])
                if halt:
                    break
                continue
            out["result"][name] = answer["result"]
            if "total" in answer:
                out["result_total"][name] = answer["total"]
            if "next" in answer:
                out["result_next"][name] = answer["next"]
            out["result_time"][name] = self._time_block(started)
        return {"result": out}

    def _resolve(self, value, results):
        """Replace ``$result[name]`` / ``$result[name][KEY]...`` by earlier results of the batch."""
        if isinstance(value, dict):
            return OrderedDict((k, self._resolve(v, results)) for k, v in value.items())
        if isinstance(value, list):
            return [self._resolve(v, results) for v in value]
        if not isinstance(value, str) or "$result[" not in value:
            return value

        def lookup(m):
            keys = re.findall(r"\[([^\]]*)\]", m.group(0))
            node = results
            for key in keys:
                if isinstance(node, list) and key.isdigit() and int(key) < len(node):
                    node = node[int(key)]
                elif isinstance(node, dict) and key in node:
                    node = node[key]
                else:
                    raise ApiError("ERROR_BATCH_REFERENCE", "Reference %s is not defined" % m.group(0))
            return str(node)
        return re.sub(r"\$result(\[[^\]]*\])+", lookup, value)

    # ------------------------------------------------------------------ crm.deal.*
    def _deal(self, params):
        deal_id = _id(params)
        if deal_id not in self.deals:
            raise ApiError("", "Not found")
        return deal_id

    def _stage_info(self, category_id, stage_id):
        entity = "DEAL_STAGE" if category_id == 0 else "DEAL_STAGE_%d" % category_id
        for item in self.statuses.get(entity, []):
            if item["STATUS_ID"] == stage_id:
                return item
        return None

    def _write_fields(self, deal, fields, adding=False):
        fields = OrderedDict((str(k).upper(), v) for k, v in fields.items())
        category = _int(deal["CATEGORY_ID"])
        if adding:
            stage = str(fields.get("STAGE_ID") or "")
            if fields.get("CATEGORY_ID") not in (None, ""):
                category = _int(fields["CATEGORY_ID"], -1)
            else:
                m = re.match(r"^C(\d+):", stage)
                category = int(m.group(1)) if m else 0
            if category not in self.categories:
                raise ApiError("", "Category with ID %s is not found." % fields.get("CATEGORY_ID"))
            deal["CATEGORY_ID"] = str(category)
            if not self._stage_info(category, stage):
                fields["STAGE_ID"] = self.stages(category)[0]
        elif "STAGE_ID" in fields and not self._stage_info(category, str(fields["STAGE_ID"])):
            del fields["STAGE_ID"]   # a stage of another pipeline is not taken
        for key, value in fields.items():
            if key in READ_ONLY or key == "CATEGORY_ID":
                continue
            if key in DEAL_DEFAULTS or key.startswith("UF_CRM_"):
                deal[key] = [_str(v) for v in value] if isinstance(value, list) else _str(value)
        if "STAGE_ID" in fields:
            semantics = self._stage_info(category, deal["STAGE_ID"])["EXTRA"]["SEMANTICS"]
            deal["STAGE_SEMANTIC_ID"] = SEMANTIC_CODE[semantics]
            deal["CLOSED"] = "N" if semantics == "process" else "Y"
        if "OPPORTUNITY" in fields:
            deal["OPPORTUNITY"] = "%.2f" % _num(deal["OPPORTUNITY"])
            if "IS_MANUAL_OPPORTUNITY" not in fields and deal["ID"] and \
                    self.product_rows.get(int(deal["ID"])):
                deal["IS_MANUAL_OPPORTUNITY"] = "Y"

    def _touch(self, record, user_id=None):
        record["MODIFY_BY_ID"] = str(user_id or self._ctx["user_id"])
        record["DATE_MODIFY"] = _now()

    def deal_add(self, params):
        fields = params.get("fields")
        if not isinstance(fields, dict):
            raise ApiError("", "Parameter 'fields' must be array.")
        deal = OrderedDict([("ID", None)])
        deal.update(DEAL_DEFAULTS)
        user = str(self._ctx["user_id"])
        deal.update(ASSIGNED_BY_ID=user, CREATED_BY_ID=user, MODIFY_BY_ID=user,
                    DATE_CREATE=_now(), DATE_MODIFY=_now())
        self._write_fields(deal, fields, adding=True)
        deal_id = next(self._ids["deal"])
        deal["ID"] = str(deal_id)
        if not deal["TITLE"]:
            deal["TITLE"] = "Сделка #%d" % deal_id
        self.deals[deal_id] = deal
        self._emit("ONCRMDEALADD", {"FIELDS": {"ID": deal_id}})
        return {"result": deal_id}

    def deal_update(self, params):
        deal_id = self._deal(params)
        fields = params.get("fields")
        if not isinstance(fields, dict):
            raise ApiError("", "Parameter 'fields' must be array.")
        deal = self.deals[deal_id]
        self._write_fields(deal, fields)
        self._touch(deal)
        self._emit("ONCRMDEALUPDATE", {"FIELDS": {"ID": deal_id}})
        return {"result": True}

    def deal_get(self, params):
        return {"result": OrderedDict(self.deals[self._deal(params)])}

    def deal_list(self, params):
        return self._list(self.deals, params)

    def _list(self, records, params, hidden=()):
        records = [d for d in records.values() if _matches(d, params.get("filter") or {})]
        order = params.get("order") or {"ID": "ASC"}
        if isinstance(order, dict):
            for key, direction in reversed(list(order.items())):
                records.sort(key=lambda d, k=str(key).upper(): _sort_key(d.get(k)),
                             reverse=str(direction).upper() == "DESC")
        select = params.get("select") or []
        if isinstance(select, dict):
            select = list(select.values())
        return self._page(records, params, lambda d: _select(d, select, hidden))

    def _page(self, records, params, shape):
        start = int(_num(params.get("start"), 0))
        if start < 0:  # start=-1: no count, first page only (Bitrix24's fast mode)
            return {"result": [shape(r) for r in records[:self.page_size]]}
        page = records[start:start + self.page_size]
        answer = OrderedDict([("result", [shape(r) for r in page])])
        if start + self.page_size < len(records):
            answer["next"] = start + self.page_size
        answer["total"] = len(records)
        return answer

    # ------------------------------------------------------------------ product rows
    def _set_rows(self, deal_id, rows):
        if isinstance(rows, dict):
            rows = list(rows.values())
        if not isinstance(rows, list):
            raise ApiError("", "The parameter rows must be array.")
        stored = []
        for sort, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise ApiError("", "The parameter rows must contain arrays.")
            row = OrderedDict((str(k).upper(), v) for k, v in row.items())
            stored.append(OrderedDict([
                ("ID", str(next(self._ids["row"]))), ("OWNER_ID", str(deal_id)), ("OWNER_TYPE", "D"),
                ("PRODUCT_ID", int(_num(row.get("PRODUCT_ID"), 0))),
                ("PRODUCT_NAME", str(row.get("PRODUCT_NAME") or "")),
                ("PRICE", _num(row.get("PRICE"))),
                ("QUANTITY", _num(row.get("QUANTITY"), 1.0)),
                ("DISCOUNT_TYPE_ID", int(_num(row.get("DISCOUNT_TYPE_ID"), 2))),
                ("DISCOUNT_RATE", _num(row.get("DISCOUNT_RATE"))),
                ("DISCOUNT_SUM", _num(row.get("DISCOUNT_SUM"))),
                ("TAX_RATE", _num(row.get("TAX_RATE")) if row.get("TAX_RATE") not in (None, "") else None),
                ("TAX_INCLUDED", "Y" if str(row.get("TAX_INCLUDED", "N")) in ("Y", "1") else "N"),
                ("MEASURE_CODE", int(_num(row.get("MEASURE_CODE"), 796))),
                ("MEASURE_NAME", str(row.get("MEASURE_NAME") or "шт")),
                ("SORT", int(_num(row.get("SORT"), sort * 10))),
            ]))
        self.product_rows[deal_id] = stored
        deal = self.deals[deal_id]
        if deal.get("IS_MANUAL_OPPORTUNITY") != "Y":
            deal["OPPORTUNITY"] = "%.2f" % sum(r["PRICE"] * r["QUANTITY"] for r in stored)

    def productrows_set(self, params):
        deal_id = self._deal(params)
        self._set_rows(deal_id, params.get("rows"))
        self._touch(self.deals[deal_id])
        self._emit("ONCRMDEALUPDATE", {"FIELDS": {"ID": deal_id}})
        return {"result": True}

    def productrows_get(self, params):
        return {"result": [OrderedDict(r) for r in self.product_rows.get(self._deal(params), [])]}

    def manager_update_deal(self, deal_id, fields=None, rows=None, user_id=None):
        """A manager changes the deal in Bitrix24 (stage, fields, goods); fires ONCRMDEALUPDATE.

        ``rows`` (a list of row dicts as for ``crm.deal.productrows.set``) replaces the goods.
        Returns the deal as ``crm.deal.get`` would."""
        with self._lock:
            deal_id = int(deal_id)
            deal = self.deals[deal_id]
            if fields:
                self._write_fields(deal, fields)
            if rows is not None:
                self._set_rows(deal_id, rows)
            self._touch(deal, user_id or self.manager_id)
            self._emit("ONCRMDEALUPDATE", {"FIELDS": {"ID": deal_id}})
            return OrderedDict(deal)

    # ------------------------------------------------------------------ companies, contacts, leads
    def _store(self, kind):
        return {"company": self.companies, "contact": self.contacts, "lead": self.leads}[kind]

    def _write_entity(self, kind, record, fields):
        for key, value in fields.items():
            key = str(key).upper()
            if key in READ_ONLY:
                continue
            if key in MULTIFIELDS:
                self._write_multi(record, key, value)
            elif key in ENTITY_FIELDS[kind] or key.startswith("UF_CRM_"):
                record[key] = [_str(v) for v in value] if isinstance(value, list) else _str(value)
        if kind == "lead":
            semantics = {s["STATUS_ID"]: s["EXTRA"]["SEMANTICS"] for s in self.statuses["STATUS"]}
            if record.get("STATUS_ID") not in semantics:
                record["STATUS_ID"] = "NEW"
            record["STATUS_SEMANTIC_ID"] = SEMANTIC_CODE[semantics[record["STATUS_ID"]]]
        if "OPPORTUNITY" in record and record["OPPORTUNITY"] is not None:
            record["OPPORTUNITY"] = "%.2f" % _num(record["OPPORTUNITY"])
        record["HAS_PHONE"] = "Y" if record.get("PHONE") else "N"
        record["HAS_EMAIL"] = "Y" if record.get("EMAIL") else "N"

    def _write_multi(self, record, key, value):
        items = list(record.get(key) or [])
        for item in _listish(value):
            if not isinstance(item, dict):
                item = {"VALUE": item}
            item = OrderedDict((str(k).upper(), v) for k, v in item.items())
            existing = [i for i in items if item.get("ID") not in (None, "") and
                        i["ID"] == str(item["ID"])]
            if existing and _truthy(item.get("DELETE", "N")):
                items.remove(existing[0])
            elif existing:
                existing[0]["VALUE"] = str(item.get("VALUE", existing[0]["VALUE"]))
                existing[0]["VALUE_TYPE"] = str(item.get("VALUE_TYPE", existing[0]["VALUE_TYPE"]))
            elif item.get("VALUE") not in (None, ""):
                items.append(OrderedDict([
                    ("ID", str(next(self._ids["multi"]))), ("VALUE_TYPE", str(item.get("VALUE_TYPE") or "WORK")),
                    ("VALUE", str(item["VALUE"])), ("TYPE_ID", key)]))
        record[key] = items or None

    def _entity_add(self, kind, params):
        fields = params.get("fields")
        if not isinstance(fields, dict):
            raise ApiError("", "Parameter 'fields' must be array.")
        user = str(self._ctx["user_id"])
        record = OrderedDict([("ID", None)])
        record.update((f, None) for f in ENTITY_FIELDS[kind])
        record.update(ASSIGNED_BY_ID=user, CREATED_BY_ID=user, MODIFY_BY_ID=user,
                      DATE_CREATE=_now(), DATE_MODIFY=_now(), OPENED="Y")
        if kind == "lead":
            record.update(STATUS_ID="NEW", CURRENCY_ID="RUB", OPPORTUNITY="0.00")
        self._write_entity(kind, record, fields)
        record_id = next(self._ids[kind])
        record["ID"] = str(record_id)
        if kind in ("company", "lead") and not record.get("TITLE"):
            record["TITLE"] = {"company": "Компания #%d", "lead": "Лид #%d"}[kind] % record_id
        self._store(kind)[record_id] = record
        self._emit(ENTITY_EVENTS[kind] + "ADD", {"FIELDS": {"ID": record_id}})
        return {"result": record_id}

    def _entity_record(self, kind, params):
        record_id = _id(params)
        if record_id not in self._store(kind):
            raise ApiError("", "Not found")
        return record_id

    def _entity_update(self, kind, params, user_id=None):
        record_id = self._entity_record(kind, params)
        fields = params.get("fields")
        if not isinstance(fields, dict):
            raise ApiError("", "Parameter 'fields' must be array.")
        record = self._store(kind)[record_id]
        self._write_entity(kind, record, fields)
        self._touch(record, user_id)
        self._emit(ENTITY_EVENTS[kind] + "UPDATE", {"FIELDS": {"ID": record_id}})
        return {"result": True}

    def _entity_get(self, kind, params):
        record = self._store(kind)[self._entity_record(kind, params)]
        return {"result": OrderedDict((k, v) for k, v in record.items() if v is not None or
                                      k not in MULTIFIELDS)}

    def _entity_list(self, kind, params):
        return self._list(self._store(kind), params, hidden=MULTIFIELDS)

    def manager_update_lead(self, lead_id, fields, user_id=None):
        """A manager changes the lead in Bitrix24 (e.g. ``{"STATUS_ID": "IN_PROCESS"}``); fires
        ONCRMLEADUPDATE. Returns the lead as ``crm.lead.get`` would."""
        with self._lock:
            self._entity_update("lead", {"id": lead_id, "fields": fields},
                                user_id=user_id or self.manager_id)
            return OrderedDict(self.leads[int(lead_id)])

    def duplicate_findbycomm(self, params):
        kind = str(params.get("entity_type") or params.get("ENTITY_TYPE") or "").lower()
        comm = str(params.get("type") or params.get("TYPE") or "").upper()
        if comm not in ("EMAIL", "PHONE"):
            raise ApiError("", "Communication type is not supported.")
        values = _listish(params.get("values") or params.get("VALUES"))
        kinds = [kind] if kind in ENTITY_FIELDS else ["lead", "contact", "company"]
        out = OrderedDict()
        for k in kinds:
            ids = [rid for rid, rec in self._store(k).items()
                   if any(_comm_equal(comm, item["VALUE"], v)
                          for item in rec.get(comm) or [] for v in values)]
            if ids:
                out[k.upper()] = ids
        return {"result": out}

    def find_operator(self, email=None, phone=None):
        """The user id an open-lines dialog goes to: the responsible of the CRM contact, else the
        company, whose e-mail or phone matches; else the portal's admin."""
        with self._lock:
            for store in (self.contacts, self.companies):
                for record in store.values():
                    hit = any(email and _comm_equal("EMAIL", i["VALUE"], email)
                              for i in record.get("EMAIL") or []) or \
                        any(phone and _comm_equal("PHONE", i["VALUE"], phone)
                            for i in record.get("PHONE") or [])
                    if hit and _int(record.get("ASSIGNED_BY_ID")):
                        return _int(record["ASSIGNED_BY_ID"])
            return self.user_id

    # ------------------------------------------------------------------ statuses, pipelines
    def status_list(self, params):
        flt = params.get("filter") or {}
        items = [i for items in self.statuses.values() for i in items]
        entity = flt.get("ENTITY_ID") if isinstance(flt, dict) else None
        if entity:
            items = [i for i in items if i["ENTITY_ID"] == entity]
        return {"result": [OrderedDict(i) for i in items], "total": len(items)}

    def category_list(self, params):
        if _int(params.get("entityTypeId"), 2) != 2:
            return {"result": {"categories": []}}
        return {"result": {"categories": [
            OrderedDict([("id", cid), ("name", name), ("sort", (cid + 1) * 100),
                         ("entityTypeId", 2), ("isDefault", "Y" if cid == 0 else "N")])
            for cid, name in self.categories.items()]}}

    def dealcategory_stage_list(self, params):
        category = _int(params.get("id"), 0)
        entity = "DEAL_STAGE" if category == 0 else "DEAL_STAGE_%d" % category
        return {"result": [OrderedDict([("NAME", s["NAME"]), ("SORT", s["SORT"]),
                                        ("STATUS_ID", s["STATUS_ID"])])
                           for s in self.statuses.get(entity, [])]}

    # ------------------------------------------------------------------ users
    def user_get(self, params):
        flt = params.get("FILTER") or params.get("filter") or OrderedDict(
            (k, v) for k, v in params.items() if k.upper() not in ("SORT", "ORDER", "START", "ADMIN_MODE"))
        users = [u for u in self.users.values() if _matches(u, flt)]
        return self._page(users, params, lambda u: OrderedDict(u))

    def profile(self, params):
        user = self.users.get(self._ctx["user_id"]) or self.users[self.user_id]
        admin = int(user["ID"]) in self.admins
        return {"result": OrderedDict([("ID", user["ID"]), ("ADMIN", admin), ("NAME", user["NAME"]),
                                       ("LAST_NAME", user["LAST_NAME"]), ("PERSONAL_GENDER", ""),
                                       ("TIME_ZONE", "Europe/Moscow")])}

    def feature_get(self, params):
        code = self._lower(params).get("code")
        if not code:
            raise ApiError("CODE_EMPTY", "CODE can't be empty", 400)
        enabled = {"rest_offline_extended": self.offline_extended, "rest_auth_connector": True}
        return {"result": {"value": "Y" if enabled.get(str(code)) else "N"}}

    # ------------------------------------------------------------------ events: binding
    def _need_admin(self):
        if self._ctx["user_id"] not in self.admins:
            raise ApiError("ACCESS_DENIED", "Access denied!", 403)

    def event_bind(self, params):
        event = str(params.get("event") or params.get("EVENT") or "").upper()
        handler = str(params.get("handler") or params.get("HANDLER") or "")
        if event not in KNOWN_EVENTS:
            raise ApiError("ERROR_EVENT_NOT_FOUND", "Event not found")
        if str(params.get("event_type") or params.get("EVENT_TYPE") or "").lower() == "offline":
            self._need_admin()
            connector = str(params.get("auth_connector") or params.get("AUTH_CONNECTOR") or "")
            if event in self.offline_bound:
                raise ApiError("ERROR_HANDLER_ALREADY_EXIST", "Handler already exists!")
            self.offline_bound[event] = connector
            return {"result": True}
        if not handler.startswith(("http://", "https://")):
            raise ApiError("ERROR_ARGUMENT", "Handler is not a URL")
        for bound in self.handlers.values():
            if bound["auth_type"] == "app" and (bound["event"], bound["handler"]) == (event, handler):
                raise ApiError("ERROR_HANDLER_ALREADY_EXIST", "Handler already exists!")
        self._add_handler(event, handler, "app", self.application_token)
        return {"result": True}

    def _add_handler(self, event, handler, auth_type, application_token):
        handler_id = next(self._ids["handler"])
        self.handlers[handler_id] = OrderedDict([
            ("event", event), ("handler", handler), ("auth_type", auth_type),
            ("application_token", application_token)])
        return handler_id

    def event_get(self, params):
        return {"result": [OrderedDict([("event", h["event"]), ("handler", h["handler"]),
                                        ("auth_type", "0"), ("offline", 0)])
                           for h in self.handlers.values() if h["auth_type"] == "app"] + [
            OrderedDict([("event", event), ("connector_id", connector), ("offline", 1)])
            for event, connector in self.offline_bound.items()]}

    def event_unbind(self, params):
        event = str(params.get("event") or params.get("EVENT") or "").upper()
        if str(params.get("event_type") or params.get("EVENT_TYPE") or "").lower() == "offline":
            self._need_admin()
            return {"result": {"count": 1 if self.offline_bound.pop(event, None) is not None else 0}}
        handler = params.get("handler") or params.get("HANDLER")
        gone = [hid for hid, h in self.handlers.items() if h["auth_type"] == "app" and
                h["event"] == event and (not handler or h["handler"] == handler)]
        for hid in gone:
            del self.handlers[hid]
        return {"result": {"count": len(gone)}}

    def outgoing_webhook(self, url, events, application_token=None):
        """An outgoing webhook set up in Bitrix24's UI: ``events`` are POSTed to ``url`` with
        ``application_token`` (default: :attr:`application_token`). Returns that token."""
        token = application_token or self.application_token
        with self._lock:
            for event in events:
                self._add_handler(str(event).upper(), url, "webhook", token)
        return token

    # ------------------------------------------------------------------ events: sending
    def _event_auth(self, bound):
        return OrderedDict([
            ("domain", self.domain), ("client_endpoint", self.client_endpoint),
            ("server_endpoint", self.server_endpoint), ("member_id", self.member_id),
            ("application_token", bound["application_token"])])

    def _emit(self, event, data):
        """Queue ``event`` for every handler bound to it (under ``self._lock``), and in the
        offline queue when it is bound offline."""
        if event in self.offline_bound and self._ctx["type"] != "app":
            self._offline_call(event, data)
        for handler_id, bound in self.handlers.items():
            if bound["event"] != event:
                continue
            item = {"event": event, "handler_id": handler_id, "handler": bound["handler"],
                    "data": json.loads(json.dumps(data)), "auth": self._event_auth(bound),
                    "due": time.time() + (self.event_delay or 0)}
            if self.drop_events:
                self.dropped.append(item)
                continue
            with self._events_cv:
                self._pending.extend([item] * (2 if self.duplicate_events else 1))
                self._last_emit = time.time()
                self._events_cv.notify_all()

    def _next_events(self):
        """The events to send now (waits for them); None when the sender must stop."""
        cv = self._events_cv
        with cv:
            while not self._sender_stop:
                now = time.time()
                wait = 0.2
                if self._pending and self.reorder_events:
                    quiet = now - self._last_emit >= REORDER_WINDOW or self._flush_waiters
                    latest = max(item["due"] for item in self._pending)
                    if quiet and latest <= now:
                        batch, self._pending = list(reversed(self._pending)), []
                        self._inflight = len(batch)
                        return batch
                    wait = max(0.01, min(wait, latest - now, REORDER_WINDOW))
                elif self._pending:
                    if self._pending[0]["due"] <= now:
                        self._inflight = 1
                        return [self._pending.pop(0)]
                    wait = max(0.01, min(wait, self._pending[0]["due"] - now))
                cv.wait(wait)
            return None

    def _send_loop(self):
        while True:
            batch = self._next_events()
            if batch is None:
                return
            for item in batch:
                ts = str(int(time.time()))
                status, body = self._post_event(item["handler"], item["event"], item["data"],
                                                item["auth"], ts, item["handler_id"])
                with self._events_cv:
                    self.deliveries.append({"event": item["event"], "handler": item["handler"],
                                            "data": item["data"], "status": status, "body": body,
                                            "ts": ts})
                    self._inflight -= 1
                    self._events_cv.notify_all()

    def _post_event(self, url, event, data, auth, ts, handler_id, timeout=None):
        pairs = [("event", event), ("event_handler_id", str(handler_id))]
        pairs += php_build({"data": data})
        pairs += [("ts", str(ts))]
        pairs += php_build({"auth": auth})
        request = urllib.request.Request(url, data=form_encode(pairs), method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "Bitrix24 Webhook Engine",
        })
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.event_timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")
        except (OSError, ValueError) as exc:   # refused, timed out: lost, never retried
            return None, str(exc)

    def flush_events(self, timeout=10):
        """Wait until every queued event has been sent; return ``[(event, HTTP status)]`` of the
        events sent since the previous call (status None: the handler could not be reached)."""
        deadline = time.time() + timeout
        with self._events_cv:
            self._flush_waiters += 1
            self._events_cv.notify_all()
            try:
                while self._pending or self._inflight:
                    left = deadline - time.time()
                    if left <= 0:
                        raise TimeoutError("%d Bitrix24 events still unsent after %s s"
                                           % (len(self._pending) + self._inflight, timeout))
                    self._events_cv.wait(min(left, 0.05))
            finally:
                self._flush_waiters -= 1
            sent = self.deliveries[self._flushed_upto:]
            self._flushed_upto = len(self.deliveries)
            return [(d["event"], d["status"]) for d in sent]

    def send_event(self, url, event, data, application_token, ts=None, handler_id=1, timeout=10):
        """POST an outbound event to ``url`` the way Bitrix24 does, now; return ``(status, body)``.

        ``data`` is the event's data block, e.g. ``{"FIELDS": {"ID": 123}}``.
        """
        auth = self._event_auth({"application_token": application_token})
        status, body = self._post_event(url, event, data, auth,
                                        int(time.time()) if ts is None else ts, handler_id, timeout)
        if status is None:
            raise urllib.error.URLError(body)
        return status, body

    # ------------------------------------------------------------------ events: offline queue
    def _offline_call(self, event, data):
        """Bitrix24's EventOfflineTable::callEvent: one entry per event name and data (the
        object), merged on (MESSAGE_ID, PROCESS_ID): a change of an object whose entry nobody
        took yet only moves that entry's time on."""
        data = json.loads(json.dumps(data))
        message_id = hashlib.md5(("%s|%s" % (event, json.dumps(data, separators=(",", ":"))))
                                 .encode("utf-8")).hexdigest()
        additional = {"user_id": str(self._ctx["user_id"])}
        for entry in self.offline_queue.values():
            if entry["MESSAGE_ID"] == message_id and entry["PROCESS_ID"] == "":
                entry.update(TIMESTAMP_X=_now(), EVENT_DATA=data, EVENT_ADDITIONAL=additional)
                return
        entry_id = next(self._ids["offline"])
        self.offline_queue[entry_id] = OrderedDict([
            ("ID", str(entry_id)), ("TIMESTAMP_X", _now()), ("EVENT_NAME", event),
            ("EVENT_DATA", data), ("EVENT_ADDITIONAL", additional), ("MESSAGE_ID", message_id),
            ("PROCESS_ID", ""), ("ERROR", 0)])

    @staticmethod
    def _lower(params):
        return {str(k).lower(): v for k, v in params.items()}

    def event_offline_get(self, params):
        self._need_admin()
        params = self._lower(params)
        clear = _int(params.get("clear", 1), 1)
        process_id = params.get("process_id")
        process_id = str(process_id).strip() if process_id is not None else None
        limit = _int(params.get("limit", PAGE_SIZE), 0)
        if limit <= 0:
            raise ApiError("INVALID_ARG_VALUE", "Value must be positive integer", 400)
        error = 1 if _int(params.get("error", 0)) == 1 else 0
        flt = params.get("filter") if isinstance(params.get("filter"), dict) else {}
        order = params.get("order") if isinstance(params.get("order"), dict) else {"TIMESTAMP_X": "ASC"}

        def ordered(entries):
            entries = sorted(entries, key=lambda e: int(e["ID"]))
            for field, direction in reversed(list(order.items())):
                entries.sort(key=lambda e, f=str(field).upper(): _sort_key(e.get(f)),
                             reverse=str(direction).upper() == "DESC")
            return entries

        if (not clear or process_id is not None) and not self.offline_extended:
            # (the refusal's code is not documented; the documented check is feature.get)
            raise ApiError("ACCESS_DENIED", "Extended offline events handling is not available "
                                            "on this plan", 403)
        returned = not clear
        if process_id is None:
            process_id = secrets.token_hex(16)
            free = [e for e in self.offline_queue.values()
                    if e["PROCESS_ID"] == "" and e["ERROR"] == error and _matches(e, flt)]
            for entry in ordered(free)[:limit]:
                entry["PROCESS_ID"] = process_id
        else:
            returned = True
        mine = ordered(e for e in self.offline_queue.values()
                       if e["PROCESS_ID"] == process_id and e["ERROR"] == error and _matches(e, flt))
        events = [OrderedDict((k, e[k]) for k in ("ID", "TIMESTAMP_X", "EVENT_NAME", "EVENT_DATA",
                                                   "EVENT_ADDITIONAL", "MESSAGE_ID"))
                  for e in mine[:limit]]
        if clear and events:
            for entry_id in [k for k, e in self.offline_queue.items()
                             if e["PROCESS_ID"] == process_id]:
                del self.offline_queue[entry_id]
        return {"result": OrderedDict([("process_id", process_id if returned else None),
                                       ("events", events)])}

    def event_offline_clear(self, params):
        self._need_admin()
        params = self._lower(params)
        process_id = str(params.get("process_id") or "").strip()
        if not process_id:
            raise ApiError("INVALID_ARG_VALUE", "Argument 'PROCESS_ID' is null or empty", 400)
        mine = [(k, e) for k, e in self.offline_queue.items() if e["PROCESS_ID"] == process_id]
        if "message_id" in params:
            wanted = [str(m).strip() for m in _listish(params["message_id"])]
            if not isinstance(params["message_id"], (list, dict)) or \
                    any(len(m) != 32 for m in wanted):
                raise ApiError("INVALID_ARG_VALUE", "Value must be array of MESSAGE_ID values", 400)
            mine = [(k, e) for k, e in mine if e["MESSAGE_ID"] in wanted]
        elif "id" in params:
            wanted = [_int(i) for i in _listish(params["id"])]
            if not isinstance(params["id"], (list, dict)) or any(i <= 0 for i in wanted):
                raise ApiError("INVALID_ARG_VALUE", "Value must be array of integers", 400)
            mine = [(k, e) for k, e in mine if int(e["ID"]) in wanted]
        for entry_id, _entry in mine:
            del self.offline_queue[entry_id]
        return {"result": True}

    def event_offline_error(self, params):
        """EventOfflineTable::markError: the entries of these MESSAGE_IDs are kept once, apart,
        as erroneous (no process), newer untaken copies dropped."""
        self._need_admin()
        params = self._lower(params)
        process_id = str(params.get("process_id") or "").strip()
        if not process_id:
            raise ApiError("INVALID_ARG_VALUE", "Argument 'PROCESS_ID' is null or empty", 400)
        if not isinstance(params.get("message_id"), (list, dict)):
            raise ApiError("INVALID_ARG_VALUE", "Value must be array of MESSAGE_ID values", 400)
        wanted = {str(m).strip() for m in _listish(params["message_id"])}
        for entry_id, entry in list(self.offline_queue.items()):
            if entry["MESSAGE_ID"] not in wanted or entry["ERROR"]:
                continue
            if entry["PROCESS_ID"] == process_id:
                entry.update(ERROR=1, PROCESS_ID="")
            else:
                del self.offline_queue[entry_id]
        return {"result": True}

    def offline_entries(self, error=None):
        """``[(EVENT_NAME, object ID, PROCESS_ID)]`` of the offline queue, in order."""
        with self._lock:
            return [(e["EVENT_NAME"], str((e["EVENT_DATA"].get("FIELDS") or {}).get("ID")
                                          if isinstance(e["EVENT_DATA"], dict) else ""),
                     e["PROCESS_ID"]) for e in self.offline_queue.values()
                    if error is None or e["ERROR"] == int(error)]

    # ------------------------------------------------------------------ open lines
    def _connector_line(self, params, need_line=True):
        connector = params.get("CONNECTOR") or params.get("connector")
        line = params.get("LINE") or params.get("line")
        if not connector:
            raise ApiError("ERROR_ARGUMENT", "Argument 'CONNECTOR' is null or empty")
        if need_line and not line:
            raise ApiError("ERROR_ARGUMENT", "Argument 'LINE' is null or empty")
        if connector not in self.connectors:
            raise ApiError("IMCONNECTOR_NO_CORRECT_PROVIDER", "Connector %s is not registered"
                           % connector)
        return connector, _int(line)

    def imconnector_register(self, params):
        def fail(code, text):
            return {"result": OrderedDict([("result", False), ("error", code),
                                           ("error_description", text)])}
        connector_id = str(params.get("ID") or "")
        icon = params.get("ICON") if isinstance(params.get("ICON"), dict) else {}
        if not connector_id or "." in connector_id:
            return fail("CONNECTOR_ID_REQUIRED", "Connector ID is required and may not contain '.'")
        if not params.get("NAME"):
            return fail("NAME_REQUIRED", "Connector name is required")
        if not icon.get("DATA_IMAGE"):
            return fail("ICON_REQUIRED", "Connector icon (ICON[DATA_IMAGE]) is required")
        if not params.get("PLACEMENT_HANDLER"):
            return fail("PLACEMENT_HANDLER_REQUIRED", "PLACEMENT_HANDLER is required")
        old = self.connectors.get(connector_id, {})
        self.connectors[connector_id] = {"params": OrderedDict(params),
                                         "lines": old.get("lines", {}), "data": old.get("data", {})}
        return {"result": {"result": True}}

    def imconnector_activate(self, params):
        connector, line = self._connector_line(params)
        if line not in self.lines:
            self.lines[line] = "Открытая линия %d" % line
        self.connectors[connector]["lines"][line] = _truthy(params.get("ACTIVE", "1"))
        return {"result": True}

    def imconnector_status(self, params):
        connector, line = self._connector_line(params)
        active = self.connectors[connector]["lines"].get(line, False)
        return {"result": OrderedDict([
            ("LINE", str(line)), ("CONNECTOR", connector), ("ERROR", False),
            ("CONFIGURED", active), ("STATUS", active)])}

    def imconnector_data_set(self, params):
        connector, line = self._connector_line(params)
        data = params.get("DATA")
        if not isinstance(data, dict):
            raise ApiError("ERROR_ARGUMENT", "Argument 'DATA' is null or empty")
        self.connectors[connector]["data"][line] = OrderedDict(data)
        return {"result": True}

    def imconnector_send_messages(self, params):
        connector, line = self._connector_line(params)
        if not self.connectors[connector]["lines"].get(line):
            raise ApiError("NOT_ACTIVE_LINE", "The connector %s is not active on line %s"
                           % (connector, line))
        messages = _listish(params.get("MESSAGES"))
        if not messages:
            raise ApiError("ERROR_ARGUMENT", "Argument 'MESSAGES' is null or empty")
        results, first_messages = [], []
        for item in messages:
            item = item if isinstance(item, dict) else {}
            user = item.get("user") if isinstance(item.get("user"), dict) else {}
            message = item.get("message") if isinstance(item.get("message"), dict) else {}
            chat = item.get("chat") if isinstance(item.get("chat"), dict) else {}
            errors = []
            if not user.get("id"):
                errors.append("user.id is required")
            if not chat.get("id"):
                errors.append("chat.id is required")
            if not message.get("text") and not _listish(message.get("files")):
                errors.append("message.text or message.files is required")
            if not errors and self.refuse_messages > 0:
                self.refuse_messages -= 1
                errors.append("The message could not be delivered to the open line")
            if errors:
                results.append(OrderedDict([
                    ("message", OrderedDict([("id", message.get("id"))])),
                    ("chat", OrderedDict([("id", chat.get("id"))])), ("SUCCESS", False),
                    ("ERRORS", errors)]))
                continue
            chat_id = str(chat["id"])
            session = self._chats.get(chat_id)
            if session is None:
                session = self._chats[chat_id] = {
                    "connector": connector, "line": line, "im_chat_id": next(self._ids["im_chat"]),
                    "session_id": next(self._ids["session"]),
                    "ext_user": next(self._ids["ext_user"]),
                    "operator": self.find_operator(user.get("email"), user.get("phone"))}
                self.sessions[chat_id] = session["operator"]
                first_messages.append(chat_id)
            im_message = next(self._ids["im_message"])
            stored = json.loads(json.dumps(item), object_pairs_hook=OrderedDict)
            stored.update(LINE=line, CONNECTOR=connector,
                          im={"chat_id": session["im_chat_id"], "message_id": im_message})
            self.connector_messages.append(stored)
            results.append(OrderedDict([
                ("user", str(session["ext_user"])),
                ("message", OrderedDict([("id", message.get("id")), ("date", {}),
                                         ("text", message.get("text") or ""), ("files", [])])),
                ("chat", OrderedDict([("id", chat_id)])), ("SUCCESS", True),
                ("session", OrderedDict([("ID", str(session["session_id"])),
                                         ("CHAT_ID", str(session["im_chat_id"]))]))]))
        if self.auto_answer:
            for chat_id in first_messages:
                self.operator_reply(chat_id, self.auto_answer.get("text") or "",
                                    operator_id=self.auto_answer.get("operator_id"),
                                    files=self.auto_answer.get("files"))
        return {"result": OrderedDict([
            ("SUCCESS", all(r["SUCCESS"] for r in results)),
            ("DATA", OrderedDict([("RESULT", results)]))])}

    def _receipts(self, params, log):
        connector, line = self._connector_line(params)
        messages = _listish(params.get("MESSAGES"))
        if not messages:
            raise ApiError("ERROR_ARGUMENT", "Argument 'MESSAGES' is null or empty")
        for item in messages:
            stored = json.loads(json.dumps(item), object_pairs_hook=OrderedDict)
            if isinstance(stored, dict):
                stored.update(LINE=line, CONNECTOR=connector)
            log.append(stored)
        return {"result": OrderedDict([("SUCCESS", True), ("DATA", [])])}

    def imconnector_status_delivery(self, params):
        return self._receipts(params, self.delivery_receipts)

    def imconnector_status_reading(self, params):
        return self._receipts(params, self.reading_receipts)

    def operator_reply(self, chat_id, text, operator_id=None, files=None):
        """The chat's operator answers in Bitrix24: ONIMCONNECTORMESSAGEADD goes to the handlers.

        ``files``: ``[{"name": ..., "link": ...}]`` (``url`` is taken for ``link`` too).
        Returns the im message id (an int)."""
        with self._lock:
            session = self._chats.get(str(chat_id))
            if session is None:
                raise KeyError("no open-lines chat %r: the portal has not written to it" % chat_id)
            operator = int(operator_id or session["operator"])
            user = self.users.get(operator) or self.users[self.user_id]
            connector = self.connectors.get(session["connector"], {"params": {}})
            body = text
            if _truthy(connector["params"].get("NEED_SIGNATURE", "Y")):
                body = "[b]%s %s:[/b] [br]%s" % (user["NAME"], user["LAST_NAME"], text)
            message = OrderedDict([("user_id", operator), ("text", body)])
            if files:
                message["files"] = [OrderedDict([
                    ("name", f.get("name") or "file"), ("link", f.get("link") or f.get("url")),
                    ("type", f.get("type") or "file")]) for f in files]
            im_message = next(self._ids["im_message"])
            item = OrderedDict([
                ("im", OrderedDict([("chat_id", session["im_chat_id"]), ("message_id", im_message)])),
                ("message", message), ("chat", OrderedDict([("id", str(chat_id))]))])
            self.operator_messages.append(item)
            self._emit("ONIMCONNECTORMESSAGEADD", OrderedDict([
                ("CONNECTOR", session["connector"]), ("LINE", session["line"]),
                ("MESSAGES", [item])]))
            return im_message


def _entity_methods():
    methods = {}
    for kind in ("company", "contact", "lead"):
        methods["crm.%s.add" % kind] = lambda self, p, k=kind: self._entity_add(k, p)
        methods["crm.%s.update" % kind] = lambda self, p, k=kind: self._entity_update(k, p)
        methods["crm.%s.get" % kind] = lambda self, p, k=kind: self._entity_get(k, p)
        methods["crm.%s.list" % kind] = lambda self, p, k=kind: self._entity_list(k, p)
    return methods


METHODS = {
    "crm.deal.add": Bitrix24StandIn.deal_add,
    "crm.deal.update": Bitrix24StandIn.deal_update,
    "crm.deal.get": Bitrix24StandIn.deal_get,
    "crm.deal.list": Bitrix24StandIn.deal_list,
    "crm.deal.productrows.set": Bitrix24StandIn.productrows_set,
    "crm.deal.productrows.get": Bitrix24StandIn.productrows_get,
    "crm.duplicate.findbycomm": Bitrix24StandIn.duplicate_findbycomm,
    "crm.status.list": Bitrix24StandIn.status_list,
    "crm.category.list": Bitrix24StandIn.category_list,
    "crm.dealcategory.stage.list": Bitrix24StandIn.dealcategory_stage_list,
    "user.get": Bitrix24StandIn.user_get,
    "profile": Bitrix24StandIn.profile,
    "feature.get": Bitrix24StandIn.feature_get,
    "event.bind": Bitrix24StandIn.event_bind,
    "event.get": Bitrix24StandIn.event_get,
    "event.unbind": Bitrix24StandIn.event_unbind,
    "event.offline.get": Bitrix24StandIn.event_offline_get,
    "event.offline.clear": Bitrix24StandIn.event_offline_clear,
    "event.offline.error": Bitrix24StandIn.event_offline_error,
    "imconnector.register": Bitrix24StandIn.imconnector_register,
    "imconnector.activate": Bitrix24StandIn.imconnector_activate,
    "imconnector.status": Bitrix24StandIn.imconnector_status,
    "imconnector.connector.data.set": Bitrix24StandIn.imconnector_data_set,
    "imconnector.send.messages": Bitrix24StandIn.imconnector_send_messages,
    "imconnector.send.status.delivery": Bitrix24StandIn.imconnector_status_delivery,
    "imconnector.send.status.reading": Bitrix24StandIn.imconnector_status_reading,
}
METHODS.update(_entity_methods())


def _comm_equal(comm, have, want):
    if comm == "PHONE":
        return bool(_digits(have)) and _digits(have) == _digits(want)
    return str(have or "").strip().lower() == str(want or "").strip().lower()


def _sort_key(value):
    number = _num(value, None)
    return (0, number, "") if number is not None else (1, 0, str(value or ""))


def _compare(op, have, want):
    if isinstance(want, list):
        hit = any(_compare("=", have, w) for w in want)
        return not hit if op == "!" else hit
    if isinstance(have, list) and all(isinstance(i, dict) for i in have):   # multifield
        comm = "PHONE" if any(i.get("TYPE_ID") == "PHONE" for i in have) else "EMAIL"
        hit = any(_comm_equal(comm, i.get("VALUE"), want) for i in have)
        return not hit if op == "!" else hit
    if isinstance(have, bool):
        have = "Y" if have else "N"
    if isinstance(want, bool):
        want = "Y" if want else "N"
    if op == "%":
        return str(want).lower() in str(have or "").lower()
    a, b = _num(have, None), _num(want, None)
    if a is None or b is None:
        a, b = str(have or ""), str(want or "")
    return {"=": a == b, "!": a != b, ">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b}[op]


def _matches(record, flt):
    if not isinstance(flt, dict):
        return True
    for key, want in flt.items():
        m = re.match(r"^(>=|<=|!=|>|<|=|!|%)?(.+)$", str(key))
        op = {"!=": "!", None: "="}.get(m.group(1), m.group(1))
        if not _compare(op, record.get(m.group(2).upper()), want):
            return False
    return True


def _select(record, select, hidden=()):
    if not select:
        return OrderedDict((k, v) for k, v in record.items()
                           if not k.startswith("UF_") and k not in hidden)
    wanted = [str(s).upper() for s in select]
    out = OrderedDict([("ID", record["ID"])])
    for key, value in record.items():
        if key in wanted or "*" in wanted and not key.startswith("UF_") and key not in hidden or \
                "UF_*" in wanted and key.startswith("UF_"):
            out[key] = value
    return out


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once, no delayed-ACK stalls
    portal = None

    def setup(self):
        super().setup()
        with self.portal._conn_lock:
            self.portal._connections.add(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            with self.portal._conn_lock:
                self.portal._connections.discard(self.connection)

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status, answer, headers=()):
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _body(self, raw):
        ctype = self.headers.get("Content-Type") or ""
        kind = ctype.split(";")[0].strip().lower()
        if kind == "application/json":
            body = json.loads(raw.decode("utf-8"), object_pairs_hook=OrderedDict)
            if not isinstance(body, dict):
                raise ValueError("not an object")
            return body
        if kind == "multipart/form-data":
            message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + raw)
            pairs = []
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if name:
                    payload = part.get_payload(decode=True) or b""
                    pairs.append((name, part.get_filename() or payload.decode("utf-8", "replace")))
            return php_parse(pairs)
        return php_parse(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))

    def _serve(self):
        try:
            return self._serve_request()
        except Exception as exc:  # a bug of the stand-in shows as Bitrix24's own 500
            return self._send(500, {"error": "INTERNAL_SERVER_ERROR",
                                    "error_description": "%s: %s" % (type(exc).__name__, exc)})

    def _serve_request(self):
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        params = php_parse(parse_qsl(url.query, keep_blank_values=True))
        if raw:
            try:
                params.update(self._body(raw))
            except ValueError:
                return self._send(400, {"error": "INVALID_REQUEST",
                                        "error_description": "Request body cannot be parsed"})
        if re.match(r"^/oauth/token/?$", url.path):
            return self._send(*self.portal.oauth_token(params))
        if self.portal.moved_to and url.path.startswith("/rest/"):
            location = self.portal.moved_to.rstrip("/") + self.path
            return self._send(302, {"error": "", "error_description": "Moved"},
                              headers=[("Location", location)])
        m = re.match(r"^/rest/([^/]+)/([^/]+)/([A-Za-z0-9_.]+?)(?:\.json)?/?$", url.path)
        if m:
            return self._send(*self.portal.handle(m.group(1), m.group(2), m.group(3), params))
        m = re.match(r"^/rest/([A-Za-z0-9_.]+?)(?:\.json)?/?$", url.path)
        if m:
            return self._send(*self.portal.handle_app(m.group(1), params))
        return self._send(404, {"error": "NOT_FOUND", "error_description": "Not found"})

    do_POST = _serve
    do_GET = _serve


def main(argv=None):
    """Run the stand-in as a process (``make run``'s demo): print one JSON line with its addresses,
    the application's client id/secret/token and the installation's tokens, then serve until
    interrupted."""
    import argparse
    import signal
    import sys
    parser = argparse.ArgumentParser(description="A local Bitrix24 portal (stand-in).")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: any free)")
    parser.add_argument("--rate", type=float, default=2.0, help="requests/s of the limit (0: none)")
    parser.add_argument("--burst", type=int, default=50)
    parser.add_argument("--auto-answer", default="",
                        help="the operator answers a chat's first message with this text")
    parser.add_argument("--operator-id", type=int, default=0,
                        help="the user who gives that answer (default: the chat's operator); "
                             "the printed manager_id is the portal's manager")
    args = parser.parse_args(argv)
    portal = Bitrix24StandIn(rate=args.rate or None, burst=args.burst, port=args.port)
    portal.start()
    if args.auto_answer:
        portal.auto_answer = {"text": args.auto_answer}
        if args.operator_id:
            portal.auto_answer["operator_id"] = args.operator_id
    manager = portal.users[portal.manager_id]
    print(json.dumps({
        "webhook_url": portal.webhook_url, "client_endpoint": portal.client_endpoint,
        "oauth_url": portal.oauth_url, "client_id": portal.client_id,
        "client_secret": portal.client_secret, "application_token": portal.application_token,
        "line_id": portal.line_id, "rate": args.rate, "burst": args.burst,
        "manager_id": portal.manager_id,
        "manager": "%s %s" % (manager["NAME"], manager["LAST_NAME"]),
        "install": portal.install_app()}, ensure_ascii=False), flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    portal.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
