from odoo import api, fields, models

from .bonus_plan import SOURCE_PARAM, SOURCES


class ResConfigSettings(models.TransientModel):
    """Sales ▸ Settings: what the monthly plans' fulfilment counts."""
    _inherit = "res.config.settings"

    b2b_plan_source = fields.Selection(
        SOURCES, "Plan Fulfilment From", default="orders",
        help="What counts towards dealers' monthly plans and commitments: their orders once "
             "confirmed, or the goods 1C has shipped to them.")

    @api.model
    def get_values(self):
        res = super(ResConfigSettings, self).get_values()
        res["b2b_plan_source"] = self.env["b2b.bonus.plan"]._b2b_source()
        return res

    @api.multi
    def set_values(self):
        res = super(ResConfigSettings, self).set_values()
        self.env["ir.config_parameter"].sudo().set_param(
            SOURCE_PARAM, self.b2b_plan_source or "orders")
        return res
