import contextlib
import datetime
import json
import logging
import os
import shutil
import time

import psycopg2
import psycopg2.errors

from odoo import api, fields, models
from odoo.service.model import PG_CONCURRENCY_ERRORS_TO_RETRY
from odoo.tools import config

from odoo.addons.queue_job.exception import RetryableJobError
from odoo.addons.queue_job.job import Job, job as queue_job

from ..lib import protocol, safezip
from ..lib.importers import find as find_importer
from ..lib.cml_catalog import Problems
from ..lib.protocol import ExchangeRefused, FileRefused
from ..lib.safexml import XmlInfo, scan

_logger = logging.getLogger(__name__)

BLOCK = 1024 * 1024
MAX_READER_STEPS = 100000  # a reader answering "progress" is called again, up to this many times
# the one row every reader locks and updates: one 1C file is read at a time (see _take_readers)
READERS_TABLE = "b2b_onec_reader_turn"
BUSY_RETRY = 2  # seconds after which an import job that found another file being read tries again


class NothingToImport(Exception):
    """The import job finds its file already imported, refused, or taken by another job."""


class ReadersBusy(Exception):
    """Another 1C file is being read, or was read since this transaction began: this file is
    read later, in a transaction that sees what that one wrote."""


class OnecExchangeFile(models.Model):
    """A file 1C sent during an exchange session, or a file unpacked from an archive it sent.

    The bytes live in the database's filestore under ``b2b_1c_exchange/<session id>/``; they are
    kept after the import so an exchange can be examined and replayed.
    """

    _name = "b2b.onec.exchange.file"
    _description = "File of a 1C exchange"
    _order = "session_id desc, id"

    session_id = fields.Many2one("b2b.onec.exchange.session", required=True,
                                 readonly=True, ondelete="cascade", index=True)
    parent_id = fields.Many2one("b2b.onec.exchange.file", string="Archive", readonly=True,
                                ondelete="cascade", index=True,
                                help="The archive this file was unpacked from.")
    child_ids = fields.One2many("b2b.onec.exchange.file", "parent_id", string="Unpacked files",
                                readonly=True)
    name = fields.Char(string="File name", required=True, readonly=True,
                       help="The name 1C gave, or the path of the file inside its archive.")
    size = fields.Integer(string="Size (bytes)", readonly=True)
    chunks = fields.Integer(readonly=True,
                            help="How many mode=file calls brought the bytes of this file.")
    store_path = fields.Char(string="Stored as", readonly=True,
                             help="Path of the bytes relative to the database's filestore.")
    is_zip = fields.Boolean(string="Archive", readonly=True)
    state = fields.Selection(
        [("received", "Received"), ("unpacked", "Unpacked"), ("importing", "Importing"),
         ("imported", "Imported"), ("skipped", "Not read"), ("failed", "Refused")],
        string="Status", required=True, default="received", readonly=True,
        help="Received: bytes stored. Unpacked: an archive whose files were unpacked. Importing: a "
             "reader is working on it (1C is told 'progress'). Imported: read. Not read: no reader "
             "takes this kind of file; kept. Refused: the file was refused, see the message.")
    importer = fields.Char(string="Reader", readonly=True)
    xml_root = fields.Char(string="Root element", readonly=True)
    xml_version = fields.Char(string="Schema version", readonly=True)
    xml_sections = fields.Char(string="Sections", readonly=True,
                               help="Child elements of the root, e.g. Каталог, ПакетПредложений.")
    message = fields.Text(readonly=True)
    date_received = fields.Datetime(string="Received", readonly=True)
    records_created = fields.Integer(string="Created", readonly=True,
                                     help="Records the reader created from this file.")
    records_updated = fields.Integer(string="Updated", readonly=True,
                                     help="Records the reader changed from this file.")
    records_unchanged = fields.Integer(string="Unchanged", readonly=True,
                                       help="Records of this file that were already up to date.")
    records_skipped = fields.Integer(string="Skipped", readonly=True,
                                     help="Records of this file that could not be used; the "
                                          "warnings say where and why.")
    warning_ids = fields.One2many("b2b.onec.exchange.warning", "file_id", string="Warnings",
                                  readonly=True)
    error_line = fields.Integer(string="Error line", readonly=True,
                                help="The line of the file where the reason of its refusal was found.")
    job_id = fields.Many2one("queue.job", string="Import job", readonly=True, ondelete="set null",
                             copy=False, help="The queue job that read this file.")
    job_state = fields.Selection(related="job_id.state", string="Job status", readonly=True)
    import_sequence = fields.Integer(string="Import order", readonly=True, copy=False,
                                     help="Order in which 1C asked to import this file in its "
                                          "session; a replay imports the files in this order.")
    date_import_start = fields.Datetime(string="Import started", readonly=True, copy=False)
    date_import_end = fields.Datetime(string="Import ended", readonly=True, copy=False)
    import_duration = fields.Float(string="Import time (s)", readonly=True, digits=(16, 2),
                                   copy=False, help="Seconds the reader took on this file.")
    refusal = fields.Text(readonly=True, copy=False,
                          help="Technical: the reason of the reader's refusal (message and values), "
                               "given to 1C in both languages when it next asks for this file.")
    outcome_noted = fields.Boolean(readonly=True, copy=False,
                                   help="Technical: the import's outcome is in the session log.")

    def init(self):
        self.env.cr.execute("CREATE TABLE IF NOT EXISTS %s (id integer PRIMARY KEY, "  # pylint: disable=sql-injection
                            "files_read bigint NOT NULL DEFAULT 0)" % READERS_TABLE)
        self.env.cr.execute("INSERT INTO %s (id) VALUES (1) ON CONFLICT DO NOTHING"  # pylint: disable=sql-injection
                            % READERS_TABLE)

    def _onec_skip(self, problems):
        """Readers skip the records of this file they cannot use: each of ``problems`` (located
        refusals, ``lib.protocol.FileRefused``) becomes a warning of the file and is counted.

        The reader goes on with the other records. With the supplier's strict setting the file
        is refused whole once its reader is done (see ``_read_in_savepoint``)."""
        self.ensure_one()
        problems = list(problems)
        if not problems:
            return
        self.env["b2b.onec.exchange.warning"].sudo()._onec_store(self, problems)
        self.env.cr.execute("UPDATE b2b_onec_exchange_file SET records_skipped = "
                            "records_skipped + %s WHERE id = %s", (len(problems), self.id))
        self.invalidate_cache(["records_skipped", "warning_ids"], self.ids)
        for problem in problems[:20]:
            _logger.info("exchange file %s: skipped: %s", self.name, problem)

    def _onec_strict_refusal(self):
        """The refusal of the whole file for its skipped records when the supplier wants any
        problem to refuse a file (setting ``b2b_1c_bridge.strict``); None otherwise."""
        self.ensure_one()
        if not self.records_skipped or not self.session_id._settings()["strict"]:
            return None
        first = self.env["b2b.onec.exchange.warning"].sudo().search(
            [("file_id", "=", self.id)], order="id", limit=1)
        params = json.loads(first.params or "{}")
        problem = FileRefused(first.template, params.pop("file", self.name),
                              params.pop("line", 0), **params)
        if self.records_skipped == 1:
            return problem
        return Problems([problem], more=self.records_skipped - 1)

    def _onec_count(self, created=0, updated=0, unchanged=0):
        """Readers report what they did with this file's records (added to the counts)."""
        self.ensure_one()
        self.write({"records_created": self.records_created + created,
                    "records_updated": self.records_updated + updated,
                    "records_unchanged": self.records_unchanged + unchanged})

    # ------------------------------------------------------------------ storage
    def _full_path(self):
        self.ensure_one()
        return os.path.join(config.filestore(self.env.cr.dbname), self.store_path)

    def _unpack_dir(self):
        self.ensure_one()
        return os.path.join(self.session_id._storage_dir(), "unpacked", str(self.id))

    def _drop_bytes(self):
        """Remove the stored bytes of these files (and what was unpacked from them)."""
        for record in self:
            if record.store_path:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(record._full_path())
            shutil.rmtree(record._unpack_dir(), ignore_errors=True)

    # ------------------------------------------------------------------ mode=file
    @api.model
    def _for_upload(self, session, filename):
        """The record receiving the chunks of ``filename`` in ``session``.

        Chunks of one file arrive as consecutive mode=file calls with the same name and are
        appended. A name whose file was already unpacked, imported or refused starts over.
        """
        record = self.search([("session_id", "=", session.id), ("parent_id", "=", False),
                              ("name", "=", filename)], limit=1)
        if record and record.state != "received":
            record._drop_bytes()
            record.child_ids.unlink()
            record.write({"size": 0, "chunks": 0, "state": "received", "is_zip": False,
                          "importer": False, "xml_root": False, "xml_version": False,
                          "xml_sections": False, "message": False})
            session._note("file %s: received again, the earlier copy is replaced" % filename)
        if not record:
            record = self.create({
                "session_id": session.id,
                "name": filename,
                "store_path": "/".join([session._storage_dir()[len(config.filestore(
                    self.env.cr.dbname)) + 1:], "files", filename]),
            })
        return record

    def _append(self, stream, length, max_size):
        """Append the bytes of ``stream`` (``length`` announced, or None) within ``max_size``."""
        self.ensure_one()
        path = self._full_path()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        current = os.path.getsize(path) if os.path.exists(path) else 0
        if length is not None and current + length > max_size:
            self._refuse_too_large(stream, max_size)
        written = 0
        with open(path, "ab") as out:
            while True:
                block = stream.read(BLOCK)
                if not block:
                    break
                if current + written + len(block) > max_size:
                    out.close()
                    self._refuse_too_large(stream, max_size)
                out.write(block)
                written += len(block)
        self.write({"size": current + written, "chunks": self.chunks + 1,
                    "date_received": fields.Datetime.now()})
        self.session_id._note("file %s: chunk %d, %d bytes (%d in all)"
                              % (self.name, self.chunks, written, self.size))

    def _refuse_too_large(self, stream, max_size):
        while stream.read(BLOCK):  # read the rest of the body so that 1C gets the answer
            pass
        self._drop_bytes()
        refusal = ExchangeRefused(protocol.MSG_FILE_TOO_LARGE, file=self.name, limit=max_size)
        self.write({"state": "failed", "size": 0, "message": refusal.render()})
        raise refusal

    # ------------------------------------------------------------------ archives
    @api.model
    def _unpack_pending(self, session):
        """Unpack the archives of ``session`` received since the last import call."""
        received = self.search([("session_id", "=", session.id), ("parent_id", "=", False),
                                ("state", "=", "received")])
        for record in received:
            with open(record._full_path(), "rb") as fh:
                head = fh.read(4)
            if protocol.is_zip(head):
                record.is_zip = True
                record._unpack()

    def _unpack(self):
        self.ensure_one()
        values = self.session_id._settings()
        limits = safezip.ZipLimits(max_total=values["unzip_max_size"],
                                   max_ratio=values["unzip_max_ratio"],
                                   max_entries=values["unzip_max_entries"])
        dest = self._unpack_dir()
        shutil.rmtree(dest, ignore_errors=True)
        try:
            entries = safezip.unpack(self._full_path(), dest, limits, label=self.name)
        except ExchangeRefused as exc:
            self._drop_bytes()
            self.write({"state": "failed", "message": exc.render()})
            raise
        root = config.filestore(self.env.cr.dbname)
        for name, size in entries:
            self.create({
                "session_id": self.session_id.id,
                "parent_id": self.id,
                "name": name,
                "size": size,
                "store_path": os.path.relpath(os.path.join(dest, *name.split("/")), root),
                "date_received": fields.Datetime.now(),
            })
        self.write({"state": "unpacked",
                    "message": "%d files unpacked, %d bytes" % (len(entries),
                                                                sum(s for _n, s in entries))})
        self.session_id._note("file %s: archive unpacked, %d files" % (self.name, len(entries)))

    # ------------------------------------------------------------------ mode=import
    @api.model
    def _onec_importers(self):
        """The readers of exchange files: a list of ``lib.importers.Importer``.

        Addons add theirs by extending this method; the first entry matching a file (by name
        pattern, root element and section, in ascending sequence) reads it.
        """
        return []

    def _xml_info(self):
        self.ensure_one()
        return XmlInfo(root=self.xml_root or "", version=self.xml_version or "",
                       sections=[s for s in (self.xml_sections or "").split(",") if s])

    def _importer(self):
        """The reader taking this file (by its name and the XML facts found when it was checked)."""
        self.ensure_one()
        return find_importer(self._onec_importers(), self.name, self._xml_info())

    def _import(self):
        """One ``mode=import`` step for this file: (verdict, note), verdict ``success`` or
        ``progress``; raises ExchangeRefused when the file is (or was) refused.

        The file is checked (safe XML scan) right away. Its reader then runs as a queue job: in
        this call when the file is at most ``import_inline_size`` bytes (or the context asks for
        it), else in the job runner while 1C is told ``progress``. A job the runner has not started
        after ``job_wait`` seconds is run by the next call, so that an exchange completes when no
        job runner is running.
        """
        self.ensure_one()
        session = self.session_id
        if self.state == "imported":
            return "success", self.message or ""
        if self.state in ("skipped", "unpacked"):
            return "success", ""
        if self.state == "failed":
            if self.refusal and not self.outcome_noted:
                data = json.loads(self.refusal)  # refused by its import job: 1C learns it now
                raise ExchangeRefused(data["template"], **data["params"])
            raise ExchangeRefused(protocol.MSG_FILE_REFUSED_EARLIER, file=self.name,
                                  reason=self.message or "")
        if self.state == "importing":
            return self._import_status()
        if not self.name.lower().endswith(".xml"):
            session._note("file %s: not an XML file, kept for the readers that use it" % self.name)
            return "success", ""
        try:
            with open(self._full_path(), "rb") as fh:
                info = scan(fh, self.name)
        except ExchangeRefused as exc:
            self.write({"state": "failed", "message": exc.render(),
                        "error_line": exc.params.get("line") or 0})
            raise
        self.write({"xml_root": info.root, "xml_version": info.version,
                    "xml_sections": ",".join(info.sections)})
        importer = self._importer()
        if importer is None:
            note = ("no reader takes this file (root %s, sections %s); kept, nothing imported"
                    % (info.root, ", ".join(info.sections) or "none"))
            self.write({"state": "skipped", "message": note})
            session._note("file %s: %s" % (self.name, note))
            return "success", ""
        self.warning_ids.sudo().unlink()
        self.write({"state": "importing", "importer": importer.name, "message": False,
                    "error_line": 0, "refusal": False, "records_created": 0, "records_updated": 0,
                    "records_unchanged": 0, "records_skipped": 0, "import_duration": 0.0,
                    "outcome_noted": False,
                    "date_import_start": False, "date_import_end": False})
        inline = self.env.context.get("b2b_onec_inline") or \
            self.size <= session._settings()["import_inline_size"]
        job = Job(self._onec_import_job, description=self._job_description(), max_retries=3)
        if inline:
            job.set_started()
        job.store()
        self.job_id = job.db_record()
        if inline:
            session._note("file %s: imported by %s in this call (job %s)"
                          % (self.name, importer.name, job.uuid))
            return self._run_job_here(job)
        session._note("file %s: queued for %s (job %s)" % (self.name, importer.name, job.uuid))
        return "progress", protocol.NOTE_QUEUED % {"file": self.name}

    def _job_description(self):
        return "1C exchange: import %s (session %d)" % (self.name, self.session_id.id)

    def _import_status(self):
        """The answer for a file whose import job is under way, finished or lost."""
        self.ensure_one()
        job_record = self.job_id.sudo()
        if job_record.state in ("pending", "enqueued", "started"):
            if job_record.state == "pending" and self._job_waited_too_long(job_record):
                taken = self._take_over(job_record)
                if taken is not None:
                    return taken
            note = protocol.NOTE_RUNNING if job_record.state == "started" else protocol.NOTE_QUEUED
            return "progress", note % {"file": self.name}
        # the job ended without leaving the file imported or refused: it was set done or
        # cancelled by hand, failed outside the reader, or was deleted
        refusal = ExchangeRefused(protocol.MSG_JOB_LOST, file=self.name,
                                  state=job_record.state or "deleted")
        self.write({"state": "failed", "message": refusal.render()})
        raise refusal

    def _job_waited_too_long(self, job_record):
        wait = self.session_id._settings()["job_wait"]
        created = fields.Datetime.from_string(job_record.date_created)
        return created is None or (datetime.datetime.now() - created).total_seconds() >= wait

    def _take_over(self, job_record):
        """Run a job the runner did not start in this call; None when the runner has it now."""
        cr = self.env.cr
        cr.execute("SELECT id FROM queue_job WHERE id = %s AND state = 'pending' "
                   "FOR UPDATE SKIP LOCKED", [job_record.id])
        if not cr.fetchone():
            return None
        job = Job.load(self.env, job_record.uuid)
        job.set_started()
        job.store()
        self.session_id._note("file %s: no job runner started job %s; imported in this call"
                              % (self.name, job.uuid))
        return self._run_job_here(job)

    def _run_job_here(self, job):
        """Perform ``job`` (started) in the current transaction, as the job runner would; when
        another file is being read, leave the job to the job runner (1C is told ``progress``)."""
        try:
            result = self._onec_read(apart=False)
        except ReadersBusy:
            job.set_pending()
            job.store()
            self.session_id._note("file %s: another file is being read; job %s waits for it"
                                  % (self.name, job.uuid))
            return "progress", protocol.NOTE_QUEUED % {"file": self.name}
        except ExchangeRefused as exc:
            job.set_failed(exc_info=exc.render())
            job.store()
            raise
        job.set_done(result=result)
        job.store()
        return "success", self.message or ""

    @queue_job
    def _onec_import_job(self):
        """The queue job reading this file; one file = one transaction."""
        self.ensure_one()
        return self._onec_read(apart=True)

    def _onec_read(self, apart):
        """Run this file's reader in a savepoint; returns the job's result text.

        A refusal (or any error of the reader) rolls the savepoint back, so nothing of the file is
        left, and marks the file refused with its reason: in a separate transaction when
        ``apart`` (the job runner rolls the job's transaction back when the job fails), else in
        the current one. The refusal is raised again.
        """
        self.ensure_one()
        started = time.monotonic()
        now = fields.Datetime.now()
        try:
            self._read_in_savepoint(started, now)
        except NothingToImport as exc:
            _logger.info("exchange file %s (id %d): %s", self.name, self.id, exc)
            return "nothing to do: %s" % exc
        except ReadersBusy as exc:
            if apart:  # the job runner runs the job again later; the file stays "importing"
                raise RetryableJobError(str(exc), seconds=BUSY_RETRY, ignore_retry=True)
            raise
        except ExchangeRefused as exc:
            self._refuse(exc, started, apart)
            raise
        except psycopg2.OperationalError as exc:
            if exc.pgcode in PG_CONCURRENCY_ERRORS_TO_RETRY and apart:
                raise  # the job runner retries the job later; the file stays "importing"
            self._refuse_internal(started, apart)
        except Exception:
            self._refuse_internal(started, apart)
        return "%s: %d created, %d updated, %d unchanged" % (
            self.name, self.records_created, self.records_updated, self.records_unchanged)

    def _read_in_savepoint(self, started, now):
        """Lock this file, run its reader (all its steps) and mark it imported, in a savepoint
        that is rolled back on any error."""
        cr = self.env.cr
        # Odoo's cr.savepoint() does not roll back when the release itself fails (a reader that
        # left the transaction aborted), hence a savepoint of its own, named from two integers
        savepoint = "b2b_onec_file_%d_%d" % (self.id, int(started * 1000000))
        cr.execute('SAVEPOINT "%s"' % savepoint)  # pylint: disable=sql-injection
        try:
            self._take_readers()
            try:
                cr.execute("SELECT state FROM b2b_onec_exchange_file WHERE id = %s "
                           "FOR UPDATE NOWAIT", [self.id])
            except psycopg2.errors.LockNotAvailable:
                raise NothingToImport("another job is importing this file")
            row = cr.fetchone()
            if not row or row[0] != "importing":
                raise NothingToImport("the file is %s, not waiting for its import"
                                      % (row[0] if row else "deleted"))
            self.invalidate_cache()
            importer = self._importer()
            if importer is None:
                raise ExchangeRefused(protocol.MSG_NO_READER_ANY_MORE, file=self.name,
                                      reader=self.importer or "")
            self.warning_ids.sudo().unlink()
            self.write({"date_import_start": now, "records_created": 0,
                        "records_updated": 0, "records_unchanged": 0, "records_skipped": 0})
            reader = getattr(self.env[importer.model].sudo(), importer.handler)
            note = ""
            for _step in range(MAX_READER_STEPS):
                result = reader(self, self._full_path(), self._xml_info())
                verdict, note = result if isinstance(result, tuple) else (result, "")
                if verdict != "progress":
                    break
            else:
                raise ExchangeRefused(protocol.MSG_READER_ENDLESS, file=self.name,
                                      steps=MAX_READER_STEPS)
            strict = self._onec_strict_refusal()
            if strict is not None:
                raise strict
            if self.records_skipped:
                note = "; ".join(part for part in (note, protocol.NOTE_SKIPPED % {
                    "count": self.records_skipped}) if part)
            self.write({"state": "imported", "message": note or False,
                        "date_import_end": fields.Datetime.now(),
                        "import_duration": time.monotonic() - started})
            cr.execute('RELEASE SAVEPOINT "%s"' % savepoint)  # pylint: disable=sql-injection
        except BaseException:
            # also when the reader left the transaction aborted (the release then fails)
            cr.execute('ROLLBACK TO SAVEPOINT "%s"' % savepoint)  # pylint: disable=sql-injection
            self.invalidate_cache()
            raise

    def _take_readers(self):
        """Make this transaction the one reading a 1C file, or raise ReadersBusy.

        Two files read at the same time (a job the runner reran after its worker died and the
        same file sent again by 1C, two exchanges at once) would each create the goods, orders
        and categories the other is creating: duplicates, or a refusal for a unique 1C id. Every
        reader locks and updates one row: while another reader holds it, the lock is refused at
        once; when another reader updated it after this transaction's snapshot was taken (Odoo's
        transactions are repeatable-read), PostgreSQL refuses to serialize. Either way the file
        is read again later, in a new transaction that sees the other one's work."""
        cr = self.env.cr
        name = self.name  # read before a refusal leaves the savepoint aborted
        try:
            cr.execute("SELECT id FROM %s WHERE id = 1 FOR UPDATE NOWAIT"  # pylint: disable=sql-injection
                       % READERS_TABLE, log_exceptions=False)
            cr.execute("UPDATE %s SET files_read = files_read + 1 WHERE id = 1"  # pylint: disable=sql-injection
                       % READERS_TABLE, log_exceptions=False)
        except (psycopg2.errors.LockNotAvailable, psycopg2.errors.SerializationFailure):
            raise ReadersBusy("another 1C file is being read; %s is read after it" % name)

    def _refuse_internal(self, started, apart):
        _logger.exception("reader %s failed on exchange file %s (id %d)",
                          self.importer, self.name, self.id)
        refusal = ExchangeRefused(protocol.MSG_IMPORT_ERROR, file=self.name)
        self._refuse(refusal, started, apart)
        raise refusal

    def _refuse(self, refusal, started, apart):
        values = {"state": "failed", "message": refusal.render(),
                  "error_line": refusal.params.get("line") or 0,
                  "refusal": json.dumps({"template": refusal.template,
                                         "params": refusal.params}, default=str),
                  "records_created": 0, "records_updated": 0, "records_unchanged": 0,
                  "date_import_end": fields.Datetime.now(),
                  "import_duration": time.monotonic() - started}
        self.invalidate_cache()
        if not apart:
            self.write(values)
            return
        with api.Environment.manage(), self.env.registry.cursor() as cr:
            self.with_env(self.env(cr=cr)).write(values)
        self.invalidate_cache()

    def _report_outcome(self):
        """Note what the reader did in the session's log, once (read by the call that sees it)."""
        for record in self.filtered(lambda f: f.importer and not f.outcome_noted
                                    and f.state in ("imported", "failed")):
            if record.state == "imported":
                text = "imported by %s: %d created, %d updated, %d unchanged, %d skipped in " \
                       "%.1f s" % (record.importer, record.records_created,
                                   record.records_updated, record.records_unchanged,
                                   record.records_skipped, record.import_duration)
            else:
                text = "refused by %s: %s" % (record.importer, record.message or "")
            record.session_id._note("file %s: %s" % (record.name, text))
            record.outcome_noted = True

    # ------------------------------------------------------------------ replay
    def action_replay(self):
        """Import this file again in a new session (a copy of the kept files of its exchange)."""
        self.ensure_one()
        self.session_id._check_may_replay()
        names = [self.name] if not self.is_zip else \
            [child.name for child in self.child_ids.sorted("id")
             if child.name.lower().endswith(".xml")]
        replay = self.session_id._onec_replay(names=names)
        return replay._action_open()
