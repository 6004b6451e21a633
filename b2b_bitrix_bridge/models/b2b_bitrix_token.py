import logging

from odoo import api, fields, models

from ..lib.oauth import TOKEN_COLUMNS as TOKEN_FIELDS, BitrixAppClient, SqlTokenStore

_logger = logging.getLogger(__name__)


class B2bBitrixToken(models.Model):
    """The tokens Bitrix24 gave the portal's local application when it was installed."""

    _name = "b2b.bitrix.token"
    _description = "Bitrix24 application tokens"

    name = fields.Char(required=True, default="app", readonly=True)
    access_token = fields.Char(readonly=True, groups="base.group_system")
    refresh_token = fields.Char(readonly=True, groups="base.group_system")
    application_token = fields.Char(readonly=True, groups="base.group_system")
    expires = fields.Integer(readonly=True)
    client_endpoint = fields.Char("REST address", readonly=True)
    server_endpoint = fields.Char(readonly=True)
    domain = fields.Char("Bitrix24 portal", readonly=True)
    member_id = fields.Char("Portal member ID", readonly=True)
    installed_at = fields.Datetime(readonly=True)
    refreshed_at = fields.Datetime(readonly=True)
    refresh_count = fields.Integer(readonly=True)

    _sql_constraints = [("name_unique", "unique(name)", "The application's tokens are kept once.")]

    @api.model
    def _b2b_tokens(self):
        record = self.sudo().search([("name", "=", "app")], limit=1)
        return {name: record[name] for name in TOKEN_FIELDS} if record else {}

    @api.model
    def _b2b_install(self, auth):
        """Keep the tokens of an installation (the ``auth`` block Bitrix24 posts)."""
        values = {name: auth.get(name) for name in TOKEN_FIELDS if auth.get(name) not in (None, "")}
        values["expires"] = int(auth.get("expires") or 0) or None
        values["installed_at"] = fields.Datetime.now()
        record = self.sudo().search([("name", "=", "app")], limit=1)
        if record:
            record.write(values)
        else:
            record = self.sudo().create(dict(values, name="app"))
        _logger.info("Bitrix24 application installed for portal %s", values.get("domain"))
        return record

    @api.model
    def _b2b_store(self):
        """The tokens' row, read and refreshed in transactions of their own (committed at once)."""
        return SqlTokenStore(self.env.registry.cursor)

    @api.model
    def _b2b_client(self):
        Api = self.env["b2b.bitrix.api"]
        settings = Api._b2b_settings()
        # Bitrix24 counts the requests of a portal and an address together: one bucket for both
        limiter = Api._b2b_webhook_client().limiter if Api._b2b_configured() else None
        return BitrixAppClient(self._b2b_store(), settings["client_id"], settings["client_secret"],
                               oauth_url=settings["oauth_url"], rate=settings["rate"],
                               burst=settings["burst"], limiter=limiter)
