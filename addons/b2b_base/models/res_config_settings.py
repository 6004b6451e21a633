from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..lib import aging, rpc_policy
from ..tools.rule_messages import translate
from .b2b_settlement_line import EDGES_PARAM

SHOW_STOCK_PARAM = "b2b_base.show_stock_qty"    # dealers see stock quantities (b2b_portal)
REQUEST_SECONDS_PARAM = "b2b_base.dealer_request_seconds"   # tools/dealer_requests.py


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
    b2b_dealer_request_seconds = fields.Integer(
        "Time Limit of a Dealer's Request (seconds)", default=rpc_policy.DEFAULT_REQUEST_SECONDS,
        help="A request of a dealer's user that runs longer is stopped, nothing of it saved, and "
             "the dealer is told so; the 1C and Bitrix24 exchanges and supplier staff are not "
             "limited.")

    @api.model
    def get_values(self):
        res = super(ResConfigSettings, self).get_values()
        edges = self.env["b2b.settlement.line"]._b2b_aging_edges()
        res["b2b_aging_edges"] = aging.format_edges(edges)
        res["b2b_show_stock_qty"] = self.env["ir.config_parameter"].sudo().get_param(
            SHOW_STOCK_PARAM) == "True"
        res["b2b_dealer_request_seconds"] = int(rpc_policy.request_seconds(
            self.env["ir.config_parameter"].sudo().get_param(REQUEST_SECONDS_PARAM)))
        return res

    @api.multi
    def set_values(self):
        try:
            edges = aging.parse_edges(self.b2b_aging_edges or "", count=3)
        except aging.AgingError as error:
            raise UserError(_("Overdue buckets: %s") % error.render(lambda text: translate(self.env, text)))
        if self.b2b_dealer_request_seconds < 1:
            raise UserError(_("The time limit of a dealer's request must be at least one second."))
        Params = self.env["ir.config_parameter"].sudo()
        before = self.env["b2b.settlement.line"]._b2b_aging_edges()
        res = super(ResConfigSettings, self).set_values()
        Params.set_param(SHOW_STOCK_PARAM, "True" if self.b2b_show_stock_qty else "False")
        Params.set_param(REQUEST_SECONDS_PARAM, str(self.b2b_dealer_request_seconds))
        if edges != before:
            Params.set_param(EDGES_PARAM, aging.format_edges(edges))
            self.env["b2b.settlement.line"].b2b_cron_recompute_debt()
        return res
