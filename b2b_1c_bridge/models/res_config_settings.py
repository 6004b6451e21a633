from odoo import api, fields, models

from ..lib import settings as bridge_settings

PARAMS = {
    "b2b_onec_ws_wsdl_url": "b2b_1c_bridge.ws_wsdl_url",
    "b2b_onec_ws_login": "b2b_1c_bridge.ws_login",
    "b2b_onec_ws_password": "b2b_1c_bridge.ws_password",
    "b2b_onec_ws_timeout": "b2b_1c_bridge.ws_timeout",
    "b2b_onec_ws_attempts": "b2b_1c_bridge.ws_attempts",
}
DEFAULTS = {"b2b_onec_ws_timeout": 30, "b2b_onec_ws_attempts": 3}


class ResConfigSettings(models.TransientModel):
    """The 1C web service the portal calls (Sales > Settings > 1C web service), kept in system
    parameters ``b2b_1c_bridge.ws_*``, and what a full catalog does to the goods it leaves out
    (``b2b_1c_bridge.deactivate_missing``)."""
    _inherit = "res.config.settings"

    b2b_onec_ws_wsdl_url = fields.Char(
        "1C Web Service WSDL",
        help="The address of the WSDL 1C publishes for the portal, e.g. "
             "https://1c.example.com/base/ws/b2bportal.1cws?wsdl. Empty: reconciliation acts, "
             "availability checks and commission reports wait for 1C to collect them through "
             "the exchange.")
    b2b_onec_ws_login = fields.Char("1C Web Service Login")
    b2b_onec_ws_password = fields.Char("1C Web Service Password")
    b2b_onec_ws_timeout = fields.Integer("1C Web Service Timeout (s)")
    b2b_onec_ws_attempts = fields.Integer(
        "1C Web Service Attempts",
        help="How many times a request is tried on the web service (with growing pauses) before "
             "it waits for 1C to collect it through the exchange.")

    b2b_onec_deactivate_missing = fields.Boolean(
        "Archive Goods a Full 1C Catalog Leaves Out",
        help="When 1C ends a full exchange (its deactivate call), the goods from 1C that none of "
             "the exchange's catalog files listed are archived; a later catalog that lists them "
             "again brings them back. Off: such goods stay as they are.")

    b2b_onec_strict = fields.Boolean(
        "Refuse a Whole 1C File on Any Problem",
        help="Off (usual): a record of a 1C file that cannot be used (a product without a name, "
             "an offer of goods the portal does not know...) is skipped and listed among the "
             "warnings of the exchange session; the rest of the file is imported. On: such a file "
             "is refused whole and nothing of it is imported.")

    @api.model
    def get_values(self):
        values = super(ResConfigSettings, self).get_values()
        params = self.env["ir.config_parameter"].sudo()
        for key in ("deactivate_missing", "strict"):
            values["b2b_onec_" + key] = bridge_settings.parse_bool(
                params.get_param(bridge_settings.PREFIX + key), bridge_settings.DEFAULTS[key])
        for name, key in PARAMS.items():
            value = params.get_param(key)
            if name in DEFAULTS:
                value = bridge_settings.parse_int(value, DEFAULTS[name], 1, 600)
            values[name] = value or (DEFAULTS.get(name) if name in DEFAULTS else False)
        return values

    @api.multi
    def set_values(self):
        result = super(ResConfigSettings, self).set_values()
        params = self.env["ir.config_parameter"].sudo()
        for key in ("deactivate_missing", "strict"):
            params.set_param(bridge_settings.PREFIX + key,
                             "yes" if self["b2b_onec_" + key] else "no")
        for name, key in PARAMS.items():
            value = self[name]
            if name in DEFAULTS:
                value = value if value and value > 0 else DEFAULTS[name]
            params.set_param(key, str(value).strip() if value else False)
        return result
