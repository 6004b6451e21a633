import time

from odoo import models


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _dispatch(cls):
        """Report how long the server took for a request in a standard ``Server-Timing`` header
        (shown by the browser's developer tools, read by monitoring and by bench/portal.py): the
        time from routing to the rendered answer, without the time the request waited for a
        free worker."""
        started = time.perf_counter()
        response = super(IrHttp, cls)._dispatch()
        if hasattr(response, "headers"):
            response.headers["Server-Timing"] = "app;dur=%.1f" % (
                (time.perf_counter() - started) * 1000)
        return response
