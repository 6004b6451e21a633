from odoo import fields, models


class B2bBitrixCheck(models.TransientModel):
    """What the connection test or the set-up found, shown to the administrator."""

    _name = "b2b.bitrix.check"
    _description = "Bitrix24 connection check"

    result = fields.Text(readonly=True)
    ok = fields.Boolean("Everything works", readonly=True)
