import datetime
import json

from odoo import fields, models

from ..lib import protocol, settings, soap
from ..lib.orders import orders_document

XML = "application/xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
ORDERS_PER_QUERY = 500  # default cap of the orders one query answer carries


class OnecExchangeSession(models.Model):
    """The orders and requests 1C takes in an exchange: ``type=sale&mode=query`` sends the
    portal orders 1C has not received as they are now, ``mode=success`` marks exactly those as
    delivered; ``type=b2b&mode=query`` / ``success`` do the same for the waiting requests."""
    _inherit = "b2b.onec.exchange.session"

    b2b_sale_snapshot = fields.Text("Orders of the Last Query", readonly=True,
                                    groups="base.group_system",
                                    help="The orders (and their versions) the last query sent.")
    b2b_orders_sent = fields.Integer("Orders Sent", readonly=True)
    b2b_request_ids = fields.Many2many("b2b.onec.request", string="Requests of the Last Query",
                                       readonly=True)

    def _b2b_local_now(self):
        now = fields.Datetime.context_timestamp(self.with_context(tz=self.user_id.tz or "UTC"),
                                                datetime.datetime.utcnow())
        return now.replace(tzinfo=None)

    def _b2b_orders_per_query(self):
        """How many orders one ``type=sale&mode=query`` answer carries at most (system parameter
        ``b2b_1c_bridge.orders_per_query``); the others go with the next exchange."""
        value = self.env["ir.config_parameter"].sudo().get_param(
            settings.PREFIX + "orders_per_query")
        return settings.parse_int(value, ORDERS_PER_QUERY, 1, 100000)

    def _sale_query(self):
        """The orders waiting for 1C, as a CommerceML document (bytes)."""
        self.ensure_one()
        self.env.cr.execute("SELECT now() at time zone 'UTC'")
        read_at = str(self.env.cr.fetchone()[0])  # Odoo reads timestamps as text
        pending = self.env["sale.order"].sudo()._b2b_onec_pending(limit=self._b2b_orders_per_query())
        self.sudo().write({
            "b2b_sale_snapshot": json.dumps({"at": read_at, "orders": {
                str(order.id): digest for order, _value, digest in pending}}),
            "b2b_orders_sent": self.b2b_orders_sent + len(pending),
        })
        self._note("query: orders document sent with %d orders%s" % (
            len(pending), (" (%s)" % ", ".join(order.name for order, _v, _d in pending[:50]))
            if pending else ""))
        return orders_document(self._b2b_local_now(), [value for _o, value, _d in pending])

    def _sale_success(self):
        """1C received the orders of the last query: exactly those versions are delivered."""
        self.ensure_one()
        snapshot = json.loads(self.sudo().b2b_sale_snapshot or "{}")
        versions = snapshot.get("orders") or {}
        if versions:
            self.env["sale.order"].sudo()._b2b_onec_mark_delivered(versions, snapshot["at"])
        self.sudo().write({"b2b_sale_snapshot": False})
        self._note("success: 1C confirmed receipt of the orders document (%d orders delivered)"
                   % len(versions))
        return protocol.success()

    def _b2b_requests_query(self):
        """The requests waiting for 1C (``Запросы``), bytes."""
        self.ensure_one()
        waiting = self.env["b2b.onec.request"].sudo()._b2b_waiting()
        self.sudo().write({"b2b_request_ids": [(6, 0, waiting.ids)]})
        items = []
        for request in waiting:
            created = fields.Datetime.context_timestamp(
                self.with_context(tz=self.user_id.tz or "UTC"),
                fields.Datetime.from_string(request.create_date)).replace(tzinfo=None)
            items.append((request.guid, request.kind, created, request._b2b_payload()))
        self._note("query: requests document sent with %d requests" % len(items))
        return soap.requests_document(self._b2b_local_now(), items)

    def _b2b_requests_success(self):
        self.ensure_one()
        requests = self.sudo().b2b_request_ids
        requests._b2b_collected(self)
        self.sudo().write({"b2b_request_ids": [(5, 0, 0)]})
        self._note("success: 1C confirmed receipt of %d requests" % len(requests))
        return protocol.success()

    def _run_mode(self, exchange_type, mode, filename=None, body=None, length=None):
        if exchange_type == "b2b" and mode == "query":
            return 200, self._b2b_requests_query(), XML
        if exchange_type == "b2b" and mode == "success":
            return 200, self._b2b_requests_success(), TEXT
        return super(OnecExchangeSession, self)._run_mode(exchange_type, mode, filename, body,
                                                          length)
