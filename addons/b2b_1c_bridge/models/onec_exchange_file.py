import logging
import os
import shutil

from odoo import api, fields, models
from odoo.tools import config

from ..lib import protocol, safezip
from ..lib.importers import find as find_importer
from ..lib.protocol import ExchangeRefused
from ..lib.safexml import XmlInfo, scan

_logger = logging.getLogger(__name__)

BLOCK = 1024 * 1024


class OnecExchangeFile(models.Model):
    """A file 1C sent during an exchange session, or a file unpacked from an archive it sent.

    The bytes live in the database's filestore under ``b2b_1c_exchange/<session id>/``; they are
    kept after the import so an exchange can be examined and replayed.
    """

    _name = "b2b.onec.exchange.file"
    _description = "File of a 1C exchange"
    _order = "session_id desc, id"

    session_id = fields.Many2one("b2b.onec.exchange.session", string="Session", required=True,
                                 readonly=True, ondelete="cascade", index=True)
    parent_id = fields.Many2one("b2b.onec.exchange.file", string="Archive", readonly=True,
                                ondelete="cascade", index=True,
                                help="The archive this file was unpacked from.")
    child_ids = fields.One2many("b2b.onec.exchange.file", "parent_id", string="Unpacked files",
                                readonly=True)
    name = fields.Char(string="File name", required=True, readonly=True,
                       help="The name 1C gave, or the path of the file inside its archive.")
    size = fields.Integer(string="Size (bytes)", readonly=True)
    chunks = fields.Integer(string="Chunks", readonly=True,
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
    message = fields.Text(string="Message", readonly=True)
    date_received = fields.Datetime(string="Received", readonly=True)

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
                try:
                    os.remove(record._full_path())
                except FileNotFoundError:
                    pass
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

    def _import(self):
        """Read this file; returns (verdict, note) with verdict ``success`` or ``progress``.

        Raises ExchangeRefused (the file is marked refused). The reader runs in a savepoint: a
        refused file leaves the database as it was before it.
        """
        self.ensure_one()
        session = self.session_id
        if self.state in ("imported", "skipped", "unpacked"):
            return "success", ""
        if self.state == "failed":
            raise ExchangeRefused(protocol.MSG_FILE_REFUSED_EARLIER, file=self.name,
                                  reason=self.message or "")
        if not self.name.lower().endswith(".xml"):
            session._note("file %s: not an XML file, kept for the readers that use it" % self.name)
            return "success", ""
        if self.state == "received":
            try:
                with open(self._full_path(), "rb") as fh:
                    info = scan(fh, self.name)
            except ExchangeRefused as exc:
                self.write({"state": "failed", "message": exc.render()})
                raise
            self.write({"xml_root": info.root, "xml_version": info.version,
                        "xml_sections": ",".join(info.sections)})
        info = self._xml_info()
        importer = find_importer(self._onec_importers(), self.name, info)
        if importer is None:
            note = ("no reader takes this file (root %s, sections %s); kept, nothing imported"
                    % (info.root, ", ".join(info.sections) or "none"))
            self.write({"state": "skipped", "message": note})
            session._note("file %s: %s" % (self.name, note))
            return "success", ""
        self.write({"state": "importing", "importer": importer.name})
        try:
            with self.env.cr.savepoint():
                result = getattr(self.env[importer.model].sudo(), importer.handler)(
                    self, self._full_path(), info)
        except ExchangeRefused as exc:
            self.write({"state": "failed", "message": exc.render()})
            raise
        except Exception:
            _logger.exception("reader %s failed on exchange file %s (id %d)",
                              importer.name, self.name, self.id)
            refusal = ExchangeRefused(protocol.MSG_IMPORT_ERROR, file=self.name)
            self.write({"state": "failed", "message": refusal.render()})
            raise refusal
        verdict, note = (result if isinstance(result, tuple) else (result, ""))
        if verdict == "progress":
            self.message = note or False
            session._note("file %s: %s in progress %s" % (self.name, importer.name, note or ""))
            return "progress", note or ""
        self.write({"state": "imported", "message": note or False})
        session._note("file %s: imported by %s %s" % (self.name, importer.name, note or ""))
        return "success", note or ""
