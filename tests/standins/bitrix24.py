"""A local Bitrix24 portal for tests: the REST API of an incoming webhook, in memory.

It speaks the protocol the suite's Bitrix24 client speaks to a real portal:

* ``POST /rest/<user_id>/<secret>/<method>.json`` with parameters as JSON, as a form with PHP-style
  keys (``fields[TITLE]=...``) or in the query string; a wrong user id or secret gets HTTP 401
  ``{"error": "INVALID_CREDENTIALS", "error_description": "Invalid request credentials"}``;
* answers ``{"result": ..., "time": {...}}``, list methods add ``next`` and ``total`` (50 per page);
  errors are ``{"error": ..., "error_description": ...}`` with an HTTP status >= 400, and PHP's habit
  of encoding an empty map as ``[]`` is kept;
* a leaky-bucket limit per portal (2 requests/s, burst 50, as Bitrix24): past it HTTP 503
  ``{"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}``;
* methods ``crm.deal.add|update|get|list``, ``crm.deal.productrows.set|get``, ``user.get``,
  ``profile`` and ``batch`` (at most 50 commands, each ``"method?" + PHP query string``, ``halt``,
  ``$result[name][FIELD]`` references, answers in ``result.result`` / ``result.result_error``).

It can also play Bitrix24's outbound webhook: :meth:`Bitrix24StandIn.send_event` POSTs an event
(``event=ONCRMDEALUPDATE&data[FIELDS][ID]=...&ts=...&auth[...]=...``) to a URL.

Use::

    with Bitrix24StandIn() as portal:
        client = SomeClient(portal.webhook_url)       # http://127.0.0.1:<port>/rest/1/<secret>/
        ...
        portal.deals                                   # {id: fields}

Only the standard library is used, so nothing in it depends on the code under test.
"""
import datetime
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote_plus, urlsplit

PAGE_SIZE = 50
BATCH_MAX = 50

DEAL_DEFAULTS = OrderedDict([
    ("TITLE", ""), ("TYPE_ID", "SALE"), ("CATEGORY_ID", "0"), ("STAGE_ID", "NEW"),
    ("CURRENCY_ID", "RUB"), ("OPPORTUNITY", "0.00"), ("IS_MANUAL_OPPORTUNITY", "N"),
    ("TAX_VALUE", "0.00"), ("COMPANY_ID", "0"), ("CONTACT_ID", None), ("BEGINDATE", None),
    ("CLOSEDATE", None), ("OPENED", "Y"), ("CLOSED", "N"), ("COMMENTS", None),
    ("ASSIGNED_BY_ID", None), ("CREATED_BY_ID", None), ("MODIFY_BY_ID", None),
    ("DATE_CREATE", None), ("DATE_MODIFY", None), ("SOURCE_ID", None), ("ORIGINATOR_ID", None),
    ("ORIGIN_ID", None),
])
READ_ONLY = {"ID", "CREATED_BY_ID", "MODIFY_BY_ID", "DATE_CREATE", "DATE_MODIFY"}
ROW_FIELDS = ["PRODUCT_ID", "PRODUCT_NAME", "PRICE", "QUANTITY", "DISCOUNT_TYPE_ID",
              "DISCOUNT_RATE", "DISCOUNT_SUM", "TAX_RATE", "TAX_INCLUDED", "MEASURE_CODE",
              "MEASURE_NAME", "SORT"]


class ApiError(Exception):
    def __init__(self, error, description, status=400):
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status


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


def _id(params):
    raw = params.get("id", params.get("ID"))
    try:
        value = int(str(raw))
    except (TypeError, ValueError):
        value = 0
    if value <= 0:
        raise ApiError("", "ID is not defined or invalid.")
    return value


# ---------------------------------------------------------------------------- the portal
class Bitrix24StandIn:
    """An in-memory Bitrix24 portal behind a local HTTP server (see the module docstring)."""

    def __init__(self, user_id=1, secret="k3y8standin0secret", rate=2.0, burst=50,
                 clock=time.monotonic, domain="standin.bitrix24.ru", member_id="a1b2c3d4e5f6",
                 page_size=PAGE_SIZE):
        self.user_id = int(user_id)
        self.secret = secret
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.domain = domain
        self.member_id = member_id
        self.page_size = page_size
        self.deals = OrderedDict()
        self.product_rows = {}
        self.users = OrderedDict()
        self.requests = []          # [(method, params)] of every authenticated REST request
        self.refused = 0            # requests refused by the rate limit
        self._forced = []           # one-shot errors, see force_error()
        self._next_deal = 1
        self._next_row = 1
        self._level = 0.0
        self._level_at = clock()
        self._lock = threading.RLock()
        self._server = None
        self._thread = None
        self.add_user(self.user_id, "Администратор", "Портала", "admin@standin.test",
                      work_position="Администратор")

    # ------------------------------------------------------------------ lifecycle
    def start(self):
        portal = self

        class Handler(_Handler):
            pass
        Handler.portal = portal
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True,
                                        name="bitrix24-standin")
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = self._thread = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def port(self):
        return self._server.server_address[1]

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self.port

    @property
    def webhook_url(self):
        """The incoming webhook URL as Bitrix24 shows it, ending with a slash."""
        return "%s/rest/%d/%s/" % (self.base_url, self.user_id, self.secret)

    @property
    def client_endpoint(self):
        return "%s/rest/" % self.base_url

    # ------------------------------------------------------------------ test helpers
    def add_user(self, user_id, name, last_name, email, active=True, work_position=""):
        with self._lock:
            self.users[int(user_id)] = OrderedDict([
                ("ID", str(user_id)), ("ACTIVE", bool(active)), ("NAME", name),
                ("LAST_NAME", last_name), ("SECOND_NAME", ""), ("EMAIL", email),
                ("WORK_POSITION", work_position), ("PERSONAL_PHONE", ""),
                ("UF_DEPARTMENT", [1]), ("USER_TYPE", "employee"),
            ])

    def force_error(self, error, description="", status=503, method=None):
        """Answer the next request (of ``method``, or any) with this error, once."""
        with self._lock:
            self._forced.append((method, error, description, status))

    def methods_called(self):
        with self._lock:
            return [method for method, _params in self.requests]

    def send_event(self, url, event, data, application_token, ts=None, handler_id=1, timeout=10):
        """POST an outbound event to ``url`` the way Bitrix24 does; return ``(status, body)``.

        ``data`` is the event's data block, e.g. ``{"FIELDS": {"ID": 123}}``.
        """
        pairs = [("event", event), ("event_handler_id", str(handler_id))]
        pairs += php_build({"data": data})
        pairs += [("ts", str(int(time.time()) if ts is None else ts))]
        pairs += php_build({"auth": OrderedDict([
            ("domain", self.domain),
            ("client_endpoint", self.client_endpoint),
            ("server_endpoint", "https://oauth.bitrix.info/rest/"),
            ("member_id", self.member_id),
            ("application_token", application_token),
        ])})
        body = "&".join("%s=%s" % (quote_plus(k), quote_plus(v)) for k, v in pairs).encode()
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "Bitrix24 Webhook Engine",
        })
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    # ------------------------------------------------------------------ request handling
    def _take_slot(self):
        """Leaky bucket: True when the request fits, False when Bitrix24 would refuse it."""
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
        """``(http status, answer dict)`` of one REST request."""
        started = time.time()
        if user_id != str(self.user_id) or secret != self.secret:
            return 401, {"error": "INVALID_CREDENTIALS",
                         "error_description": "Invalid request credentials"}
        if not self._take_slot():
            return 503, {"error": "QUERY_LIMIT_EXCEEDED", "error_description": "Too many requests"}
        with self._lock:
            self.requests.append((method, params))
            for i, (only, error, description, status) in enumerate(self._forced):
                if only in (None, method):
                    del self._forced[i]
                    return status, {"error": error, "error_description": description}
            try:
                if method == "batch":
                    answer = self._batch(params)
                else:
                    answer = self._run(method, params)
            except ApiError as exc:
                return exc.status, {"error": exc.error, "error_description": exc.description}
        answer["time"] = self._time_block(started)
        return 200, _php_json(answer)

    def _time_block(self, started):
        finished = time.time()
        tz = datetime.timezone(datetime.timedelta(hours=3))
        return OrderedDict([
            ("start", started), ("finish", finished), ("duration", finished - started),
            ("processing", finished - started),
            ("date_start", datetime.datetime.fromtimestamp(started, tz).isoformat(timespec="seconds")),
            ("date_finish", datetime.datetime.fromtimestamp(finished, tz).isoformat(timespec="seconds")),
            ("operating_reset_at", int(started) + 600), ("operating", 0),
        ])

    def _run(self, method, params):
        handler = METHODS.get(method.lower())
        if handler is None:
            raise ApiError("ERROR_METHOD_NOT_FOUND", "Method not found!", 404)
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

    def _write_fields(self, deal, fields):
        for key, value in fields.items():
            key = str(key).upper()
            if key in READ_ONLY:
                continue
            if key in DEAL_DEFAULTS or key.startswith("UF_CRM_"):
                deal[key] = [_str(v) for v in value] if isinstance(value, list) else _str(value)
        if "OPPORTUNITY" in fields:
            deal["OPPORTUNITY"] = "%.2f" % _num(deal["OPPORTUNITY"])
            if "IS_MANUAL_OPPORTUNITY" not in fields and self.product_rows.get(int(deal["ID"])):
                deal["IS_MANUAL_OPPORTUNITY"] = "Y"

    def deal_add(self, params):
        fields = params.get("fields")
        if not isinstance(fields, dict):
            raise ApiError("", "Parameter 'fields' must be array.")
        deal_id = self._next_deal
        self._next_deal += 1
        now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=3)))
        deal = OrderedDict([("ID", str(deal_id))])
        deal.update(DEAL_DEFAULTS)
        deal.update(ASSIGNED_BY_ID=str(self.user_id), CREATED_BY_ID=str(self.user_id),
                    MODIFY_BY_ID=str(self.user_id),
                    DATE_CREATE=now.isoformat(timespec="seconds"),
                    DATE_MODIFY=now.isoformat(timespec="seconds"))
        self._write_fields(deal, fields)
        if not deal["TITLE"]:
            deal["TITLE"] = "Сделка #%d" % deal_id
        self.deals[deal_id] = deal
        return {"result": deal_id}

    def deal_update(self, params):
        deal_id = self._deal(params)
        fields = params.get("fields")
        if not isinstance(fields, dict):
            raise ApiError("", "Parameter 'fields' must be array.")
        deal = self.deals[deal_id]
        self._write_fields(deal, fields)
        deal["MODIFY_BY_ID"] = str(self.user_id)
        deal["DATE_MODIFY"] = datetime.datetime.now(datetime.timezone(
            datetime.timedelta(hours=3))).isoformat(timespec="seconds")
        return {"result": True}

    def deal_get(self, params):
        return {"result": OrderedDict(self.deals[self._deal(params)])}

    def deal_list(self, params):
        records = [d for d in self.deals.values() if _matches(d, params.get("filter") or {})]
        order = params.get("order") or {"ID": "ASC"}
        if isinstance(order, dict):
            for key, direction in reversed(list(order.items())):
                records.sort(key=lambda d, k=str(key).upper(): _sort_key(d.get(k)),
                             reverse=str(direction).upper() == "DESC")
        select = params.get("select") or []
        if isinstance(select, dict):
            select = list(select.values())
        return self._page(records, params, lambda d: _select(d, select))

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
    def productrows_set(self, params):
        deal_id = self._deal(params)
        rows = params.get("rows")
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
                ("ID", str(self._next_row)), ("OWNER_ID", str(deal_id)), ("OWNER_TYPE", "D"),
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
            self._next_row += 1
        self.product_rows[deal_id] = stored
        deal = self.deals[deal_id]
        if deal.get("IS_MANUAL_OPPORTUNITY") != "Y":
            deal["OPPORTUNITY"] = "%.2f" % sum(r["PRICE"] * r["QUANTITY"] for r in stored)
        return {"result": True}

    def productrows_get(self, params):
        return {"result": [OrderedDict(r) for r in self.product_rows.get(self._deal(params), [])]}

    # ------------------------------------------------------------------ users
    def user_get(self, params):
        flt = params.get("FILTER") or params.get("filter") or OrderedDict(
            (k, v) for k, v in params.items() if k.upper() not in ("SORT", "ORDER", "START", "ADMIN_MODE"))
        users = [u for u in self.users.values() if _matches(u, flt)]
        return self._page(users, params, lambda u: OrderedDict(u))

    def profile(self, params):
        user = self.users[self.user_id]
        return {"result": OrderedDict([("ID", user["ID"]), ("ADMIN", True), ("NAME", user["NAME"]),
                                       ("LAST_NAME", user["LAST_NAME"]), ("PERSONAL_GENDER", ""),
                                       ("TIME_ZONE", "Europe/Moscow")])}


METHODS = {
    "crm.deal.add": Bitrix24StandIn.deal_add,
    "crm.deal.update": Bitrix24StandIn.deal_update,
    "crm.deal.get": Bitrix24StandIn.deal_get,
    "crm.deal.list": Bitrix24StandIn.deal_list,
    "crm.deal.productrows.set": Bitrix24StandIn.productrows_set,
    "crm.deal.productrows.get": Bitrix24StandIn.productrows_get,
    "user.get": Bitrix24StandIn.user_get,
    "profile": Bitrix24StandIn.profile,
}


def _sort_key(value):
    number = _num(value, None)
    return (0, number, "") if number is not None else (1, 0, str(value or ""))


def _compare(op, have, want):
    if isinstance(want, list):
        hit = any(_compare("=", have, w) for w in want)
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


def _select(deal, select):
    if not select:
        return OrderedDict((k, v) for k, v in deal.items() if not k.startswith("UF_"))
    wanted = [str(s).upper() for s in select]
    out = OrderedDict([("ID", deal["ID"])])
    for key, value in deal.items():
        if key in wanted or "*" in wanted and not key.startswith("UF_") or \
                "UF_*" in wanted and key.startswith("UF_"):
            out[key] = value
    return out


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body leave at once, no delayed-ACK stalls
    portal = None

    def log_message(self, *args):  # keep test output quiet
        pass

    def _send(self, status, answer):
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _serve(self):
        url = urlsplit(self.path)
        m = re.match(r"^/rest/([^/]+)/([^/]+)/([A-Za-z0-9_.]+?)(?:\.json)?/?$", url.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not m:
            return self._send(404, {"error": "NOT_FOUND", "error_description": "Not found"})
        params = php_parse(parse_qsl(url.query, keep_blank_values=True))
        if raw:
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            try:
                if ctype == "application/json":
                    body = json.loads(raw.decode("utf-8"), object_pairs_hook=OrderedDict)
                    if not isinstance(body, dict):
                        raise ValueError("not an object")
                else:
                    body = php_parse(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
            except ValueError:
                return self._send(400, {"error": "INVALID_REQUEST",
                                        "error_description": "Request body cannot be parsed"})
            params.update(body)
        status, answer = self.portal.handle(m.group(1), m.group(2), m.group(3), params)
        return self._send(status, answer)

    do_POST = _serve
    do_GET = _serve
