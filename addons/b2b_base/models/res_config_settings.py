from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import aging
from ..tools.rule_messages import translate
from .b2b_settlement_line import EDGES_PARAM

SHOW_STOCK_PARAM = "b2b_base.show_stock_qty"    # dealers see stock quantities (b2b_portal)


class ResConfigSettings(models.TransientModel):
    """Sales ▸ Settings: the overdue bucket edges of the debt aging (the last one is also the
    shipment block limit)."""
    _inherit = "res.config.settings"

    b2b_aging_edges = fields.Char(
        "Overdue Buckets (days)", default=aging.format_edges(aging.DEFAULT_EDGES),
        help="Three edges in days overdue, e.g. 6,15,45: debt is aged 1–6, 7–15, 16–45 and over "
             "45 days overdue; debt overdue longer than the last edge stops shipments.")
    b2b_show_stock_qty = fields.Boolean(
        "Show Stock Quantities to Dealers",
        help="Dealers see the quantity in stock in the catalog and per warehouse on the product "
             "page (as 1C sends it); otherwise only whether a product is in stock or on order.")

    @api.model
    def get_values(self):
        res = super(ResConfigSettings, self).get_values()
        edges = self.env["b2b.settlement.line"]._b2b_aging_edges()
        res["b2b_aging_edges"] = aging.format_edges(edges)
        res["b2b_show_stock_qty"] = self.env["ir.config_parameter"].sudo().get_param(
            SHOW_STOCK_PARAM) == "True"
        return res

    @api.multi
    def set_values(self):
        try:
            edges = aging.parse_edges(self.b2b_aging_edges or "", count=3)
        except aging.AgingError as error:
            raise UserError(_("Overdue buckets: %s") % error.render(lambda text: translate(self.env, text)))
        Params = self.env["ir.config_parameter"].sudo()
        before = self.env["b2b.settlement.line"]._b2b_aging_edges()
        res = super(ResConfigSettings, self).set_values()
        Params.set_param(SHOW_STOCK_PARAM, "True" if self.b2b_show_stock_qty else "False")
        if edges != before:
            Params.set_param(EDGES_PARAM, aging.format_edges(edges))
            self.env["b2b.settlement.line"].b2b_cron_recompute_debt()
        return res
