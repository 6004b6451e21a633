import base64
import datetime
import hashlib
import logging
import os
import secrets
import shutil
import time

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import config

from ..lib import protocol, settings
from ..lib.orders import orders_document
from ..lib.protocol import ExchangeRefused, SessionRefused

_logger = logging.getLogger(__name__)

STORAGE_FOLDER = "b2b_1c_exchange"
# the elements whose problems make the catalog reader skip a product
SKIPPED_PRODUCT_ELEMENTS = ("Товар/Ид", "Товар/Наименование", "Товар/Артикул")
# settings of the import jobs: (default, low, high)
JOB_SETTINGS = {
    "import_inline_size": (1024 * 1024, 0, settings.MAX_INT),
    "job_wait": (60, 0, 24 * 3600),
}


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
    log = fields.Text(readonly=True,
                      help="What happened during the session, one line per event.")
    records_created = fields.Integer(string="Created", compute="_compute_import_stats",
                                     help="Records the readers created from this session's files.")
    records_updated = fields.Integer(string="Updated", compute="_compute_import_stats",
                                     help="Records the readers changed from this session's files.")
    records_unchanged = fields.Integer(string="Unchanged", compute="_compute_import_stats",
                                       help="Records of this session's files that were already "
                                            "up to date (not written).")
    import_duration = fields.Float(string="Import time (s)", compute="_compute_import_stats",
                                   digits=(16, 2), help="Seconds the readers took on this "
                                                        "session's files, all files together.")
    refused_count = fields.Integer(string="Refused files", compute="_compute_import_stats")
    records_skipped = fields.Integer(string="Skipped", compute="_compute_import_stats",
                                     help="Records of this session's files the readers could not "
                                          "use; the warnings say where and why.")
    warning_ids = fields.One2many("b2b.onec.exchange.warning", "session_id", string="Warnings",
                                  readonly=True)
    replay_of_id = fields.Many2one("b2b.onec.exchange.session", string="Replay of", readonly=True,
                                   ondelete="set null", index=True,
                                   help="The session whose kept files this session imported again.")

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

    @api.depends("file_ids.records_created", "file_ids.records_updated",
                 "file_ids.records_unchanged", "file_ids.records_skipped",
                 "file_ids.import_duration", "file_ids.state")
    def _compute_import_stats(self):
        totals = {}
        if self.ids:
            rows = self.env["b2b.onec.exchange.file"].sudo().read_group(
                [("session_id", "in", self.ids)],
                ["session_id", "records_created", "records_updated", "records_unchanged",
                 "records_skipped", "import_duration"], ["session_id"])
            totals = {row["session_id"][0]: row for row in rows}
            refused = self.env["b2b.onec.exchange.file"].sudo().read_group(
                [("session_id", "in", self.ids), ("state", "=", "failed")],
                ["session_id"], ["session_id"])
            refused = {row["session_id"][0]: row["session_id_count"] for row in refused}
        for session in self:
            row = totals.get(session.id, {})
            session.records_created = row.get("records_created") or 0
            session.records_updated = row.get("records_updated") or 0
            session.records_unchanged = row.get("records_unchanged") or 0
            session.records_skipped = row.get("records_skipped") or 0
            session.import_duration = row.get("import_duration") or 0.0
            session.refused_count = refused.get(session.id, 0) if self.ids else 0

    # ------------------------------------------------------------------ settings and storage
    @api.model
    def _settings(self):
        params = self.env["ir.config_parameter"].sudo()
        values = settings.read(lambda key: params.get_param(key))
        for key, (default, low, high) in JOB_SETTINGS.items():
            values[key] = settings.parse_int(params.get_param(settings.PREFIX + key), default,
                                             low, high)
        return values

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
            as_user.has_group("b2b_1c_bridge.group_onec_exchange")

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
        if target.state == "failed" and target.is_zip:
            raise ExchangeRefused(protocol.MSG_FILE_REFUSED_EARLIER, file=filename,
                                  reason=target.message or "")
        if not target.import_sequence:
            target.import_sequence = max(self.file_ids.mapped("import_sequence") or [0]) + 1
        if target.is_zip:
            items = target.child_ids.filtered(lambda f: f.name.lower().endswith(".xml"))
        else:
            items = target
        note = ""
        for item in items.sorted("id"):
            try:
                verdict, note = item._import()
            finally:
                item._report_outcome()
            if verdict == "progress":
                return protocol.progress(note)
        if note and len(items) == 1:
            return protocol.success(" ".join(note.split()))
        skipped = sum(items.mapped("records_skipped"))
        if skipped:
            return protocol.success(protocol.NOTE_SKIPPED % {"count": skipped})
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
        """1C's call after a full exchange (``mode=deactivate``): when the supplier has chosen so
        (setting ``b2b_1c_bridge.deactivate_missing``), archive the goods from 1C that no full
        catalog of this exchange listed. Nothing is archived after an exchange without a full
        catalog (changes only, or a refused file), nor goods made in Odoo itself; a product a
        later catalog lists again is active again."""
        self.ensure_one()
        if not self._settings()["deactivate_missing"]:
            self._note("deactivate: goods missing from a full catalog are kept (setting)")
            return protocol.success()
        Template = self.env["product.template"].sudo().with_context(
            active_test=False, tracking_disable=True)
        if not Template.search_count([("b2b_onec_seen_session_id", "=", self.id)]):
            self._note("deactivate: no full catalog was imported in this exchange: nothing archived")
            return protocol.success()
        if self.env["b2b.onec.exchange.warning"].sudo().search_count([
                ("session_id", "=", self.id),
                ("element", "in", SKIPPED_PRODUCT_ELEMENTS)]):
            # a product skipped for a bad record is not missing from 1C: archive nothing
            self._note("deactivate: goods of this exchange's catalog were skipped (see the "
                       "warnings): nothing archived")
            return protocol.success()
        missing = Template.search([("b2b_onec_id", "!=", False), ("active", "=", True),
                                   "|", ("b2b_onec_seen_session_id", "=", False),
                                   ("b2b_onec_seen_session_id", "!=", self.id)])
        missing.write({"active": False})
        self._note("deactivate: %d goods the full catalog left out archived" % len(missing))
        return protocol.success()

    def action_download_warnings(self):
        """The warnings of this session as a CSV file (file, line, element, reason)."""
        self.ensure_one()
        text = self.env["b2b.onec.exchange.warning"]._onec_csv(self.warning_ids)
        attachment = self.env["ir.attachment"].create({
            "name": "1c-exchange-%d-warnings.csv" % self.id,
            "datas_fname": "1c-exchange-%d-warnings.csv" % self.id,
            "datas": base64.b64encode(("\ufeff" + text).encode("utf-8")),
            "mimetype": "text/csv",
            "res_model": self._name,
            "res_id": self.id,
        })
        return {"type": "ir.actions.act_url", "target": "self",
                "url": "/web/content/%d?download=true" % attachment.id}

    # ------------------------------------------------------------------ replay
    def _replay_names(self):
        """The names 1C imported in this session, in its order (for sessions recorded before the
        order was kept: every XML file, uploaded or unpacked, in the order received)."""
        self.ensure_one()
        ordered = self.file_ids.filtered("import_sequence").sorted("import_sequence")
        if ordered:
            return ordered.mapped("name")
        return [f.name for f in self.file_ids.sorted("id")
                if not f.is_zip and f.name.lower().endswith(".xml")]

    def _onec_replay(self, names=None):
        """Import the kept files of this session again, in a new session of the same user.

        The uploaded files (archives included) whose bytes are kept are copied into the new
        session, then ``names`` (default: the files 1C imported, in its order) are imported with
        the same code as 1C's ``mode=import`` calls, each reader in this transaction (one savepoint
        per file); the replay stops at the first refused file, as 1C does. Returns the new
        session.
        """
        self.ensure_one()
        names = list(names) if names is not None else self._replay_names()
        Files = self.env["b2b.onec.exchange.file"].sudo()
        kept = self.file_ids.filtered(
            lambda f: not f.parent_id and f.store_path and os.path.isfile(f._full_path()))
        if not kept:
            raise UserError(_(protocol.MSG_NOTHING_TO_REPLAY) % {"session": self.name})
        now = fields.Datetime.now()
        replay = self.sudo().create({
            "user_id": self.user_id.id,
            "exchange_type": self.exchange_type,
            "remote_addr": "replay",
            "date_start": now,
            "date_last": now,
            "replay_of_id": self.id,
        })
        replay._note("replay of session %s (id %d) by %s: %d files, importing %s"
                     % (self.name, self.id, self.env.user.login, len(kept),
                        ", ".join(names) or "nothing"))
        started = time.monotonic()
        for original in kept.sorted("id"):
            copy = Files._for_upload(replay, original.name)
            os.makedirs(os.path.dirname(copy._full_path()), exist_ok=True)
            shutil.copyfile(original._full_path(), copy._full_path())
            copy.write({"size": os.path.getsize(copy._full_path()), "chunks": original.chunks,
                        "date_received": fields.Datetime.now()})
        inline = replay.with_context(b2b_onec_inline=True)
        for name in names:
            replay.call_count += 1
            try:
                answer = inline._import_file(name)
            except ExchangeRefused as exc:
                replay._record_failure(exc.render())
                break
            if protocol.parse_answer(answer)[0] != "success":  # pragma: no cover - inline
                replay._record_failure("import of %s did not finish: %s" % (name, answer.strip()))
                break
        replay.write({"duration": time.monotonic() - started,
                      "date_last": fields.Datetime.now()})
        replay._note("replay ended")
        replay._close()
        return replay

    def action_replay(self):
        """Button: replay this session's kept files in a new session and open it."""
        self.ensure_one()
        self._check_may_replay()
        return self._onec_replay()._action_open()

    @api.model
    def _check_may_replay(self):
        user = self.env.user
        if not (user._is_superuser() or user.has_group("base.group_system")
                or user.has_group("b2b_base.group_b2b_admin")):
            raise AccessError(_("Only settings administrators and B2B administrators may replay "
                                "a 1C exchange."))

    def _action_open(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------ demo
    @api.model
    def _onec_demo_setup(self, login, password):
        """Prepare a demo database for the demo exchange (``make run``): the exchange user, and
        the demo goods, groups and price types bound to the 1C ids of the demo package (matched
        by SKU and name; records that already have a 1C id are left alone), so that the package
        updates the demo catalog instead of adding a copy of it. Returns the user."""
        from odoo.addons.b2b_base.lib import democatalog
        from ..lib import demo_package
        Users = self.env["res.users"].sudo().with_context(no_reset_password=True)
        user = Users.search([("login", "=", login)], limit=1)
        groups = [self.env.ref("base.group_user").id,
                  self.env.ref("b2b_1c_bridge.group_onec_exchange").id]
        values = {"name": "1C exchange (demo)", "login": login, "password": password,
                  "groups_id": [(6, 0, groups)]}
        if user:
            user.write(values)
        else:
            user = Users.create(values)
        Template = self.env["product.template"].sudo().with_context(active_test=False)
        for item in democatalog.catalog(demo_package.DEFAULT_SIZE):
            template = Template.search([("default_code", "=", item["sku"]),
                                        ("b2b_onec_id", "=", False)], limit=1)
            taken = Template.search_count([("b2b_onec_id", "=", demo_package.good_id(item["sku"]))])
            if template and not taken:
                template.b2b_onec_id = demo_package.good_id(item["sku"])
        Category = self.env["product.category"].sudo()
        if "b2b_onec_id" in Category._fields:
            for name, _code, _noun in democatalog.CATEGORIES:
                category = Category.search([("name", "=", name), ("b2b_onec_id", "=", False)],
                                           limit=1)
                if category and not Category.search_count(
                        [("b2b_onec_id", "=", demo_package.group_id(name))]):
                    category.b2b_onec_id = demo_package.group_id(name)
        return user

    def unlink(self):
        folders = [session._storage_dir() for session in self]
        result = super().unlink()
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        return result

    @api.model
    def _dispatch(self, exchange_type, mode, token, filename=None, body=None, length=None):
        """Answer one call (other than checkauth) of the open session whose cookie is ``token``:
        (status, body, content type). The controller owns HTTP and hands over what the call
        carries: the file name and, for ``mode=file``, the body as a readable stream of
        ``length`` bytes (None: unknown)."""
        session = self._find_session(token)
        session._touch()
        try:
            return session._run_mode(exchange_type, mode, filename, body, length)
        except ExchangeRefused as exc:
            session._record_failure(exc.render())
            raise

    @api.model
    def _refuse_call(self, token, refusal):
        """A call the controller refused for its HTTP form (a file not sent by POST, a form body):
        counted among the errors of the session its cookie names, then raised."""
        session = self._find_session(token)
        session._touch()
        session._record_failure(refusal.render())
        raise refusal

    def _run_mode(self, exchange_type, mode, filename=None, body=None, length=None):
        session = self
        if exchange_type not in protocol.EXCHANGE_TYPES:
            raise ExchangeRefused(protocol.MSG_UNKNOWN_TYPE, type=exchange_type or "")
        text = "text/plain; charset=utf-8"
        if mode == "init":
            return 200, session._answer_init(), text
        if mode == "file":
            return 200, session._receive_file(filename, body, length), text
        if mode == "import":
            return 200, session._import_file(filename), text
        if exchange_type == "sale" and mode == "query":
            return 200, session._sale_query(), "application/xml; charset=utf-8"
        if exchange_type == "sale" and mode == "success":
            return 200, session._sale_success(), text
        if exchange_type == "catalog" and mode == "complete":
            return 200, session._complete(), text
        if exchange_type == "catalog" and mode == "deactivate":
            return 200, session._deactivate(), text
        raise ExchangeRefused(protocol.MSG_UNKNOWN_MODE, mode=mode or "", type=exchange_type)
