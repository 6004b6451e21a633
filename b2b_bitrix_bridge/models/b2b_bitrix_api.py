import logging
from contextlib import contextmanager

from odoo import _, api, models
from odoo.exceptions import UserError

from odoo.addons.queue_job.exception import RetryableJobError

from ..lib.client import BitrixClient
from ..lib.deals import ORIGINATOR
from ..lib.errors import BitrixError, BitrixRetryableError
from .res_config_settings import (
    DEFAULT_BURST, DEFAULT_OAUTH_URL, DEFAULT_RATE, PARAM_BURST, PARAM_CLIENT_ID,
    PARAM_CLIENT_SECRET, PARAM_DEAL_CATEGORY, PARAM_LINE, PARAM_MERCH_CATEGORY,
    PARAM_MERCH_STAGE, PARAM_MERCH_TARGET, PARAM_OAUTH_URL, PARAM_RATE, PARAM_TOKEN,
    PARAM_WEBHOOK, _number)

_logger = logging.getLogger(__name__)

#: the open-lines connector the dealers' chat comes through
CONNECTOR_ID = "b2b_dealer_portal"
#: Bitrix24 events the portal subscribes to, and the handler route
EVENTS = ("ONCRMDEALADD", "ONCRMDEALUPDATE", "ONCRMLEADUPDATE", "ONIMCONNECTORMESSAGEADD")
EVENT_ROUTE = "/b2b/bitrix/event"
#: events Bitrix24 also keeps in its queue of offline events, read by a scheduled action: what the
#: route misses (Odoo down, a lost post) is not lost
OFFLINE_EVENTS = ("ONCRMDEALADD", "ONCRMDEALUPDATE", "ONCRMLEADUPDATE")

# one client per process and webhook: its token bucket paces every call this process makes
_CLIENTS = {}


class B2bBitrixApi(models.AbstractModel):
    """How the rest of Odoo calls Bitrix24: the webhook for CRM methods, the local application for
    what needs application context, and the settings both use."""

    _name = "b2b.bitrix.api"
    _description = "Bitrix24 connection"

    # ------------------------------------------------------------------ settings
    def _b2b_param(self, key, default=""):
        return self.env["ir.config_parameter"].sudo().get_param(key) or default

    @api.model
    def _b2b_settings(self):
        get = self._b2b_param
        return {
            "webhook_url": get(PARAM_WEBHOOK),
            "client_id": get(PARAM_CLIENT_ID),
            "client_secret": get(PARAM_CLIENT_SECRET),
            "oauth_url": get(PARAM_OAUTH_URL, DEFAULT_OAUTH_URL),
            "connector_id": CONNECTOR_ID,
            "line_id": _number(int, get(PARAM_LINE), 0),
            "deal_category_id": _number(int, get(PARAM_DEAL_CATEGORY), 0),
            "merch_target": get(PARAM_MERCH_TARGET) or "lead",
            "merch_category_id": _number(int, get(PARAM_MERCH_CATEGORY), 0),
            "merch_stage_id": get(PARAM_MERCH_STAGE),
            "rate": _number(float, get(PARAM_RATE), DEFAULT_RATE),
            "burst": _number(int, get(PARAM_BURST), DEFAULT_BURST),
            "base_url": get("web.base.url").rstrip("/"),
        }

    @api.model
    def _b2b_configured(self):
        return bool(self._b2b_param(PARAM_WEBHOOK))

    # ------------------------------------------------------------------ clients
    @api.model
    def _b2b_webhook_client(self):
        settings = self._b2b_settings()
        url = settings["webhook_url"]
        if not url:
            raise UserError(_("Bitrix24 is not connected: set the webhook URL in Settings > "
                              "General Settings > Bitrix24."))
        key = (url, settings["rate"], settings["burst"])
        client = _CLIENTS.get(key)
        if client is None:
            client = _CLIENTS[key] = BitrixClient(url, rate=settings["rate"], burst=settings["burst"])
        return client

    @api.model
    def _b2b_app_client(self):
        return self.env["b2b.bitrix.token"]._b2b_client()

    @api.model
    def _b2b_client(self, app=False):
        return self._b2b_app_client() if app else self._b2b_webhook_client()

    @api.model
    def _b2b_call(self, method, params=None, app=False):
        return self._b2b_client(app).call(method, params or {})

    @api.model
    def _b2b_call_raw(self, method, params=None, app=False):
        return self._b2b_client(app).call_raw(method, params or {})

    @api.model
    def _b2b_batch(self, calls, app=False, halt=False):
        return self._b2b_client(app).batch(calls, halt=halt)

    @api.model
    def _b2b_list(self, method, params=None, app=False):
        return list(self._b2b_client(app).list_all(method, params or {}))

    @api.model
    def _b2b_find_by_origin(self, entity, origins):
        """{ORIGIN_ID: id} of the CRM records of ``entity`` ("deal", "company", "contact",
        "lead") the portal made with these ORIGIN_IDs (50 to a request): what a job finds again
        when an earlier attempt made the record but its answer was lost."""
        origins = list(origins)
        found = {}
        for start in range(0, len(origins), 50):
            for record in self._b2b_call("crm.%s.list" % entity, {
                    "filter": {"ORIGINATOR_ID": ORIGINATOR, "ORIGIN_ID": origins[start:start + 50]},
                    "select": ["ID", "ORIGIN_ID"]}) or []:
                found[record.get("ORIGIN_ID")] = int(record["ID"])
        return found

    @contextmanager
    def _b2b_job_errors(self):
        """Inside a queue job: Bitrix24 busy or unreachable -> the job is retried later."""
        try:
            yield
        except BitrixRetryableError as exc:
            raise RetryableJobError(str(exc), seconds=max(1, int(exc.retry_after or 1)))

    @api.model
    def _b2b_job_call(self, method, params=None, app=False):
        with self._b2b_job_errors():
            return self._b2b_call(method, params, app=app)

    @api.model
    def _b2b_job_batch(self, calls, app=False, halt=False):
        with self._b2b_job_errors():
            return self._b2b_batch(calls, app=app, halt=halt)

    # ------------------------------------------------------------------ set-up
    @api.model
    def _b2b_handler_url(self):
        return self._b2b_settings()["base_url"] + EVENT_ROUTE

    @api.model
    def _b2b_subscribe(self):
        """Bind the portal's events and register the chat connector (application context).

        Returns [(what, ok, detail)]. A binding that already exists counts as done."""
        settings = self._b2b_settings()
        outcome = []
        handler = self._b2b_handler_url()
        bound = set()
        bound_offline = set()
        try:
            for item in self._b2b_call("event.get", {}, app=True) or []:
                if isinstance(item, dict) and item.get("handler") == handler:
                    bound.add(str(item.get("event", "")).upper())
                elif isinstance(item, dict) and _offline(item):
                    bound_offline.add(str(item.get("event", "")).upper())
        except BitrixError as exc:
            return [(_("Event subscription"), False, exc.message_en)]
        bindings = [(event, {"event": event, "handler": handler}, event in bound)
                    for event in EVENTS]
        bindings += [(_("%s (offline)") % event, {"event": event, "event_type": "offline"},
                      event in bound_offline) for event in OFFLINE_EVENTS]
        for what, params, already in bindings:
            if already:
                outcome.append((what, True, _("already subscribed")))
                continue
            try:
                self._b2b_call("event.bind", params, app=True)
                outcome.append((what, True, _("subscribed")))
            except BitrixError as exc:
                if exc.code == "ERROR_HANDLER_ALREADY_EXIST":
                    outcome.append((what, True, _("already subscribed")))
                elif exc.code == "ACCESS_DENIED" and params.get("event_type") == "offline":
                    outcome.append((what, False, _(
                        "refused: only a Bitrix24 administrator may subscribe to offline events")))
                else:
                    outcome.append((what, False, exc.message_en))
        line = settings["line_id"]
        connector = settings["connector_id"]
        try:
            self._b2b_call("imconnector.register", {
                "ID": connector, "NAME": "B2B dealer portal",
                "ICON": {"DATA_IMAGE": "data:image/svg+xml;charset=US-ASCII,%3Csvg%20xmlns%3D%22http"
                                       "%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E"},
                "PLACEMENT_HANDLER": settings["base_url"] + "/my"}, app=True)
            if line:
                self._b2b_call("imconnector.activate",
                               {"CONNECTOR": connector, "LINE": line, "ACTIVE": "1"}, app=True)
                self._b2b_call("imconnector.connector.data.set", {
                    "CONNECTOR": connector, "LINE": line,
                    "DATA": {"ID": connector, "URL": settings["base_url"] + "/my",
                             "URL_IM": settings["base_url"] + "/b2b/chat",
                             "NAME": "B2B dealer portal"}}, app=True)
                outcome.append((_("Chat connector"), True, _("active on open line %s") % line))
            else:
                outcome.append((_("Chat connector"), False, _("no open line set")))
        except BitrixError as exc:
            outcome.append((_("Chat connector"), False, exc.message_en))
        return outcome

    @api.model
    def _b2b_check(self):
        """[(what, ok, detail)] of each part of the connection, calling Bitrix24 for each."""
        checks = []
        if not self._b2b_configured():
            checks.append((_("CRM webhook"), False, _("no webhook URL set")))
        else:
            try:
                profile = self._b2b_call("profile")
                checks.append((_("CRM webhook"), True, _("works, as %(name)s %(last_name)s") % {
                    "name": profile.get("NAME") or "", "last_name": profile.get("LAST_NAME") or ""}))
                self._b2b_call("crm.deal.list", {"select": ["ID"], "start": -1})
                checks.append((_("Deals"), True, _("can be read")))
            except BitrixError as exc:
                checks.append((_("CRM webhook"), False, exc.message_en))
        tokens = self.env["b2b.bitrix.token"]._b2b_tokens()
        if not self._b2b_settings()["client_id"]:
            checks.append((_("Application"), False, _("no client ID set")))
        elif not tokens.get("access_token"):
            checks.append((_("Application"), False, _(
                "not installed: install the local application in Bitrix24 with the handler path "
                "%s") % (self._b2b_settings()["base_url"] + "/b2b/bitrix/install")))
        else:
            try:
                events = self._b2b_call("event.get", {}, app=True) or []
                handler = self._b2b_handler_url()
                mine = sorted({str(e.get("event", "")).upper() for e in events
                               if isinstance(e, dict) and e.get("handler") == handler})
                missing = [e for e in EVENTS if e not in mine]
                checks.append((_("Application"), True, _("works")))
                checks.append((_("Event subscription"), not missing,
                               _("missing: %s") % ", ".join(missing) if missing else _("complete")))
                checks.append(self._b2b_check_offline(events))
            except BitrixError as exc:
                checks.append((_("Application"), False, exc.message_en))
        return checks

    @api.model
    def _b2b_check_offline(self, events):
        """(what, ok, detail) of the offline events among ``events`` (event.get's answer): a
        missing one is named, with the reason when the application's user is no administrator."""
        offline = {str(e.get("event", "")).upper() for e in events
                   if isinstance(e, dict) and _offline(e)}
        missing = [e for e in OFFLINE_EVENTS if e not in offline]
        if not missing:
            return (_("Offline events"), True, _("complete"))
        detail = _("missing: %s") % ", ".join(missing)
        try:
            profile = self._b2b_call("profile", {}, app=True) or {}
        except BitrixError:
            profile = {"ADMIN": True}    # the reason stays unknown; the missing events are named
        if not _yes(profile.get("ADMIN")):
            detail += " " + _(
                "(the application was installed by %(name)s %(last_name)s, who is not a Bitrix24 "
                "administrator: Bitrix24 lets only an administrator subscribe to offline events. "
                "Install the application again as an administrator, or have one press "
                "\"Subscribe to events\".)") % {
                    "name": profile.get("NAME") or "", "last_name": profile.get("LAST_NAME") or ""}
        return (_("Offline events"), False, detail)

    @api.model
    def _b2b_notification(self, title, checks):
        lines = ["%s %s: %s" % ("✔" if ok else "✘", what, detail) for what, ok, detail in checks]
        ok = all(ok for _what, ok, _detail in checks)
        return {
            "type": "ir.actions.act_window",
            "res_model": "b2b.bitrix.check",
            "view_mode": "form",
            "target": "new",
            "name": title,
            "res_id": self.env["b2b.bitrix.check"].create({
                "result": "\n".join(lines), "ok": ok}).id,
        }

    @api.model
    def action_test_connection(self):
        return self._b2b_notification(_("Bitrix24 connection"), self._b2b_check())

    @api.model
    def action_connect(self):
        return self._b2b_notification(_("Bitrix24 subscriptions"), self._b2b_subscribe())

    # ------------------------------------------------------------------ tests
    @api.model
    def _b2b_configure_for_tests(self, portal, line_id=1):
        """Point the settings at a running Bitrix24 stand-in ``portal`` and install the
        application there; returns the installation data."""
        set_param = self.env["ir.config_parameter"].sudo().set_param
        set_param(PARAM_WEBHOOK, portal.webhook_url)
        set_param(PARAM_CLIENT_ID, portal.client_id)
        set_param(PARAM_CLIENT_SECRET, portal.client_secret)
        set_param(PARAM_OAUTH_URL, portal.oauth_url)
        set_param(PARAM_TOKEN, portal.application_token)
        set_param(PARAM_LINE, str(line_id))
        set_param(PARAM_RATE, "50")
        set_param(PARAM_BURST, "1000")
        auth = portal.install_app()
        self.env["b2b.bitrix.token"]._b2b_install(auth)
        return auth


def _offline(item):
    """Whether an item of event.get's answer is an offline binding (``offline``: 1, no handler)."""
    return _yes(item.get("offline")) and not item.get("handler")


def _yes(value):
    return str(value).strip().lower() in ("1", "true", "y", "yes")
