from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib.client import normalize_webhook_url

PARAM_WEBHOOK = "b2b_bitrix_bridge.webhook_url"
PARAM_TOKEN = "b2b_bitrix_bridge.application_token"
PARAM_RATE = "b2b_bitrix_bridge.rate"
PARAM_BURST = "b2b_bitrix_bridge.burst"
DEFAULT_RATE = 2.0
DEFAULT_BURST = 50


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    b2b_bitrix_webhook_url = fields.Char(
        "Bitrix24 webhook URL", groups="b2b_base.group_b2b_admin",
        help="Incoming webhook of the Bitrix24 portal, as Bitrix24 shows it: "
             "https://<portal>/rest/<user id>/<secret>/")
    b2b_bitrix_application_token = fields.Char(
        "Outbound webhook token", groups="b2b_base.group_b2b_admin",
        help="The application token Bitrix24 shows for the outbound webhook that posts events to "
             "/b2b/bitrix/event. Events carrying another token are refused.")
    b2b_bitrix_rate = fields.Float(
        "Requests per second", groups="b2b_base.group_b2b_admin", default=DEFAULT_RATE,
        help="How many REST requests per second Odoo sends to Bitrix24 after the burst "
             "(Bitrix24 allows about 2). With several Odoo workers, divide by their number.")
    b2b_bitrix_burst = fields.Integer(
        "Request burst", groups="b2b_base.group_b2b_admin", default=DEFAULT_BURST,
        help="How many REST requests may go at once before the rate applies (Bitrix24 allows about 50).")

    @api.model
    def get_values(self):
        res = super(ResConfigSettings, self).get_values()
        get = self.env["ir.config_parameter"].sudo().get_param
        res.update(
            b2b_bitrix_webhook_url=get(PARAM_WEBHOOK, default=""),
            b2b_bitrix_application_token=get(PARAM_TOKEN, default=""),
            b2b_bitrix_rate=_number(float, get(PARAM_RATE), DEFAULT_RATE),
            b2b_bitrix_burst=_number(int, get(PARAM_BURST), DEFAULT_BURST),
        )
        return res

    @api.constrains("b2b_bitrix_webhook_url", "b2b_bitrix_rate", "b2b_bitrix_burst")
    def _check_b2b_bitrix(self):
        for settings in self:
            if settings.b2b_bitrix_webhook_url:
                try:
                    normalize_webhook_url(settings.b2b_bitrix_webhook_url)
                except ValueError:
                    raise ValidationError(_(
                        "Bitrix24 webhook URL: it must look like "
                        "https://<portal>/rest/<user id>/<secret>/ (got %s).")
                        % settings.b2b_bitrix_webhook_url)
            if settings.b2b_bitrix_rate <= 0 or settings.b2b_bitrix_rate > 50:
                raise ValidationError(_(
                    "Bitrix24 requests per second: it must be above 0 and at most 50 (got %s).")
                    % settings.b2b_bitrix_rate)
            if settings.b2b_bitrix_burst < 1 or settings.b2b_bitrix_burst > 1000:
                raise ValidationError(_(
                    "Bitrix24 request burst: it must be between 1 and 1000 (got %s).")
                    % settings.b2b_bitrix_burst)

    @api.multi
    def set_values(self):
        res = super(ResConfigSettings, self).set_values()
        set_param = self.env["ir.config_parameter"].sudo().set_param
        url = (self.b2b_bitrix_webhook_url or "").strip()
        set_param(PARAM_WEBHOOK, normalize_webhook_url(url) if url else "")
        set_param(PARAM_TOKEN, (self.b2b_bitrix_application_token or "").strip())
        set_param(PARAM_RATE, repr(float(self.b2b_bitrix_rate)))
        set_param(PARAM_BURST, str(int(self.b2b_bitrix_burst)))
        return res


def _number(kind, text, default):
    """A stored parameter as a number; the default when it is missing or was edited into nonsense."""
    if not text:
        return default
    try:
        return kind(text)
    except (TypeError, ValueError):
        return default
