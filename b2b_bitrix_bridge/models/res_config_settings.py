from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib.client import normalize_webhook_url

PARAM_WEBHOOK = "b2b_bitrix_bridge.webhook_url"
PARAM_TOKEN = "b2b_bitrix_bridge.application_token"
PARAM_RATE = "b2b_bitrix_bridge.rate"
PARAM_BURST = "b2b_bitrix_bridge.burst"
PARAM_CLIENT_ID = "b2b_bitrix_bridge.client_id"
PARAM_CLIENT_SECRET = "b2b_bitrix_bridge.client_secret"
PARAM_OAUTH_URL = "b2b_bitrix_bridge.oauth_url"
PARAM_LINE = "b2b_bitrix_bridge.line_id"
PARAM_DEAL_CATEGORY = "b2b_bitrix_bridge.deal_category_id"
PARAM_MERCH_TARGET = "b2b_bitrix_bridge.merch_target"
PARAM_MERCH_CATEGORY = "b2b_bitrix_bridge.merch_category_id"
PARAM_MERCH_STAGE = "b2b_bitrix_bridge.merch_stage_id"
DEFAULT_OAUTH_URL = "https://oauth.bitrix.info/oauth/token/"
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
    b2b_bitrix_client_id = fields.Char(
        "Application client ID", groups="b2b_base.group_b2b_admin",
        help="client_id of the local application made in Bitrix24 (Developer resources > Other > "
             "Local application). The chat and the event subscription need it.")
    b2b_bitrix_client_secret = fields.Char(
        "Application client secret", groups="b2b_base.group_b2b_admin",
        help="client_secret of the same local application.")
    b2b_bitrix_oauth_url = fields.Char(
        "OAuth server", groups="b2b_base.group_b2b_admin", default=DEFAULT_OAUTH_URL,
        help="Where access tokens are refreshed; Bitrix24's cloud uses " + DEFAULT_OAUTH_URL)
    b2b_bitrix_line_id = fields.Integer(
        "Open line", groups="b2b_base.group_b2b_admin",
        help="ID of the Bitrix24 open line the dealers' chat messages arrive in.")
    b2b_bitrix_deal_category_id = fields.Integer(
        "Order pipeline", groups="b2b_base.group_b2b_admin",
        help="ID of the Bitrix24 deal pipeline (funnel) portal orders are put in; 0 is the default one.")
    b2b_bitrix_merch_target = fields.Selection(
        [("lead", "Lead"), ("deal", "Deal")], "Merchandising requests become",
        groups="b2b_base.group_b2b_admin", default="lead")
    b2b_bitrix_merch_category_id = fields.Integer(
        "Merchandising pipeline", groups="b2b_base.group_b2b_admin",
        help="ID of the deal pipeline of the merchandising department (when requests become deals).")
    b2b_bitrix_merch_stage_id = fields.Char(
        "Merchandising first stage", groups="b2b_base.group_b2b_admin",
        help="Stage a new merchandising deal starts in, e.g. C1:NEW.")

    @api.model
    def get_values(self):
        res = super(ResConfigSettings, self).get_values()
        get = self.env["ir.config_parameter"].sudo().get_param
        res.update(
            b2b_bitrix_webhook_url=get(PARAM_WEBHOOK, default=""),
            b2b_bitrix_application_token=get(PARAM_TOKEN, default=""),
            b2b_bitrix_rate=_number(float, get(PARAM_RATE), DEFAULT_RATE),
            b2b_bitrix_burst=_number(int, get(PARAM_BURST), DEFAULT_BURST),
            b2b_bitrix_client_id=get(PARAM_CLIENT_ID, default=""),
            b2b_bitrix_client_secret=get(PARAM_CLIENT_SECRET, default=""),
            b2b_bitrix_oauth_url=get(PARAM_OAUTH_URL, default=DEFAULT_OAUTH_URL),
            b2b_bitrix_line_id=_number(int, get(PARAM_LINE), 0),
            b2b_bitrix_deal_category_id=_number(int, get(PARAM_DEAL_CATEGORY), 0),
            b2b_bitrix_merch_target=get(PARAM_MERCH_TARGET) or "lead",
            b2b_bitrix_merch_category_id=_number(int, get(PARAM_MERCH_CATEGORY), 0),
            b2b_bitrix_merch_stage_id=get(PARAM_MERCH_STAGE, default=""),
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
    def action_b2b_bitrix_test_connection(self):
        """Save the settings, then say what works with Bitrix24 and what does not."""
        self.execute()
        return self.env["b2b.bitrix.api"].action_test_connection()

    @api.multi
    def action_b2b_bitrix_connect(self):
        """Save the settings, then subscribe to Bitrix24's events and register the chat connector."""
        self.execute()
        return self.env["b2b.bitrix.api"].action_connect()

    @api.multi
    def action_b2b_bitrix_send_orders(self):
        """Save the settings, then queue the open dealer orders that have no deal yet."""
        self.execute()
        count = self.env["sale.order"]._b2b_bitrix_send_existing()
        return self.env["b2b.bitrix.api"]._b2b_notification(_("Orders to Bitrix24"), [(
            _("Open orders without a deal"), True,
            _("%d queued; each becomes a deal in the background") % count if count
            else _("none: every open order has its deal"))])

    @api.multi
    def set_values(self):
        res = super(ResConfigSettings, self).set_values()
        set_param = self.env["ir.config_parameter"].sudo().set_param
        url = (self.b2b_bitrix_webhook_url or "").strip()
        set_param(PARAM_WEBHOOK, normalize_webhook_url(url) if url else "")
        set_param(PARAM_TOKEN, (self.b2b_bitrix_application_token or "").strip())
        set_param(PARAM_RATE, repr(float(self.b2b_bitrix_rate)))
        set_param(PARAM_BURST, str(int(self.b2b_bitrix_burst)))
        set_param(PARAM_CLIENT_ID, (self.b2b_bitrix_client_id or "").strip())
        set_param(PARAM_CLIENT_SECRET, (self.b2b_bitrix_client_secret or "").strip())
        set_param(PARAM_OAUTH_URL, (self.b2b_bitrix_oauth_url or DEFAULT_OAUTH_URL).strip())
        set_param(PARAM_LINE, str(int(self.b2b_bitrix_line_id or 0)))
        set_param(PARAM_DEAL_CATEGORY, str(int(self.b2b_bitrix_deal_category_id or 0)))
        set_param(PARAM_MERCH_TARGET, self.b2b_bitrix_merch_target or "lead")
        set_param(PARAM_MERCH_CATEGORY, str(int(self.b2b_bitrix_merch_category_id or 0)))
        set_param(PARAM_MERCH_STAGE, (self.b2b_bitrix_merch_stage_id or "").strip())
        return res


def _number(kind, text, default):
    """A stored parameter as a number; the default when it is missing or was edited into nonsense."""
    if not text:
        return default
    try:
        return kind(text)
    except (TypeError, ValueError):
        return default
