import datetime
import json
import logging
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.job import job

from ..lib import soap

_logger = logging.getLogger(__name__)

KINDS = [
    ("counterparty", "New counterparty"),
    ("act", "Reconciliation act"),
    ("availability", "Availability check"),
    ("commission_report", "Commission report"),
    ("complaint", "Complaint"),
]
STATES = [
    ("queued", "Waiting"),
    ("sent", "Delivered to 1C"),
    ("done", "Answered"),
    ("cancel", "Cancelled"),
]


class OnecRequest(models.Model):
    """Something the portal asks of 1C: a reconciliation act, an availability check, a commission
    report, a dealer's new legal entity (counterparty). With the 1C web service configured it is sent there (a queue job, tried again with
    growing pauses); otherwise, or while the service cannot be reached, it waits here and 1C
    collects it through the exchange (``type=b2b&mode=query``). Nothing is lost either way."""
    _name = "b2b.onec.request"
    _description = "Request to 1C"
    _order = "create_date desc, id desc"

    name = fields.Char("Request", compute="_compute_name", store=True)
    guid = fields.Char("Id", required=True, readonly=True, index=True, copy=False,
                       default=lambda self: str(uuid.uuid4()),
                       help="The Ид of the request in the web-service call and the exchange.")
    kind = fields.Selection(KINDS, required=True, readonly=True)
    payload = fields.Text(required=True, readonly=True,
                          help="What is sent to 1C (JSON).")
    state = fields.Selection(STATES, "Status", required=True, default="queued", readonly=True,
                             index=True,
                             help="Waiting: not delivered yet (the web service is not configured "
                                  "or could not be reached; 1C collects it through the "
                                  "exchange). Delivered: 1C has it. Answered: 1C's answer was "
                                  "handled.")
    transport = fields.Selection([("soap", "Web service"), ("exchange", "Exchange")],
                                 "Delivered by", readonly=True)
    attempts = fields.Integer(readonly=True,
                              help="Calls of the web service made for this request.")
    error = fields.Text("Last Error", readonly=True)
    answer = fields.Text(readonly=True, help="1C's answer (JSON).")
    res_model = fields.Char("Related Model", readonly=True, index=True)
    res_id = fields.Integer("Related Record Id", readonly=True, index=True)
    res_name = fields.Char("Related Record", compute="_compute_res_name")
    date_sent = fields.Datetime("Delivered at", readonly=True)
    job_uuid = fields.Char("Job", readonly=True, copy=False)
    session_id = fields.Many2one("b2b.onec.exchange.session", "Collected in", readonly=True,
                                 ondelete="set null")

    @api.depends("kind", "guid")
    def _compute_name(self):
        labels = dict(KINDS)
        for request in self:
            request.name = "%s %s" % (labels.get(request.kind, ""), (request.guid or "")[:8])

    def _compute_res_name(self):
        for request in self:
            record = request._b2b_record()
            request.res_name = record.display_name if record else False

    def _b2b_record(self):
        self.ensure_one()
        if not self.res_model or self.res_model not in self.env:
            return None
        return self.env[self.res_model].sudo().browse(self.res_id).exists() or None

    def _b2b_payload(self):
        return json.loads(self.payload or "{}")

    # ------------------------------------------------------------------ creating
    @api.model
    def b2b_enqueue(self, kind, payload, record=None):
        """A new request of ``kind`` with ``payload`` (see lib.soap) for ``record``: sent to the
        web service through a queue job when it is configured, else left for 1C to collect."""
        return self._b2b_create(kind, payload, record, deliver=True)

    @api.model
    def _b2b_create(self, kind, payload, record=None, deliver=True):
        if kind not in dict(KINDS):
            raise UserError(_("Unknown kind of request to 1C: %s") % kind)
        request = self.sudo().create({
            "kind": kind,
            "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
            "res_model": record._name if record else False,
            "res_id": record.id if record else False,
        })
        if deliver and self.env["b2b.onec.soap.client"]._b2b_configured():
            request._b2b_schedule()
        return request

    def _b2b_schedule(self, eta=None):
        for request in self:
            queued = request.with_delay(eta=eta, max_retries=1,
                                        description="1C web service: %s" % request.name
                                        )._b2b_job_send()
            request.job_uuid = queued.uuid

    # ------------------------------------------------------------------ sending
    @job(default_channel="root.b2b_onec")
    @api.multi
    def _b2b_job_send(self):
        """The queue job: one attempt; a failure that may pass (1C unreachable) schedules the
        next attempt after a growing pause, up to the configured number of attempts; after
        that, or on a refusal, the request waits for 1C to collect it through the exchange."""
        self.ensure_one()
        if self.state != "queued":
            return "nothing to do: %s" % self.state
        answer, retry = self._b2b_attempt()
        if answer is not None:
            return "delivered"
        config = self.env["b2b.onec.soap.client"]._b2b_config()
        if retry and self.attempts < config["attempts"]:
            eta = datetime.timedelta(seconds=soap.backoff_seconds(self.attempts))
            self._b2b_schedule(eta=eta)
            return "attempt %d failed, next in %s" % (self.attempts, eta)
        return "waits for the exchange: %s" % (self.error or "")

    def _b2b_send_now(self):
        """One attempt at once (for an answer the user waits for); None when not delivered."""
        self.ensure_one()
        if not self.env["b2b.onec.soap.client"]._b2b_configured():
            return None
        return self._b2b_attempt()[0]

    def _b2b_attempt(self):
        """Call the web service for this request; returns (answer, None) or (None, whether
        another attempt may succeed), the error kept on the request."""
        self.ensure_one()
        Client = self.env["b2b.onec.soap.client"]
        if not Client._b2b_configured():
            self.write({"error": self._b2b_text(soap.SoapError(soap.MSG_NOT_CONFIGURED))})
            return None, False
        self.write({"attempts": self.attempts + 1})
        try:
            answer = Client._b2b_call(self.kind, self.guid, self._b2b_payload())
        except soap.SoapError as exc:
            _logger.warning("1C web service: request %s (%s) not delivered: %s",
                            self.guid, self.kind, exc)
            self.write({"error": self._b2b_text(exc)})
            return None, exc.retry
        stored = {key: value for key, value in answer.items() if key != "act_pdf"}
        stored["act_pdf"] = bool(answer.get("act_pdf"))
        self.write({"state": "sent", "transport": "soap", "error": False,
                    "date_sent": fields.Datetime.now(),
                    "answer": json.dumps(stored, ensure_ascii=False, sort_keys=True)})
        self._b2b_handle_answer(answer)
        return answer, None

    def _b2b_text(self, exc):
        """The error in English and, below, in Russian."""
        Session = self.env["b2b.onec.exchange.session"]
        english = exc.render()
        russian = exc.render(lambda text: Session._translate(text, "ru_RU"))
        return english if russian == english else "%s\n%s" % (english, russian)

    def _b2b_handle_answer(self, answer):
        """What 1C's answer changes in the portal."""
        self.ensure_one()
        record = self._b2b_record()
        done = True
        if self.kind == "act" and record is not None:
            if answer.get("act_pdf"):
                record.b2b_receive_act(answer["act_pdf"], number=answer.get("act_number") or None,
                                       b2b_onec_id=answer.get("act_id") or None)
            else:
                done = False
                if record.state == "queued":
                    record.write({"state": "sent", "error": False})
        elif self.kind == "availability" and record is not None:
            record._b2b_onec_receive_availability(answer)
        elif self.kind == "commission_report" and record is not None \
                and hasattr(record, "message_post"):
            record.message_post(body=_("Received by 1C (document %s).")
                                % (answer.get("document_id") or "-"), subtype="mail.mt_note")
        elif self.kind == "complaint" and record is not None:
            record.message_post(body=_("Received by 1C (document %s).")
                                % (answer.get("document_id") or "-"), subtype="mail.mt_note")
        if done:
            self.state = "done"

    # ------------------------------------------------------------------ the exchange
    @api.model
    def _b2b_waiting(self):
        return self.sudo().search([("state", "=", "queued")], order="id")

    def _b2b_collected(self, session):
        """1C confirmed (``type=b2b&mode=success``) it took these requests in ``session``."""
        for request in self.filtered(lambda r: r.state == "queued"):
            request.write({"state": "sent", "transport": "exchange", "session_id": session.id,
                           "date_sent": fields.Datetime.now()})
            record = request._b2b_record()
            if request.kind == "act" and record is not None and record.state == "queued":
                record.write({"state": "sent", "error": False})

    # ------------------------------------------------------------------ backend
    def action_retry(self):
        """Try the web service again now (for waiting requests)."""
        for request in self.filtered(lambda r: r.state == "queued"):
            request.attempts = 0
            if not self.env["b2b.onec.soap.client"]._b2b_configured():
                raise UserError(_("The 1C web service is not configured (Sales > Settings); the "
                                  "request waits for 1C to collect it through the exchange."))
            request._b2b_schedule()
        return True

    def action_cancel(self):
        self.filtered(lambda r: r.state == "queued").write({"state": "cancel"})
        return True

    def action_open_record(self):
        self.ensure_one()
        record = self._b2b_record()
        if record is None:
            raise UserError(_("The record of this request no longer exists."))
        return {"type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id,
                "view_mode": "form", "target": "current"}
