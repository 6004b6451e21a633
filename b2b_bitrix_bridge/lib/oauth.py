"""The portal's local Bitrix24 application: OAuth tokens and the REST client that uses them.

What needs the application context (``event.bind``, the open-lines connector ``imconnector.*``)
cannot be called through a webhook (Bitrix24 answers 403 ``WRONG_AUTH_TYPE``); it is called at
``client_endpoint`` (``https://<portal>/rest/``) with the access token in the body as ``auth``.

Tokens (Bitrix24's rules, see shared/BITRIX24.md §1.7):

* the installation gives the first pair (``access_token`` for 1 h, ``refresh_token`` for 180 days);
* a pair is refreshed only after a REST call failed with HTTP 401 ``expired_token`` -- never on a
  timer, never before every call (that can get the application blocked) -- then the call is repeated
  once;
* every refresh ROTATES the refresh token: the new pair must be stored at once, in place of the old
  one, and two refreshes must not race (the loser's old refresh token is refused with
  ``invalid_grant`` and its pair would overwrite the winner's);
* ``invalid_grant`` (the refresh token expired or was revoked) is cured only by reinstalling the
  application; ``invalid_client`` means a wrong client id or secret.

The token store protocol
------------------------

:class:`BitrixAppClient` keeps no tokens itself: it asks a *token store*, an object with two methods.

``store.load() -> dict``
    The current tokens: at least ``access_token`` and ``refresh_token``; also ``client_endpoint``
    (where REST calls go, unless the client was given one), and whatever else was stored
    (``expires``, ``member_id``, ``domain``, ``application_token``...). ``{}`` when the application
    is not installed.

``store.refresh(fn, used_access_token=None) -> dict``
    Under the store's lock (one refresh at a time across threads AND processes):

    1. read the stored tokens afresh (not a copy taken before the lock was obtained);
    2. if ``used_access_token`` is given and the stored ``access_token`` differs from it, another
       thread or process has refreshed while this one waited: return the stored tokens, do NOT
       refresh again (the stored refresh token is the new one, refreshing again would only rotate
       it once more for nothing);
    3. otherwise call ``fn(stored_tokens) -> new_tokens`` (it talks to the OAuth server and raises on
       failure: then nothing is saved and the exception propagates);
    4. save ``stored_tokens`` updated with ``new_tokens`` atomically -- both tokens together, durably,
       before the lock is released (in Odoo: in a transaction of its own, committed at once, so a
       job that fails afterwards cannot roll the rotated pair back) -- and return the merged dict.

    ``fn`` returns the token keys only (``access_token``, ``refresh_token``, ``expires``,
    ``expires_in``, ``client_endpoint``, ``server_endpoint``, ``member_id``, ``scope``,
    ``user_id``); keys it does not return (``domain``, ``application_token``) keep their values.

:class:`MemoryTokenStore` implements it with a ``threading.Lock`` (tests, scripts).
:class:`SqlTokenStore` (Odoo's store) does it with a row lock: ``SELECT ... FOR UPDATE`` on the
tokens' row in a transaction of its own, the compare of step 2, ``fn``, ``UPDATE`` and ``COMMIT``
(which releases the lock) -- so Odoo's workers, on one server or several, and the job runner's
threads refresh one at a time and a waiting one finds the new pair.
"""
import threading
import time

import requests

from .client import UNAVAILABLE_DELAY, BitrixRestClient
from .errors import BitrixAuthError, BitrixProtocolError, BitrixRetryableError, BitrixTokenExpiredError

#: Bitrix24's OAuth server (cloud portals)
DEFAULT_OAUTH_URL = "https://oauth.bitrix.info/oauth/token/"
#: what a token answer brings that is kept (not ``domain``: the OAuth server names itself there)
TOKEN_KEYS = ("access_token", "refresh_token", "expires", "expires_in", "client_endpoint",
              "server_endpoint", "member_id", "scope", "user_id")


class MemoryTokenStore:
    """The token store protocol (see the module docstring) in memory, with a thread lock.

    ``refreshes`` counts the refreshes this store actually ran."""

    def __init__(self, tokens=None):
        self._tokens = dict(tokens or {})
        self._lock = threading.Lock()
        self.refreshes = 0

    def load(self):
        with self._lock:
            return dict(self._tokens)

    def refresh(self, fn, used_access_token=None):
        with self._lock:
            current = dict(self._tokens)
            if used_access_token and current.get("access_token") and \
                    current["access_token"] != used_access_token:
                return current          # refreshed meanwhile by another thread: use that pair
            new = fn(dict(current))
            merged = dict(current)
            merged.update(new)
            self._tokens = merged       # both tokens replaced in one step
            self.refreshes += 1
            return dict(merged)


#: the columns of the tokens' row (table ``b2b_bitrix_token``, the row named ``app``)
TOKEN_COLUMNS = ("access_token", "refresh_token", "expires", "client_endpoint", "server_endpoint",
                 "domain", "member_id", "application_token")
_SELECT = ("SELECT %s FROM b2b_bitrix_token WHERE name = 'app'" % ", ".join(TOKEN_COLUMNS))
_SELECT_FOR_UPDATE = _SELECT + " FOR UPDATE"
_UPDATE = ("UPDATE b2b_bitrix_token SET %s, refreshed_at = now() at time zone 'UTC', "
           "refresh_count = coalesce(refresh_count, 0) + 1 WHERE name = 'app'"
           % ", ".join("%s = %%s" % column for column in TOKEN_COLUMNS))


class SqlTokenStore:
    """The token store protocol (see the module docstring) on the row ``app`` of PostgreSQL's
    table ``b2b_bitrix_token``, locked with ``SELECT ... FOR UPDATE`` while a refresh runs.

    ``transaction()`` gives a context manager of a transaction of its own: it yields a DB-API
    cursor, commits when the block ends without an error, rolls back otherwise (Odoo's
    ``registry.cursor``). The rotated pair is therefore kept whatever the caller's transaction
    does next, and the lock lasts from the read to that commit."""

    def __init__(self, transaction):
        self.transaction = transaction

    @staticmethod
    def _read(cr, lock=False):
        cr.execute(_SELECT_FOR_UPDATE if lock else _SELECT)
        row = cr.fetchone()
        return dict(zip(TOKEN_COLUMNS, row)) if row else {}

    def load(self):
        with self.transaction() as cr:
            return self._read(cr)

    def refresh(self, fn, used_access_token=None):
        with self.transaction() as cr:
            current = self._read(cr, lock=True)
            if used_access_token and current.get("access_token") and \
                    current["access_token"] != used_access_token:
                return current          # refreshed meanwhile by another process: use that pair
            new = fn(dict(current))
            cr.execute(_UPDATE, [new.get(name, current.get(name)) for name in TOKEN_COLUMNS])
            merged = dict(current)
            merged.update({k: v for k, v in new.items() if k in TOKEN_COLUMNS})
            return merged


class OAuthClient:
    """Bitrix24's OAuth server: token refresh and authorization-code exchange (GET requests)."""

    def __init__(self, client_id, client_secret, oauth_url=DEFAULT_OAUTH_URL, session=None,
                 timeout=30.0):
        self.client_id = client_id
        self.client_secret = client_secret
        self.oauth_url = oauth_url or DEFAULT_OAUTH_URL
        self.session = session or requests.Session()
        self.timeout = timeout

    def refresh(self, tokens):
        """New token keys for ``tokens`` (their ``refresh_token`` is spent by this call)."""
        if not tokens.get("refresh_token"):
            raise _not_installed()
        return self._token({"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})

    def exchange_code(self, code):
        """The first token keys for an authorization ``code`` (valid 30 s)."""
        return self._token({"grant_type": "authorization_code", "code": code})

    def _token(self, params):
        params = dict(params, client_id=self.client_id, client_secret=self.client_secret)
        try:
            response = self.session.get(self.oauth_url, params=params, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise BitrixRetryableError(
                "Bitrix24's OAuth server is unreachable: %s" % exc,
                "Сервер авторизации Bitrix24 недоступен: %s" % exc,
                retry_after=UNAVAILABLE_DELAY, method="oauth/token") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        body = body if isinstance(body, dict) else {}
        status = response.status_code
        if status == 200 and body.get("access_token") and body.get("refresh_token"):
            return {key: body[key] for key in TOKEN_KEYS if body.get(key) not in (None, "")}
        code = str(body.get("error") or "")
        description = str(body.get("error_description") or "")
        detail = "%s%s" % (code or "HTTP %d" % status, description and ": " + description)
        if code == "invalid_grant":
            raise BitrixAuthError(
                "Bitrix24 refused the application's refresh token (%s). The portal's local "
                "application must be reinstalled in Bitrix24 (Developer resources > the local "
                "application > Reinstall) so that the portal receives new tokens." % detail,
                "Bitrix24 отклонил токен обновления приложения (%s). Локальное приложение портала "
                "нужно переустановить в Bitrix24 (Разработчикам > локальное приложение > "
                "Переустановить), чтобы портал получил новые токены." % detail,
                method="oauth/token", code=code, description=description, http_status=status)
        if code == "invalid_client":
            raise BitrixAuthError(
                "Bitrix24's OAuth server refused the application's client id or secret (%s). "
                "Check the application's client id and client secret in Settings > General "
                "Settings > Bitrix24 against the local application in Bitrix24." % detail,
                "Сервер авторизации Bitrix24 отклонил код или ключ приложения (%s). Проверьте код "
                "приложения (client_id) и ключ (client_secret) в Настройки > Общие настройки > "
                "Bitrix24 по локальному приложению в Bitrix24." % detail,
                method="oauth/token", code=code, description=description, http_status=status)
        if status >= 500 or status == 429:
            raise BitrixRetryableError(
                "Bitrix24's OAuth server is busy (%s)" % detail,
                "Сервер авторизации Bitrix24 перегружен (%s)" % detail,
                retry_after=UNAVAILABLE_DELAY, method="oauth/token", code=code,
                description=description, http_status=status)
        if code:
            raise BitrixAuthError(
                "Bitrix24's OAuth server refused to issue tokens (%s)" % detail,
                "Сервер авторизации Bitrix24 отказал в выдаче токенов (%s)" % detail,
                method="oauth/token", code=code, description=description, http_status=status)
        raise BitrixProtocolError(
            "Bitrix24's OAuth server answered without tokens (HTTP %d)" % status,
            "Сервер авторизации Bitrix24 ответил без токенов (HTTP %d)" % status,
            method="oauth/token", http_status=status)


def _not_installed():
    return BitrixAuthError(
        "The portal's local Bitrix24 application is not installed (no tokens): install it in "
        "Bitrix24 so that the portal receives its tokens.",
        "Локальное приложение Bitrix24 не установлено (нет токенов): установите его в Bitrix24, "
        "чтобы портал получил токены.", code="NOT_INSTALLED")


class BitrixAppClient(BitrixRestClient):
    """Calls Bitrix24 REST methods as the portal's local application.

    ``store`` follows the token store protocol (module docstring); ``client_id``/``client_secret``
    and ``oauth_url`` are for refreshing. The REST base is ``client_endpoint`` or else the stored
    tokens' ``client_endpoint``. The access token travels in the JSON body as ``auth``. A call that
    fails with 401 ``expired_token`` refreshes the pair through the store and is repeated once;
    nothing refreshes otherwise. ``batch``, ``list_all`` and the errors are as for the webhook's
    :class:`~b2b_bitrix_bridge.lib.client.BitrixClient`.
    """

    def __init__(self, store, client_id, client_secret, oauth_url=DEFAULT_OAUTH_URL,
                 client_endpoint=None, rate=2.0, burst=50, timeout=30.0, session=None,
                 clock=time.monotonic, sleep=time.sleep, limiter=None):
        super().__init__(rate=rate, burst=burst, timeout=timeout, session=session, clock=clock,
                         sleep=sleep, limiter=limiter)
        self.store = store
        self.client_endpoint = client_endpoint
        self.oauth = OAuthClient(client_id, client_secret, oauth_url, session=self.session,
                                 timeout=timeout)

    def base_url(self, tokens=None):
        endpoint = self.client_endpoint or (tokens or self.store.load()).get("client_endpoint")
        if not endpoint:
            raise _not_installed()
        return endpoint.rstrip("/") + "/"

    def _moved(self, base):
        self.client_endpoint = base

    def call_raw(self, method, params=None):
        self._check_method(method)
        tokens = self.store.load()
        if not tokens.get("access_token"):
            raise _not_installed()
        try:
            return self._call_with(tokens, method, params)
        except BitrixTokenExpiredError:
            fresh = self.store.refresh(self.oauth.refresh, used_access_token=tokens["access_token"])
            return self._call_with(fresh, method, params)

    def _call_with(self, tokens, method, params):
        payload = dict(params or {})
        payload["auth"] = tokens["access_token"]
        return self._post(method, "%s%s.json" % (self.base_url(tokens), method), payload)

    def _auth_error(self, method, code, description, status):
        detail = "%s%s" % (code or "HTTP %d" % status, description and ": " + description)
        return BitrixAuthError(
            "Bitrix24 refused the local application's access token (%s) calling %s. Reinstall "
            "the application in Bitrix24 if this persists." % (detail, method),
            "Bitrix24 отклонил токен доступа локального приложения (%s) при вызове %s. Если "
            "ошибка повторяется, переустановите приложение в Bitrix24." % (detail, method),
            method=method, code=code, description=description, http_status=status)
