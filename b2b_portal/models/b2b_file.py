import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import library


class B2bFile(models.Model):
    """A document of the supplier's files library (a certificate, an instruction, a leaflet) for
    all dealers or for segments (``b2b.audience.mixin``). Each upload is a new version; dealers
    download the current one and see the history. Downloads are counted per file and version."""
    _name = "b2b.file"
    _inherit = ["b2b.audience.mixin"]
    _description = "Library File"
    _order = "category_sequence, name, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    category_id = fields.Many2one("b2b.file.category", required=True,
                                  ondelete="restrict", index=True)
    category_sequence = fields.Integer(related="category_id.sequence", store=True, readonly=True)
    version_ids = fields.One2many("b2b.file.version", "file_id")
    current_version_id = fields.Many2one(
        "b2b.file.version", compute="_compute_current_version", store=True,
        help="The newest version: the one dealers download.")
    version_number = fields.Integer("Version", related="current_version_id.number", readonly=True)
    version_date = fields.Datetime("Updated On", related="current_version_id.date", readonly=True)
    file_name = fields.Char(related="current_version_id.file_name", readonly=True)
    download_count = fields.Integer(
        "Downloads", readonly=True, copy=False, groups="base.group_user",
        help="How many times dealers downloaded any version of this file.")

    @api.depends("version_ids.number")
    def _compute_current_version(self):
        for record in self:
            versions = record.version_ids.sorted("number", reverse=True)
            record.current_version_id = versions[:1]

    @api.multi
    def action_publish(self):
        for record in self:
            if not record.version_ids:
                raise UserError(_("%s: upload its first version before publishing it.")
                                % record.display_name)
        self.write({"published": True})
        return True

    @api.multi
    def action_unpublish(self):
        self.write({"published": False})
        return True

    @api.multi
    def _b2b_count_download(self, version):
        """A dealer downloaded ``version`` of this file: one more download of both."""
        self.ensure_one()
        cr = self.env.cr
        cr.execute("UPDATE b2b_file SET download_count = COALESCE(download_count, 0) + 1 "
                   "WHERE id = %s", (self.id,))
        cr.execute("UPDATE b2b_file_version SET download_count = COALESCE(download_count, 0) + 1 "
                   "WHERE id = %s", (version.id,))
        self.sudo().invalidate_cache(["download_count"], self.ids)
        version.sudo().invalidate_cache(["download_count"], version.ids)

    @api.model
    def _b2b_demo_versions(self, versions):
        """Demo library: upload ``versions`` [(file xmlid, file name, note, [lines])] in their
        order (a PDF of the lines for a .pdf, the text otherwise) and publish those files; files
        that have versions already are left as they are."""
        files = self.browse()
        # a file that already has its versions (the demo loaded again on an upgrade) keeps them
        uploaded = self.browse([self.env.ref(item[0]).id for item in versions]).filtered("version_ids")
        for xmlid, file_name, note, lines in versions:
            record = self.env.ref(xmlid)
            if record in uploaded:
                continue
            if file_name.endswith(".pdf"):
                content = library.simple_pdf(lines)
            else:
                content = "\n".join(lines).encode("utf-8")
            self.env["b2b.file.version"].create({
                "file_id": record.id, "file_name": file_name, "note": note,
                "datas": base64.b64encode(content)})
            files |= record
        files.action_publish()
        return True
