from html import escape

import werkzeug.wrappers

from odoo import models
from odoo.addons.base.ir.ir_qweb.qweb import QWebException
from odoo.exceptions import AccessError, MissingError
from odoo.http import request, serialize_exception

from ..lib import rpc_policy
from ..tools import dealer_requests

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"/><title>%(status)s</title></head>
<body style="font-family: sans-serif; margin: 3em;"><h1>%(status)s</h1>
<p class="o_b2b_request_error">%(message)s</p><p><a href="/my">&#8592; /my</a></p></body></html>
"""


class IrHttp(models.AbstractModel):
    """Dealers' requests: Odoo's generic web-client routes answer 403 to a dealer's user outside the
    allow-list of ``lib/rpc_policy.py``, and every request of a dealer's user is bounded in time
    (``tools/dealer_requests.py``), ending with a clear message instead of holding a worker."""

    _inherit = "ir.http"

    @classmethod
    def _authenticate(cls, auth_method="user"):
        result = super(IrHttp, cls)._authenticate(auth_method)
        if request.uid and dealer_requests.is_dealer_env(request.env):
            path = request.httprequest.path
            call = rpc_policy.generic_call(path, request.params)
            if call is not False:
                dealer_requests.check_call(request.env, call[0], call[1], path)
            if rpc_policy.bounded(path):
                dealer_requests.start_bound(request.env)
        return result

    @classmethod
    def _dispatch(cls):
        try:
            return super(IrHttp, cls)._dispatch()
        except (dealer_requests.DealerRpcRefused, dealer_requests.DealerRequestTimeout) as error:
            # raised where Odoo's own _dispatch does not catch (e.g. while choosing the language)
            return cls._handle_exception(error)
        finally:
            # a test server keeps using the request's cursor: give it back unbounded
            dealer_requests.end_bound(
                request._cr if request.registry.in_test_mode() else None)  # pylint: disable=protected-access

    @classmethod
    def _handle_exception(cls, exception):
        if isinstance(exception, (dealer_requests.DealerRpcRefused,
                                  dealer_requests.DealerRequestTimeout)):
            if request._cr:  # pylint: disable=protected-access
                request._cr.rollback()  # pylint: disable=protected-access
            status = 403 if isinstance(exception, dealer_requests.DealerRpcRefused) else 503
            if request._request_type == "json":  # pylint: disable=protected-access
                return request._json_response(error={  # pylint: disable=protected-access
                    "code": status, "message": exception.name, "http_status": status,
                    "data": serialize_exception(exception)})
            # written without the database: the request's transaction may be the one that failed
            return werkzeug.wrappers.Response(
                PAGE % {"status": status, "message": escape(exception.name)}, status=status,
                content_type="text/html; charset=utf-8")
        if isinstance(exception, QWebException) and isinstance(exception.error, (AccessError, MissingError)):
            exception = exception.error  # a printed document of records the user may not read
        if request._request_type == "http" and isinstance(  # pylint: disable=protected-access
                exception, (AccessError, MissingError)):
            # a page of records the user may not read (another dealer's order, report, file...):
            # Odoo 11 answers 500 and logs an error; the user is told what it is, the log stays clean
            if request._cr:  # pylint: disable=protected-access
                request._cr.rollback()  # pylint: disable=protected-access
            status = 404 if isinstance(exception, MissingError) else 403
            return werkzeug.wrappers.Response(
                PAGE % {"status": status, "message": escape(exception.name)}, status=status,
                content_type="text/html; charset=utf-8")
        return super(IrHttp, cls)._handle_exception(exception)
