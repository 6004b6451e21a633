"""Guards on what a dealer's user (a portal user) can make the server do, for the whole process.

Installed when b2b_base is imported (the server imports the addons of its database before it
serves; ``install`` is idempotent), they act only on databases where b2b_base is installed:

- **Object service** (``/xmlrpc/*``, ``/jsonrpc``): a dealer's user may call only the allow-listed
  model/method pairs of ``lib/rpc_policy.py``; anything else answers HTTP 403 with an access error,
  before any record is read. ``/web/dataset/*`` is gated the same way by b2b_base's ``ir.http``.
- **Time bound**: a dealer's request gets a deadline (setting ``b2b_base.dealer_request_seconds``,
  30 s by default). Every SQL statement of the request's thread checks it first, and PostgreSQL's
  ``statement_timeout`` stops a single statement that would run past it; either way the request
  ends with ``DealerRequestTimeout``, its transaction is rolled back and the dealer gets a clear
  message. The 1C and Bitrix24 exchanges and queue jobs do not run as dealers' users and keep their
  time; the live bus's long poll waits, it does not work, and is not bounded.
"""
import threading
import time

import psycopg2.extensions

from odoo import api
from odoo.exceptions import AccessError, UserError
from odoo.service import model as object_service
from odoo.service import wsgi_server
from odoo.sql_db import Cursor

from ..lib import rpc_policy
from .rule_messages import translate

# per request: the deadline of a dealer's request, its message, the HTTP status to answer with
_state = threading.local()


class DealerRpcRefused(AccessError):
    """A dealer's user called a generic entry point with a call outside the allow-list."""


class DealerRequestTimeout(UserError):
    """A dealer's request ran past its time bound and was stopped."""


def is_dealer_env(env):
    """Whether ``env`` acts for a dealer's user (a portal or public user) on a suite's database."""
    return "b2b.contract" in env.registry and env.user.share


def refuse(env, model, method, path=None):
    """Refuse ``model.method`` (or the route ``path`` that names none) to the dealer's user of
    ``env``: the request answers 403."""
    _state.status = "403 FORBIDDEN"
    if path and not (model and method):
        return DealerRpcRefused(translate(env, rpc_policy.REFUSED_ROUTE) % {"path": path})
    return DealerRpcRefused(translate(env, rpc_policy.REFUSED) % {
        "model": model or "?", "method": method or "?"})


def check_call(env, model, method, path=None):
    """Raise the refusal unless the dealer's user of ``env`` may call ``model.method`` (through
    the generic route ``path``, when it is one)."""
    recs = env.get(model) if isinstance(model, str) else None
    dealer_api = getattr(type(recs), "_b2b_dealer_rpc", ()) if recs is not None else ()
    if not rpc_policy.allowed(model, method, dealer_api):
        raise refuse(env, model, method, path)


def start_bound(env):
    """Bound the current request of the dealer's user of ``env`` in time, from now."""
    seconds = rpc_policy.request_seconds(
        env["ir.config_parameter"].sudo().get_param("b2b_base.dealer_request_seconds"))
    _state.message = translate(env, rpc_policy.TIMED_OUT) % {"seconds": "%g" % seconds}
    env.cr.execute("SET LOCAL statement_timeout = %s", (max(1, int(seconds * 1000)),))
    _state.deadline = time.monotonic() + seconds


def end_bound(cr=None):
    """The current request is no longer bounded (and ``cr``'s statement timeout is back to the
    connection's, when its transaction still runs: a test server keeps using the cursor)."""
    if getattr(_state, "deadline", None) is None:
        return
    _state.deadline = None
    if cr is not None and not cr.closed:
        try:
            cr.execute("SET LOCAL statement_timeout TO DEFAULT")
        except psycopg2.Error:  # the transaction failed: its rollback resets the timeout
            return


def _timed_out():
    _state.deadline = None  # what handles the error may still read (its rollback, its page)
    return DealerRequestTimeout(getattr(_state, "message", "") or rpc_policy.TIMED_OUT % {
        "seconds": rpc_policy.DEFAULT_REQUEST_SECONDS})


def _bounded_execute(execute):
    def bounded_execute(self, query, params=None, log_exceptions=None):
        deadline = getattr(_state, "deadline", None)
        if deadline is None:
            return execute(self, query, params, log_exceptions)
        if time.monotonic() > deadline:
            raise _timed_out()
        try:
            return execute(self, query, params, log_exceptions)
        except psycopg2.extensions.QueryCanceledError:
            raise _timed_out()
    bounded_execute.b2b_original = execute
    return bounded_execute


def _gated_execute_cr(execute_cr):
    def gated_execute_cr(cr, uid, obj, method, *args, **kw):
        env = api.Environment(cr, uid, {})
        if not is_dealer_env(env):
            return execute_cr(cr, uid, obj, method, *args, **kw)
        check_call(env, obj, method)
        start_bound(env)
        try:
            return execute_cr(cr, uid, obj, method, *args, **kw)
        finally:
            end_bound()
    gated_execute_cr.b2b_original = execute_cr
    return gated_execute_cr


def _answering(application):
    def answering(environ, start_response):
        _state.status = None
        _state.deadline = None

        def start(status, headers, exc_info=None):
            return start_response(_state.status or status, headers, exc_info)
        return application(environ, start)
    answering.b2b_original = application
    return answering


def install():
    """Put the guards in place (once per process)."""
    if not hasattr(Cursor.execute, "b2b_original"):
        Cursor.execute = _bounded_execute(Cursor.execute)
    if not hasattr(object_service.execute_cr, "b2b_original"):
        object_service.execute_cr = _gated_execute_cr(object_service.execute_cr)
    if not hasattr(wsgi_server.application_unproxied, "b2b_original"):
        wsgi_server.application_unproxied = _answering(wsgi_server.application_unproxied)
