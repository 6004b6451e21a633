import datetime
import hashlib
import logging
import os
import secrets
import shutil

from odoo import api, fields, models
from odoo.tools import config

from ..lib import protocol, settings
from ..lib.orders import orders_document
from ..lib.protocol import ExchangeRefused, SessionRefused

_logger = logging.getLogger(__name__)

STORAGE_FOLDER = "b2b_1c_exchange"


class OnecExchangeSession(models.Model):
    """One exchange 1C ran against the portal: from its checkauth to its last call."""

    _name = "b2b.onec.exchange.session"
    _description = "1C exchange session"
    _order = "date_start desc, id desc"

    name = fields.Char(string="Session", compute="_compute_name", store=True)
    user_id = fields.Many2one("res.users", string="Exchange user", required=True, readonly=True,
                              ondelete="restrict", index=True)
    exchange_type = fields.Selection(
        [("catalog", "Catalog"), ("sale", "Orders"), ("b2b", "B2B data")],
        string="Exchange type", required=True, readonly=True,
        help="The type 1C named in its checkauth call: catalog (goods, offers), sale (orders) or "
             "b2b (the portal's own data packages).")
    state = fields.Selection(
        [("open", "Open"), ("done", "Done"), ("failed", "Failed")], string="Status",
        required=True, default="open", readonly=True,
        help="Open: 1C may still call with this session's cookie. Done: closed without errors. "
             "Failed: closed, at least one call was refused.")
    token_hash = fields.Char(string="Cookie hash", readonly=True, index=True, copy=False,
                             groups="base.group_system",
                             help="SHA-256 of the session cookie; the cookie itself is never stored.")
    remote_addr = fields.Char(string="Address of 1C", readonly=True)
    date_start = fields.Datetime(string="Started", required=True, readonly=True,
                                 default=fields.Datetime.now)
    date_last = fields.Datetime(string="Last call", readonly=True)
    date_end = fields.Datetime(string="Closed", readonly=True)
    duration = fields.Float(string="Duration (s)", readonly=True, digits=(16, 1),
                            help="Seconds from checkauth to the last call.")
    call_count = fields.Integer(string="Calls", readonly=True)
    file_ids = fields.One2many("b2b.onec.exchange.file", "session_id", string="Files", readonly=True)
    file_count = fields.Integer(string="Files received", compute="_compute_file_stats")
    bytes_received = fields.Integer(string="Bytes received", compute="_compute_file_stats")
    error_count = fields.Integer(string="Errors", readonly=True)
    last_error = fields.Text(string="Last error", readonly=True)
    log = fields.Text(string="Log", readonly=True,
                      help="What happened during the session, one line per event.")

    @api.depends("exchange_type", "date_start", "user_id")
    def _compute_name(self):
        labels = dict(self._fields["exchange_type"].selection)
        for session in self:
            session.name = "%s %s %s" % (labels.get(session.exchange_type, ""),
                                         session.date_start or "", session.user_id.login or "")

    @api.depends("file_ids.size", "file_ids.parent_id")
    def _compute_file_stats(self):
        for session in self:
            uploaded = session.file_ids.filtered(lambda f: not f.parent_id)
            session.file_count = len(uploaded)
            session.bytes_received = sum(uploaded.mapped("size"))

    # ------------------------------------------------------------------ settings and storage
    @api.model
    def _settings(self):
        params = self.env["ir.config_parameter"].sudo()
        return settings.read(lambda key: params.get_param(key))

    @api.model
    def _storage_root(self):
        return os.path.join(config.filestore(self.env.cr.dbname), STORAGE_FOLDER)

    def _storage_dir(self):
        self.ensure_one()
        return os.path.join(self._storage_root(), str(self.id))

    # ------------------------------------------------------------------ sessions and cookies
    @staticmethod
    def _hash_token(token):
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    @api.model
    def _open_session(self, user, exchange_type, remote_addr=None):
        """A new session of ``user``; returns (session, cookie value)."""
        token = secrets.token_urlsafe(32)
        now = fields.Datetime.now()
        session = self.sudo().create({
            "user_id": user.id,
            "exchange_type": exchange_type,
            "token_hash": self._hash_token(token),
            "remote_addr": remote_addr,
            "date_start": now,
            "date_last": now,
            "call_count": 1,
        })
        session._note("checkauth: session opened for %s" % user.login)
        return session, token

    @api.model
    def _find_session(self, token):
        """The open session whose cookie is ``token``; raises SessionRefused."""
        if not token:
            raise SessionRefused(protocol.MSG_NO_SESSION)
        session = self.sudo().search([("token_hash", "=", self._hash_token(token))], limit=1)
        if not session or session.state != "open":
            raise SessionRefused(protocol.MSG_UNKNOWN_SESSION)
        if session._expired():
            session._note("session expired")
            session._close()
            raise SessionRefused(protocol.MSG_SESSION_EXPIRED)
        if not session.user_id.active or not session._user_may_exchange(session.user_id):
            session._note("the exchange user lost its access")
            session._close()
            raise SessionRefused(protocol.MSG_UNKNOWN_SESSION)
        return session

    @api.model
    def _user_may_exchange(self, user):
        as_user = user.sudo(user.id)
        return as_user.has_group("base.group_user") and \
            as_user.has_group("b2b_1c_bridge.group_1c_exchange")

    def _expired(self, now=None):
        self.ensure_one()
        lifetime = self._settings()["session_lifetime"]
        last = fields.Datetime.from_string(self.date_last or self.date_start)
        now = now or datetime.datetime.utcnow()
        return now - last > datetime.timedelta(seconds=lifetime)

    def _touch(self):
        """Record one more call of the session."""
        now = datetime.datetime.utcnow()
        for session in self:
            start = fields.Datetime.from_string(session.date_start)
            session.write({
                "date_last": fields.Datetime.to_string(now),
                "duration": max((now - start).total_seconds(), 0.0),
                "call_count": session.call_count + 1,
            })

    def _note(self, message):
        stamp = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M:%S")
        for session in self:
            session.log = "%s%s %s\n" % (session.log or "", stamp, message)

    def _record_failure(self, message):
        for session in self:
            session.write({"error_count": session.error_count + 1, "last_error": message})
            session._note("failure: %s" % message)

    def _close(self):
        for session in self.filtered(lambda s: s.state == "open"):
            session.write({"state": "failed" if session.error_count else "done",
                           "date_end": fields.Datetime.now()})

    @api.model
    def _cron_close_expired(self):
        """Close the open sessions 1C stopped calling (their cookie is no longer accepted)."""
        now = datetime.datetime.utcnow()
        expired = self.sudo().search([("state", "=", "open")]).filtered(lambda s: s._expired(now))
        expired._note("closed after its lifetime without calls")
        expired._close()
        return len(expired)

    # ------------------------------------------------------------------ refusals
    @api.model
    def _translate(self, source, lang):
        """``source`` in ``lang`` when that language is installed and has it; else ``source``."""
        if not self.env["res.lang"].sudo()._lang_get(lang):
            return source
        return self.env["ir.translation"]._get_source(None, ("code",), lang, source) or source

    @api.model
    def _refusal_lines(self, exc):
        """The reason of ``exc`` in English, then in Russian (when it differs)."""
        english = exc.render()
        try:
            russian = exc.render(lambda text: self._translate(text, "ru_RU"))
        except (KeyError, TypeError, ValueError):
            _logger.warning("the Russian translation of %r does not fit its fields", exc.template)
            russian = english
        return [english] + ([russian] if russian != english else [])

    # ------------------------------------------------------------------ modes
    def _answer_init(self):
        self.ensure_one()
        values = self._settings()
        self._note("init: zip=%s, file_limit=%d" % ("yes" if values["zip"] else "no",
                                                    values["file_limit"]))
        return protocol.init_answer(values["zip"], values["file_limit"])

    def _receive_file(self, filename, stream, length):
        """Append the body of a ``mode=file`` call to the session's file ``filename``."""
        self.ensure_one()
        protocol.check_filename(filename)
        upload = self.env["b2b.onec.exchange.file"].sudo()._for_upload(self, filename)
        upload._append(stream, length, self._settings()["file_max_size"])
        return protocol.success()

    def _import_file(self, filename):
        """Run the readers on ``filename`` (an uploaded file, an archive or a file inside one)."""
        self.ensure_one()
        protocol.check_filename(filename)
        Files = self.env["b2b.onec.exchange.file"].sudo()
        Files._unpack_pending(self)
        target = Files.search([("session_id", "=", self.id), ("name", "=", filename)],
                              order="parent_id desc, id desc", limit=1)
        if not target:
            raise ExchangeRefused(protocol.MSG_FILE_NOT_RECEIVED, file=filename)
        if target.state == "failed":
            raise ExchangeRefused(protocol.MSG_FILE_REFUSED_EARLIER, file=filename,
                                  reason=target.message or "")
        if target.is_zip:
            items = target.child_ids.filtered(lambda f: f.name.lower().endswith(".xml"))
        else:
            items = target
        for item in items.sorted("id"):
            verdict, note = item._import()
            if verdict == "progress":
                return protocol.progress(note)
        return protocol.success()

    def _sale_query(self):
        """The orders waiting for 1C, as a CommerceML document (bytes)."""
        self.ensure_one()
        now = fields.Datetime.context_timestamp(self.with_context(tz=self.user_id.tz or "UTC"),
                                                datetime.datetime.utcnow())
        self._note("query: orders document sent with 0 orders")
        return orders_document(now.replace(tzinfo=None))

    def _sale_success(self):
        self.ensure_one()
        self._note("success: 1C confirmed receipt of the orders document")
        return protocol.success()

    def _complete(self):
        self.ensure_one()
        self._note("complete: 1C ended the exchange")
        self._close()
        return protocol.success()

    def _deactivate(self):
        self.ensure_one()
        self._note("deactivate: noted; goods missing from a full exchange are not deactivated yet")
        return protocol.success()

    def unlink(self):
        folders = [session._storage_dir() for session in self]
        result = super().unlink()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        return result

    @api.model
    def _dispatch(self, exchange_type, mode, params, httprequest):
        """Answer one call (other than checkauth) of an open session: (status, body, type)."""
        session = self._find_session(httprequest.cookies.get(protocol.COOKIE_NAME))
        session._touch()
        try:
            return session._run_mode(exchange_type, mode, params, httprequest)
        except ExchangeRefused as exc:
            session._record_failure(exc.render())
            raise

    def _run_mode(self, exchange_type, mode, params, httprequest):
        session = self
        if exchange_type not in protocol.EXCHANGE_TYPES:
            raise ExchangeRefused(protocol.MSG_UNKNOWN_TYPE, type=exchange_type or "")
        text = "text/plain; charset=utf-8"
        if mode == "init":
            return 200, session._answer_init(), text
        if mode == "file":
            if httprequest.method != "POST":
                raise ExchangeRefused(protocol.MSG_POST_REQUIRED)
            if httprequest.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
                raise ExchangeRefused(protocol.MSG_FORM_BODY, content_type=httprequest.mimetype)
            return 200, session._receive_file(params.get("filename"), httprequest.stream,
                                              httprequest.content_length), text
        if mode == "import":
            return 200, session._import_file(params.get("filename")), text
        if exchange_type == "sale" and mode == "query":
            return 200, session._sale_query(), "application/xml; charset=utf-8"
        if exchange_type == "sale" and mode == "success":
            return 200, session._sale_success(), text
        if exchange_type == "catalog" and mode == "complete":
            return 200, session._complete(), text
        if exchange_type == "catalog" and mode == "deactivate":
            return 200, session._deactivate(), text
        raise ExchangeRefused(protocol.MSG_UNKNOWN_MODE, mode=mode or "", type=exchange_type)
