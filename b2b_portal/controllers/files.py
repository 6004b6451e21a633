"""The supplier's files library for dealers: ``/b2b/files`` (by category, search by name), a
file's page with its versions, and the downloads of the current or an older version.

Everything is read as the dealer's user, so the record rules decide what it reaches: files only
while published and only when its dealer is in their audience (lib/audience.py). Another dealer's
file, an unpublished one or a version of another file answers 404. The content is served from
here only (never as a public attachment), with its content type and file name, and counted."""
import base64

import werkzeug.exceptions

from odoo import http
from odoo.http import request

from ..lib import library
from .portal_base import B2bPortal


class B2bFiles(B2bPortal):

    @http.route("/b2b/files", type="http", auth="user", website=False)
    def files(self, category="", search="", **kw):
        self._b2b_ensure_dealer()
        File = request.env["b2b.file"]
        search = (search or "").strip()
        try:
            category_id = int(category or 0)
        except ValueError:
            category_id = 0
        domain = [("published", "=", True)]
        if search:
            domain.append(("name", "ilike", search))
        files = File.search(domain)
        # the categories of the files the dealer may read, in their order
        categories = files.mapped("category_id").sorted(lambda c: (c.sequence, c.name, c.id))
        if category_id:
            files = files.filtered(lambda f: f.category_id.id == category_id)
        groups = [(cat, files.filtered(lambda f, cat=cat: f.category_id == cat))
                  for cat in categories if not category_id or cat.id == category_id]
        return request.render("b2b_portal.files_page", self._prepare_b2b_layout_values(
            page_name="b2b_files",
            categories=categories,
            groups=[(cat, rows) for cat, rows in groups if rows],
            category_id=category_id,
            search=search,
            file_size=self._b2b_file_size,
        ))

    @http.route("/b2b/files/<int:file_id>", type="http", auth="user", website=False)
    def file_page(self, file_id, **kw):
        self._b2b_ensure_dealer()
        record = self._b2b_library_file(file_id)
        return request.render("b2b_portal.file_page", self._prepare_b2b_layout_values(
            page_name="b2b_files",
            record=record,
            versions=record.version_ids.sorted("number", reverse=True),
            file_size=self._b2b_file_size,
        ))

    @http.route("/b2b/files/<int:file_id>/download", type="http", auth="user", website=False)
    def file_download(self, file_id, **kw):
        self._b2b_ensure_dealer()
        record = self._b2b_library_file(file_id)
        version = record.current_version_id
        if not version:
            raise werkzeug.exceptions.NotFound()
        return self._b2b_library_send(record, version)

    @http.route("/b2b/files/<int:file_id>/version/<int:version_id>", type="http", auth="user",
                website=False)
    def file_version_download(self, file_id, version_id, **kw):
        self._b2b_ensure_dealer()
        record = self._b2b_library_file(file_id)
        version = record.version_ids.filtered(lambda v: v.id == version_id)
        if not version:
            raise werkzeug.exceptions.NotFound()
        return self._b2b_library_send(record, version)

    # ------------------------------------------------------------------ helpers
    def _b2b_library_file(self, file_id):
        """The published file ``file_id`` the dealer's user may read (record rules), or 404."""
        record = request.env["b2b.file"].search([("id", "=", file_id), ("published", "=", True)])
        if not record:
            raise werkzeug.exceptions.NotFound()
        return record

    def _b2b_library_send(self, record, version):
        content = base64.b64decode(version.sudo().datas or b"")
        record._b2b_count_download(version)
        return self._b2b_file_response(
            content, version._b2b_download_name(),
            mimetype=version.mimetype or library.mimetype_of(version.file_name),
            headers=[("Content-Length", str(len(content))), ("X-Content-Type-Options", "nosniff")])

    def _b2b_file_size(self, size):
        """A file's size as the page shows it: '12,5 KB', '1,2 MB'."""
        formatters = self._b2b_formatters()
        size = size or 0
        if size >= 1048576:
            return "%s MB" % formatters["b2b_qty"](round(size / 1048576.0, 1))
        return "%s KB" % formatters["b2b_qty"](max(round(size / 1024.0, 1), 0.1))
