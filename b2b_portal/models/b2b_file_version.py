import base64

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.b2b_base.tools.rule_messages import render

from ..lib import library


class B2bFileVersion(models.Model):
    """One upload of a library file: its number (1, 2, ... per file), date, note and content.
    The newest is the file's current version; the older ones stay for the dealers' history.
    A version's content is not changed after its upload: a new upload is a new version."""
    _name = "b2b.file.version"
    _description = "Library File Version"
    _order = "file_id, number desc"
    _rec_name = "file_name"

    file_id = fields.Many2one("b2b.file", required=True, ondelete="cascade", index=True)
    number = fields.Integer("Version", readonly=True, copy=False)
    date = fields.Datetime("Uploaded On", default=fields.Datetime.now, readonly=True)
    note = fields.Char("What Changed")
    datas = fields.Binary("Content", attachment=True, required=True)
    file_name = fields.Char(required=True)
    mimetype = fields.Char("Content Type", readonly=True)
    file_size = fields.Integer("Size (bytes)", readonly=True)
    download_count = fields.Integer("Downloads", readonly=True, copy=False,
                                    groups="base.group_user")

    _sql_constraints = [
        ("number_unique", "unique(file_id, number)", "A file has one version of each number."),
    ]

    @api.model
    def create(self, vals):
        vals = dict(vals)
        content = base64.b64decode(vals.get("datas") or b"")
        problems = library.check_upload(vals.get("file_name"), len(content))
        if problems:
            raise ValidationError(render(self.env, problems))
        vals["file_size"] = len(content)
        vals["mimetype"] = library.mimetype_of(vals.get("file_name"))
        if vals.get("file_id"):
            self.env.cr.execute("SELECT number FROM b2b_file_version WHERE file_id = %s",
                                (vals["file_id"],))
            vals["number"] = library.next_number([row[0] for row in self.env.cr.fetchall()])
        return super(B2bFileVersion, self).create(vals)

    @api.multi
    def write(self, vals):
        if {"datas", "file_id", "number"}.intersection(vals) and not self.env.context.get(
                "install_mode"):
            raise ValidationError(render(self.env, [library.Problem(library.FROZEN)]))
        return super(B2bFileVersion, self).write(vals)

    def _b2b_download_name(self):
        """The name this version downloads under: the file's current version its own name,
        an older one with its number."""
        self.ensure_one()
        current = self.file_id.current_version_id == self
        return library.download_name(self.file_name, None if current else self.number)
