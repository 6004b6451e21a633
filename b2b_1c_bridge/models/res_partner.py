from odoo import fields, models


class ResPartner(models.Model):
    """The KPP (reason code of registration) of a Russian legal entity, as 1C sends it with the
    counterparty."""

    _inherit = "res.partner"

    b2b_kpp = fields.Char("KPP", size=9, copy=False,
                          help="The legal entity's reason code of tax registration (КПП), from 1C.")
