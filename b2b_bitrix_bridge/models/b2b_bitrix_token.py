import logging

from odoo import api, fields, models

_logger = logging.getLogger(__name__)

TOKEN_FIELDS = ("access_token", "refresh_token", "expires", "client_endpoint", "server_endpoint",
                "domain", "member_id", "application_token")


SELECT = ("SELECT access_token, refresh_token, expires, client_endpoint, server_endpoint, domain, "
          "member_id, application_token FROM b2b_bitrix_token WHERE name = 'app'")
SELECT_FOR_UPDATE = SELECT + " FOR UPDATE"
UPDATE = ("UPDATE b2b_bitrix_token SET access_token = %s, refresh_token = %s, expires = %s, "
          "client_endpoint = %s, server_endpoint = %s, domain = %s, member_id = %s, "
          "application_token = %s, refreshed_at = now() at time zone 'UTC', "
          "refresh_count = coalesce(refresh_count, 0) + 1 WHERE name = 'app'")


class OdooTokenStore:
    """The local application's tokens kept in PostgreSQL (one row of b2b_bitrix_token).

    Every read and every refresh uses a cursor of its own and commits at once, so a refreshed
    pair is kept even when the job that needed it fails afterwards (the old refresh token no longer
    works after a rotation). A refresh locks the row (``SELECT ... FOR UPDATE``): processes and
    threads refresh one at a time, and one that waited finds the pair already new and uses it."""

    def __init__(self, registry):
        self.registry = registry

    def _read(self, cr, lock=False):
        query = SELECT_FOR_UPDATE if lock else SELECT
        cr.execute(query)
        row = cr.fetchone()
        return dict(zip(TOKEN_FIELDS, row)) if row else {}

    def load(self):
        with self.registry.cursor() as cr:
            return self._read(cr)

    def refresh(self, fn, used_access_token=None):
        """Run ``fn(tokens) -> new tokens`` under the row lock and keep the result; when the
        stored access token already differs from ``used_access_token`` (another process
        refreshed while this one waited) the stored pair is returned without refreshing."""
        with self.registry.cursor() as cr:
            current = self._read(cr, lock=True)
            if used_access_token and current.get("access_token") and \
                    current["access_token"] != used_access_token:
                return current
            new = fn(current)
            values = [new.get(name, current.get(name)) for name in TOKEN_FIELDS]
            cr.execute(UPDATE, values)
            # the rotated pair is kept whatever the calling transaction does next
            cr.commit()  # pylint: disable=invalid-commit
            merged = dict(current)
            merged.update({k: v for k, v in new.items() if k in TOKEN_FIELDS})
            return merged


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
        return OdooTokenStore(self.env.registry)

    @api.model
    def _b2b_client(self):
        from ..lib.oauth import BitrixAppClient
        Api = self.env["b2b.bitrix.api"]
        settings = Api._b2b_settings()
        # Bitrix24 counts the requests of a portal and an address together: one bucket for both
        limiter = Api._b2b_webhook_client().limiter if Api._b2b_configured() else None
        return BitrixAppClient(self._b2b_store(), settings["client_id"], settings["client_secret"],
                               oauth_url=settings["oauth_url"], rate=settings["rate"],
                               burst=settings["burst"], limiter=limiter)
