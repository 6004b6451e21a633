import datetime
import json
import logging
from urllib.parse import urlsplit

import psycopg2

from odoo import api, fields, models

from odoo.addons.queue_job.job import job

from ..lib.errors import BitrixError
from ..lib.events import (OFFLINE_BATCH, EventFormError, nested, offline_batch, offline_covered,
                          offline_event_form, parse_event_form, redacted, token_matches)
from .res_config_settings import PARAM_TOKEN

_logger = logging.getLogger(__name__)

#: event name -> (model, method) that handles it; the method gets the event record
EVENT_HANDLERS = {
    "ONCRMDEALADD": ("sale.order", "_b2b_bitrix_deal_event"),
    "ONCRMDEALUPDATE": ("sale.order", "_b2b_bitrix_deal_event"),
    "ONCRMLEADUPDATE": ("b2b.merch.request", "_b2b_bitrix_lead_event"),
    "ONIMCONNECTORMESSAGEADD": ("mail.channel", "_b2b_bitrix_message_event"),
}
#: the offline queue's read (process_id) whose events are not yet cleared in Bitrix24
PARAM_OFFLINE_PROCESS = "b2b_bitrix_bridge.offline_process_id"
#: how many reads of the offline queue one run makes at most
OFFLINE_MAX_BATCHES = 20


class B2bBitrixEvent(models.Model):
    """An outbound event of Bitrix24 as delivered to ``/b2b/bitrix/event``, kept for processing."""

    _name = "b2b.bitrix.event"
    _description = "Bitrix24 event"
    _order = "received_at desc, id desc"
    _rec_name = "event"

    event = fields.Char(required=True, readonly=True, index=True,
                        help="Name of the Bitrix24 event, e.g. ONCRMDEALUPDATE.")
    record_id = fields.Integer("Record ID", readonly=True, index=True,
                               help="ID of the Bitrix24 record the event is about (data[FIELDS][ID]).")
    bitrix_ts = fields.Char("Bitrix24 timestamp", readonly=True,
                            help="Unix time stamp of the event as sent by Bitrix24 (ts).")
    event_time = fields.Datetime("Event time", readonly=True,
                                 help="When the event happened in Bitrix24.")
    received_at = fields.Datetime("Received at", required=True, readonly=True, index=True,
                                  default=fields.Datetime.now)
    domain = fields.Char("Portal", readonly=True, help="Domain of the Bitrix24 portal that sent the event.")
    state = fields.Selection([("new", "New"), ("done", "Done"), ("ignored", "Not handled"),
                              ("failed", "Failed")], string="Status",
                             required=True, default="new", index=True)
    result = fields.Text(readonly=True,
                         help="What handling the event did, or why it failed.")
    payload = fields.Text("Raw payload", readonly=True,
                          help="The posted form as received, without the application token.")
    source = fields.Selection([("online", "Sent by Bitrix24"), ("offline", "Offline queue")],
                              "Received via", required=True, readonly=True, default="online",
                              help="Sent by Bitrix24 to the event route, or read from Bitrix24's "
                                   "queue of offline events (what the route missed).")
    delivery_key = fields.Char("Delivery key", required=True, readonly=True,
                               help="Event, record ID and timestamp: a delivery repeated by Bitrix24 "
                                    "carries the same key and is stored once.")

    _sql_constraints = [
        ("delivery_key_unique", "unique(delivery_key)",
         "This Bitrix24 event delivery is already recorded."),
    ]

    @api.multi
    def name_get(self):
        return [(rec.id, "%s #%s" % (rec.event, rec.record_id) if rec.record_id else rec.event)
                for rec in self]

    @api.model
    def _token_accepted(self, given):
        """Whether ``given`` is the outbound webhook's token configured in Settings or the
        installed application's token (compared in constant time)."""
        expected = self.env["ir.config_parameter"].sudo().get_param(PARAM_TOKEN) or ""
        app_token = self.env["b2b.bitrix.token"].sudo()._b2b_tokens().get("application_token")
        return token_matches(given or "", expected.strip()) or \
            token_matches(given or "", (app_token or "").strip())

    @api.multi
    def _b2b_data(self):
        """The event's ``data`` block as Bitrix24 meant it: nested dicts and lists of strings."""
        self.ensure_one()
        form = json.loads(self.payload or "{}")
        return nested(sorted(form.items())).get("data") or {}

    @api.multi
    @job(default_channel="root.b2b_bitrix")
    def _b2b_process(self):
        """Handle the event by its name (EVENT_HANDLERS); an event nobody handles is kept as
        "not handled". Errors of Bitrix24 being busy make the job retry; others are recorded."""
        for event in self:
            if event.state not in ("new", "failed"):
                continue
            handler = EVENT_HANDLERS.get(event.event)
            if not handler or handler[0] not in self.env:
                event.write({"state": "ignored", "result": False})
                continue
            result = getattr(self.env[handler[0]].sudo(), handler[1])(event)
            event.write({"state": "done", "result": result or False})
        return True

    @api.model
    def _record_delivery(self, form, source="online"):
        """Store one delivery (a mapping of the posted form fields); return ``(event, created)``.

        Raises :class:`EventFormError` for a post that is not a Bitrix24 event. A delivery already
        stored (same event, record id and ``ts``) is not stored again.
        """
        parsed = parse_event_form(form)
        key = parsed.delivery_key
        existing = self.search([("delivery_key", "=", key)], limit=1)
        if existing:
            if existing.state != "new" and existing.event in EVENT_HANDLERS:
                # Bitrix24's time stamp counts seconds: a second change of the same record within
                # the same second looks the same. Handling reads the record's present state, so
                # handling it once more is harmless and catches that change.
                existing.write({"state": "new", "received_at": fields.Datetime.now()})
                existing._b2b_queue()
            return existing, False
        values = {
            "event": parsed.event,
            "record_id": parsed.record_id or 0,
            "bitrix_ts": parsed.ts,
            "event_time": fields.Datetime.to_string(
                datetime.datetime.utcfromtimestamp(int(parsed.ts))),
            "domain": parsed.domain,
            "payload": json.dumps(redacted(form), ensure_ascii=False, indent=1, sort_keys=True),
            "delivery_key": key,
            "source": source,
        }
        try:
            with self.env.cr.savepoint():
                record = self.create(values)
        except psycopg2.IntegrityError:
            # the same delivery arrived twice at the same moment; the other request stored it
            return self.search([("delivery_key", "=", key)], limit=1), False
        _logger.info("Bitrix24 event %s for record %s recorded (id %d)", parsed.event,
                     parsed.record_id, record.id)
        record._b2b_queue()
        return record, True

    @api.multi
    def _b2b_queue(self):
        for event in self.filtered(lambda e: e.event in EVENT_HANDLERS):
            event.with_delay(priority=5, description="Bitrix24 event %s #%s" % (
                event.event, event.record_id or ""))._b2b_process()

    # ------------------------------------------------------------------ offline queue
    @api.model
    def _record_offline(self, form):
        """Store one event read from Bitrix24's offline queue (``form`` as its online delivery
        would have posted it); return ``(event, created)``. A change already handled through an
        online delivery (:func:`offline_covered`) is not handled again."""
        parsed = parse_event_form(form)
        if parsed.record_id is not None and parsed.event in EVENT_HANDLERS:
            names = [name for name, handler in EVENT_HANDLERS.items()
                     if handler == EVENT_HANDLERS[parsed.event]]
            since = fields.Datetime.to_string(datetime.datetime.utcfromtimestamp(int(parsed.ts)))
            seen = self.search([("event", "in", names), ("record_id", "=", parsed.record_id),
                                ("state", "in", ("new", "done")), ("event_time", ">=", since)],
                               order="event_time desc")
            deliveries = [(int(fields.Datetime.from_string(row.event_time).replace(
                tzinfo=datetime.timezone.utc).timestamp()), row.state)
                for row in seen if row.event_time]
            if offline_covered(int(parsed.ts), deliveries):
                _logger.info("Bitrix24 offline event %s for record %s: handled already",
                             parsed.event, parsed.record_id)
                return seen[:1], False
        return self._record_delivery(form, source="offline")

    @api.model
    def _b2b_offline_pull(self, max_batches=OFFLINE_MAX_BATCHES):
        """Read Bitrix24's queue of offline events (what the event route may have missed) and
        hand each event to the same handling as an online delivery.

        Each read keeps the events in Bitrix24 (``clear=0``, marked with a ``process_id``) until
        they are recorded and committed here; only then are they cleared (``event.offline.clear``
        with their ids) and those that are no events marked erroneous (``event.offline.error``).
        A run that stopped before clearing leaves its ``process_id`` behind: the next run reads
        those events again first. On a plan without that mode (``feature.get``), the queue is
        read and deleted at once and what is read is committed right away. Returns what was
        done, as counts."""
        summary = {"recorded": 0, "handled_already": 0, "refused": 0, "cleared": 0, "error": False}
        api_ = self.env["b2b.bitrix.api"]
        if not api_._b2b_configured() or \
                not self.env["b2b.bitrix.token"]._b2b_tokens().get("access_token"):
            return summary
        params = self.env["ir.config_parameter"].sudo()
        domain = urlsplit(api_._b2b_settings()["webhook_url"]).hostname or ""
        # a plan without "extended offline events" only reads and deletes at once (clear=1): the
        # entries are then recorded and committed right after Bitrix24 answers
        keep = self._b2b_offline_extended()
        summary["mode"] = "keep until cleared" if keep else "read and delete"
        for _read in range(max_batches):
            pending = (params.get_param(PARAM_OFFLINE_PROCESS) or "") if keep else ""
            query = {"clear": 0 if keep else 1, "limit": OFFLINE_BATCH}
            if pending:
                query["process_id"] = pending
            try:
                process_id, entries = offline_batch(
                    api_._b2b_call("event.offline.get", query, app=True))
            except BitrixError as exc:
                _logger.warning("Bitrix24 offline events not read: %s", exc.message_en)
                summary["error"] = exc.message_en
                break
            if not keep:
                self._b2b_offline_record(entries, domain, summary)
                self.env.cr.commit()  # pylint: disable=invalid-commit
                if len(entries) < OFFLINE_BATCH:
                    break
                continue
            process_id = process_id or pending
            if not entries:
                if pending:
                    self._b2b_offline_pending("")
                    continue
                break
            self._b2b_offline_pending(process_id)
            handled, refused = self._b2b_offline_record(entries, domain, summary)
            # what is recorded is kept before Bitrix24 forgets the events
            self.env.cr.commit()  # pylint: disable=invalid-commit
            try:
                if refused:
                    api_._b2b_call("event.offline.error",
                                   {"process_id": process_id, "message_id": refused}, app=True)
                if handled:
                    api_._b2b_call("event.offline.clear",
                                   {"process_id": process_id, "id": handled}, app=True)
            except BitrixError as exc:
                _logger.warning("Bitrix24 offline events not cleared (read again next time): %s",
                                exc.message_en)
                summary["error"] = exc.message_en
                break
            summary["cleared"] += len(handled)
            self._b2b_offline_pending("")
            if len(entries) < OFFLINE_BATCH and not pending:
                break
        if any(summary[key] for key in ("recorded", "refused", "error")):
            _logger.info("Bitrix24 offline events: %s", summary)
        return summary

    @api.model
    def _b2b_offline_record(self, entries, domain, summary):
        """Record the offline queue's ``entries`` as events (each handled by its job, once),
        counting in ``summary``; returns (ids of the entries recorded or handled already,
        MESSAGE_IDs of the entries that are no events)."""
        handled, refused = [], []
        for entry in entries:
            try:
                form = offline_event_form(entry, domain)
            except EventFormError as exc:
                _logger.warning("Bitrix24 offline event refused: %s", exc.message_en)
                if isinstance(entry, dict) and entry.get("MESSAGE_ID"):
                    refused.append(str(entry["MESSAGE_ID"]))
                summary["refused"] += 1
                continue
            _event, created = self._record_offline(form)
            summary["recorded" if created else "handled_already"] += 1
            if str(entry.get("ID") or "").isdigit():
                handled.append(int(entry["ID"]))
        return handled, refused

    @api.model
    def _b2b_offline_extended(self):
        """Whether the portal's plan keeps offline events until they are cleared (``feature.get``
        ``rest_offline_extended`` is ``Y``); a portal that cannot say is taken to keep them."""
        try:
            answer = self.env["b2b.bitrix.api"]._b2b_call(
                "feature.get", {"CODE": "rest_offline_extended"}, app=True)
        except BitrixError as exc:
            _logger.info("Bitrix24 did not say whether it keeps offline events: %s", exc.message_en)
            return True
        value = answer.get("value") if isinstance(answer, dict) else answer
        return str(value or "Y").strip().upper() != "N"

    @api.model
    def _b2b_offline_pending(self, process_id):
        """Remember (or forget) the read whose events are not yet cleared in Bitrix24."""
        self.env["ir.config_parameter"].sudo().set_param(PARAM_OFFLINE_PROCESS, process_id or "")
        self.env.cr.commit()  # pylint: disable=invalid-commit
