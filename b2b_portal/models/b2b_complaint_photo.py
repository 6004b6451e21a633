from odoo import fields, models


class B2bComplaintPhoto(models.Model):
    """A photo of a complaint's defect, as the dealer attached it once stripped of its metadata
    (b2b_base lib/images.py). Served only through the portal's checked route and, for the
    supplier's CRM, by the complaint's photo link key: never as a public attachment."""
    _name = "b2b.complaint.photo"
    _description = "Complaint Photo"
    _order = "id"

    complaint_id = fields.Many2one("b2b.complaint", required=True, index=True,
                                   ondelete="cascade", readonly=True)
    name = fields.Char("File Name", required=True, readonly=True)
    mimetype = fields.Char("Type", readonly=True)
    data = fields.Binary("Photo", attachment=True, readonly=True)
    file_size = fields.Integer("Size (bytes)", readonly=True)
