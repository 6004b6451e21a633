from odoo import fields, models


class B2bFileCategory(models.Model):
    """A shelf of the supplier's files library: certificates, instructions, marketing material."""
    _name = "b2b.file.category"
    _description = "Files Library Category"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10, help="Categories are listed in this order.")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    file_ids = fields.One2many("b2b.file", "category_id", "Files")
    file_count = fields.Integer("Files", compute="_compute_file_count")

    def _compute_file_count(self):
        counts = {row["category_id"][0]: row["category_id_count"] for row in
                  self.env["b2b.file"].read_group([("category_id", "in", self.ids)],
                                                  ["category_id"], ["category_id"])}
        for category in self:
            category.file_count = counts.get(category.id, 0)
