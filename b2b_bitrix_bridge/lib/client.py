"""Bitrix24 REST client over an incoming webhook.

An incoming webhook is a URL ``https://<portal>/rest/<user_id>/<secret>/``; a method is called by
POSTing its parameters to ``<webhook>/<method>.json``. Bitrix24 answers JSON: ``result`` (plus
``next`` and ``total`` for list methods, and a ``time`` block), or ``error`` and
``error_description``.

:class:`BitrixRestClient` holds what every caller shares (pacing, errors, ``batch``, paging, a
portal that moved answering 302); :class:`BitrixClient` is the webhook's, the local application's
(OAuth tokens) is :class:`b2b_bitrix_bridge.lib.oauth.BitrixAppClient`.
"""
import time
from collections import OrderedDict
from urllib.parse import urljoin

import requests

from .errors import (BitrixApiError, BitrixAuthError, BitrixProtocolError, BitrixRetryableError,
                     BitrixTokenExpiredError)
from .query import http_build_query
from .ratelimit import TokenBucket

#: Bitrix24 runs at most this many commands in one ``batch`` call
BATCH_LIMIT = 50

AUTH_ERRORS = {"NO_AUTH_FOUND", "INVALID_CREDENTIALS", "expired_token", "invalid_token",
               "WRONG_AUTH_TYPE", "authorization_error"}
#: error code -> seconds to wait before trying again when Bitrix24 gives no Retry-After
RETRY_DELAYS = {"QUERY_LIMIT_EXCEEDED": 1.0, "OVERLOAD_LIMIT": 60.0,
                # one method blocked for its share of the 10-minute operating-time window
                "OPERATION_TIME_LIMIT": 60.0,
                # Bitrix24's own failures (e.g. after thousands of creates in a row): try later
                "INTERNAL_SERVER_ERROR": 30.0, "ERROR_UNEXPECTED_ANSWER": 30.0}
UNAVAILABLE_DELAY = 30.0
#: a portal whose domain changed answers these, with the new address in Location
REDIRECTS = (301, 302, 303, 307, 308)


def normalize_webhook_url(url):
    """The webhook base URL with exactly one trailing slash; a clear error when it is not one.

    Accepts the URL as Bitrix24 shows it (``https://portal.bitrix24.ru/rest/1/abc123/``), with or
    without the trailing slash, and also a URL to which a method was already appended by mistake
    (``.../rest/1/abc123/profile.json``): the method part is dropped.
    """
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        raise ValueError("The Bitrix24 webhook URL must start with https:// (got %r) / "
                         "URL вебхука Bitrix24 должен начинаться с https:// (указано %r)" % (url, url))
    parts = url.rstrip("/").split("/")
    # scheme, '', host, ..., 'rest', user_id, secret[, method]
    try:
        rest = len(parts) - 1 - parts[::-1].index("rest")
    except ValueError:
        rest = -1
    if rest < 3 or len(parts) < rest + 3:
        raise ValueError(
            "The Bitrix24 webhook URL must look like https://<portal>/rest/<user id>/<secret>/ "
            "(got %r) / URL вебхука Bitrix24 должен иметь вид "
            "https://<портал>/rest/<id пользователя>/<секрет>/ (указано %r)" % (url, url))
    return "/".join(parts[:rest + 3]) + "/"


class BatchResult:
    """Outcome of :meth:`BitrixClient.batch`, by command name.

    ``results[name]`` is the command's result, ``errors[name]`` a :class:`BitrixApiError`;
    ``not_run`` lists the commands Bitrix24 did not run because ``halt`` stopped the batch;
    ``totals`` and ``nexts`` hold the paging data of list commands.
    """

    def __init__(self):
        self.results = OrderedDict()
        self.errors = OrderedDict()
        self.totals = {}
        self.nexts = {}
        self.not_run = []

    @property
    def ok(self):
        return not self.errors and not self.not_run

    def __repr__(self):
        return "<BatchResult %d results, %d errors, %d not run>" % (
            len(self.results), len(self.errors), len(self.not_run))


class BitrixRestClient:
    """What every Bitrix24 REST caller shares; subclasses say where a method is POSTed.

    ``rate`` and ``burst`` pace the calls (a token bucket, see :class:`TokenBucket`); ``rate=None``
    switches the pacing off; ``limiter`` may instead be a bucket shared with other clients of the
    same portal (Bitrix24 counts a portal's requests together). ``clock`` and ``sleep`` are passed
    to the bucket. ``session`` may be a ``requests.Session`` to reuse connections.
    """

    def __init__(self, rate=2.0, burst=50, timeout=30.0, session=None, clock=time.monotonic,
                 sleep=time.sleep, limiter=None):
        self.timeout = timeout
        self.session = session or requests.Session()
        self.limiter = limiter or (TokenBucket(rate, burst, clock=clock, sleep=sleep) if rate else None)

    # ------------------------------------------------------------------ single calls
    @staticmethod
    def _check_method(method):
        if not method or "/" in method or "?" in method:
            raise ValueError("Not a Bitrix24 method name: %r / Не имя метода Bitrix24: %r"
                             % (method, method))

    def base_url(self):
        """The URL methods are appended to (ending with a slash)."""
        raise NotImplementedError

    def method_url(self, method):
        self._check_method(method)
        return "%s%s.json" % (self.base_url(), method)

    def _moved(self, base):
        """The portal answered from ``base`` after a redirect: later calls may go there directly."""

    def call_raw(self, method, params=None):
        """Call ``method`` and return Bitrix24's whole answer (``result``, ``next``, ``total``, ``time``)."""
        return self._post(method, self.method_url(method), params or {})

    def _post(self, method, url, payload):
        """POST ``payload`` as JSON to ``url``; a redirect (the portal's domain changed) is followed
        once with the same POST (``requests`` would turn it into a GET without the body)."""
        if self.limiter:
            self.limiter.acquire()
        try:
            response = self.session.post(url, json=payload, timeout=self.timeout,
                                         allow_redirects=False)
            location = response.headers.get("Location")
            if response.status_code in REDIRECTS and location:
                location = urljoin(url, location)
                response = self.session.post(location, json=payload, timeout=self.timeout,
                                             allow_redirects=False)
                tail = "%s.json" % method
                if response.status_code not in REDIRECTS and location.endswith("/" + tail):
                    self._moved(location[:-len(tail)])
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise BitrixRetryableError(
                "Bitrix24 is unreachable while calling %s: %s" % (method, exc),
                "Bitrix24 недоступен при вызове %s: %s" % (method, exc),
                retry_after=UNAVAILABLE_DELAY, method=method) from None
        finally:
            if self.limiter:
                self.limiter.settle()
        return self._decode(method, response)

    def call(self, method, params=None):
        """Call ``method`` with ``params`` (nested dicts and lists allowed); return its ``result``."""
        return self.call_raw(method, params)["result"]

    def _decode(self, method, response):
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            body = {}
        code = body.get("error")
        description = body.get("error_description") or ""
        if code is None and status < 400 and "result" in body:
            return body
        if code is None and status < 400:
            raise BitrixProtocolError(
                "Bitrix24 answered %s without a result (HTTP %d)" % (method, status),
                "Bitrix24 ответил на %s без результата (HTTP %d)" % (method, status),
                method=method, http_status=status)
        code = code or ""
        if code == "WRONG_AUTH_TYPE":
            raise BitrixAuthError(
                "Bitrix24 method %s needs the application context: it is called through the "
                "portal's local application (OAuth), not through the webhook (%s)"
                % (method, description or code),
                "Метод Bitrix24 %s требует контекста приложения: он вызывается через локальное "
                "приложение портала (OAuth), а не через вебхук (%s)" % (method, description or code),
                method=method, code=code, description=description, http_status=status)
        if code == "expired_token":
            raise BitrixTokenExpiredError(
                "The Bitrix24 access token has expired (calling %s)" % method,
                "Срок действия токена доступа Bitrix24 истёк (при вызове %s)" % method,
                method=method, code=code, description=description, http_status=status)
        if code in AUTH_ERRORS or status == 401:
            raise self._auth_error(method, code, description, status)
        if code in RETRY_DELAYS or status in (429, 502, 503, 504) or (status >= 500 and not code):
            delay = _retry_after(response) or RETRY_DELAYS.get(code) or (
                RETRY_DELAYS["QUERY_LIMIT_EXCEEDED"] if status in (429, 503) else UNAVAILABLE_DELAY)
            what = code or "HTTP %d" % status
            raise BitrixRetryableError(
                "Bitrix24 is busy (%s) calling %s; retry in %.0f s" % (what, method, delay),
                "Bitrix24 перегружен (%s) при вызове %s; повторите через %.0f с" % (what, method, delay),
                retry_after=delay, method=method, code=code, description=description,
                http_status=status)
        raise BitrixApiError(
            "Bitrix24 method %s failed: %s%s" % (method, code or "HTTP %d" % status,
                                                 description and " (%s)" % description),
            "Метод Bitrix24 %s завершился ошибкой: %s%s" % (method, code or "HTTP %d" % status,
                                                            description and " (%s)" % description),
            method=method, code=code, description=description, http_status=status)

    def _auth_error(self, method, code, description, status):
        """The error for refused credentials (of the webhook here)."""
        return BitrixAuthError(
            "Bitrix24 refused the webhook credentials (%s%s) calling %s. Check the webhook "
            "URL (user id and secret) in Settings > General Settings > Bitrix24 and that the "
            "webhook still exists in Bitrix24."
            % (code or "HTTP %d" % status, description and ": " + description, method),
            "Bitrix24 отклонил учётные данные вебхука (%s%s) при вызове %s. Проверьте URL "
            "вебхука (id пользователя и секрет) в Настройки > Общие настройки > Bitrix24 и "
            "что вебхук в Bitrix24 не удалён."
            % (code or "HTTP %d" % status, description and ": " + description, method),
            method=method, code=code, description=description, http_status=status)

    # ------------------------------------------------------------------ batch
    @staticmethod
    def encode_command(method, params=None):
        """One ``batch`` command as Bitrix24 expects it: ``method?`` + PHP query string."""
        query = http_build_query(params or {})
        return "%s?%s" % (method, query) if query else method

    def batch(self, calls, halt=False):
        """Run ``calls`` (``{name: (method, params)}``) through ``batch``, 50 commands per request.

        Returns a :class:`BatchResult`. With ``halt=True`` Bitrix24 stops at the first failing
        command; then the following chunks are not sent either and the commands not run are listed
        in ``not_run``. Busy or auth errors of a whole request are raised as for :meth:`call`.

        Note that PHP's query string cannot carry an empty list (``rows=[]``), so a command that
        needs one (clearing all product rows) must be made with :meth:`call`.
        """
        outcome = BatchResult()
        items = list(calls.items())
        for name, _call in items:
            if not isinstance(name, str) or not name or any(c in name for c in "[]$&?="):
                raise ValueError("Bad batch command name %r / Недопустимое имя команды batch %r"
                                 % (name, name))
        halted = False
        for start in range(0, len(items), BATCH_LIMIT):
            chunk = items[start:start + BATCH_LIMIT]
            if halted:
                outcome.not_run.extend(name for name, _call in chunk)
                continue
            cmd = OrderedDict((name, self.encode_command(*call)) for name, call in chunk)
            answer = self.call("batch", {"halt": 1 if halt else 0, "cmd": cmd})
            results = _as_dict(answer.get("result"))
            errors = _as_dict(answer.get("result_error"))
            totals = _as_dict(answer.get("result_total"))
            nexts = _as_dict(answer.get("result_next"))
            for name, call in chunk:
                if name in errors:
                    err = errors[name] if isinstance(errors[name], dict) else {}
                    code = err.get("error") or ""
                    description = err.get("error_description") or ""
                    outcome.errors[name] = BitrixApiError(
                        "Bitrix24 command %s (%s) failed: %s%s" % (
                            name, call[0], code, description and " (%s)" % description),
                        "Команда Bitrix24 %s (%s) завершилась ошибкой: %s%s" % (
                            name, call[0], code, description and " (%s)" % description),
                        method=call[0], code=code, description=description)
                elif name in results:
                    outcome.results[name] = results[name]
                    if name in totals:
                        outcome.totals[name] = totals[name]
                    if name in nexts:
                        outcome.nexts[name] = nexts[name]
                else:
                    outcome.not_run.append(name)
            if halt and (outcome.errors or outcome.not_run):
                halted = True
        return outcome

    # ------------------------------------------------------------------ paging
    def list_all(self, method, params=None):
        """Yield every record of a list method, following Bitrix24's ``next``/``start`` paging."""
        params = dict(params or {})
        start = params.pop("start", 0)
        while True:
            answer = self.call_raw(method, dict(params, start=start))
            result = answer["result"]
            if isinstance(result, dict):
                # newer list methods wrap the page: {"items": [...]} / {"tasks": [...]}
                lists = [v for v in result.values() if isinstance(v, list)]
                result = lists[0] if len(lists) == 1 else []
            for record in result:
                yield record
            nxt = answer.get("next")
            if nxt is None or nxt == start:
                return
            start = nxt


class BitrixClient(BitrixRestClient):
    """Calls Bitrix24 REST methods through an incoming webhook (see :class:`BitrixRestClient` for
    the pacing arguments)."""

    def __init__(self, webhook_url, rate=2.0, burst=50, timeout=30.0, session=None,
                 clock=time.monotonic, sleep=time.sleep, limiter=None):
        self.webhook_url = normalize_webhook_url(webhook_url)
        super().__init__(rate=rate, burst=burst, timeout=timeout, session=session, clock=clock,
                         sleep=sleep, limiter=limiter)

    def base_url(self):
        return self.webhook_url

    def _moved(self, base):
        self.webhook_url = base


def _as_dict(value):
    """Bitrix24 (PHP) encodes an empty map as ``[]``: treat it as ``{}``."""
    if isinstance(value, dict):
        return value
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)} if value else {}
    return {}


def _retry_after(response):
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None

