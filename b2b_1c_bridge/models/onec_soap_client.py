import logging

from odoo import api, models

from ..lib import settings as bridge_settings
from ..lib import soap

_logger = logging.getLogger(__name__)

PARAM_WSDL = "b2b_1c_bridge.ws_wsdl_url"
PARAM_LOGIN = "b2b_1c_bridge.ws_login"
PARAM_PASSWORD = "b2b_1c_bridge.ws_password"
PARAM_TIMEOUT = "b2b_1c_bridge.ws_timeout"
PARAM_ATTEMPTS = "b2b_1c_bridge.ws_attempts"


class OnecSoapClient(models.AbstractModel):
    """The portal's client of the 1C web service (SOAP through zeep), set up in Sales >
    Settings: WSDL URL, login, password. Not configured: requests wait for 1C's exchange."""
    _name = "b2b.onec.soap.client"
    _description = "1C web service client"

    @api.model
    def _b2b_config(self):
        params = self.env["ir.config_parameter"].sudo()
        return {
            "wsdl_url": (params.get_param(PARAM_WSDL) or "").strip(),
            "login": params.get_param(PARAM_LOGIN) or "",
            "password": params.get_param(PARAM_PASSWORD) or "",
            "timeout": bridge_settings.parse_int(params.get_param(PARAM_TIMEOUT), 30, 1, 600),
            "attempts": bridge_settings.parse_int(params.get_param(PARAM_ATTEMPTS), 3, 1, 20),
        }

    @api.model
    def _b2b_configured(self):
        return bool(self._b2b_config()["wsdl_url"])

    @api.model
    def _b2b_call(self, kind, guid, payload):
        """The answer of 1C's web service to one request (a dict, see lib.soap.read_answer);
        raises lib.soap.SoapError."""
        config = self._b2b_config()
        _logger.info("1C web service: %s %s", soap.OPERATIONS[kind], guid)
        return soap.call(config["wsdl_url"], config["login"], config["password"], kind, guid,
                         payload, timeout=config["timeout"])
