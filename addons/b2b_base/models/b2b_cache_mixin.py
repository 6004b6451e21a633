from odoo import api, models


class B2bCacheMixin(models.AbstractModel):
    """Clears Odoo's caches (ormcache: record rules, the dealers' whole-catalog price tables) when
    a record changes in a way they depend on; Odoo then clears them in every worker too.

    ``_b2b_cache_fields``: the fields whose change matters; None means any change."""
    _name = "b2b.cache.mixin"
    _description = "Clears caches on relevant changes"
    _b2b_cache_fields = None

    def _b2b_cache_touched(self, vals):
        return self._b2b_cache_fields is None or not set(vals).isdisjoint(self._b2b_cache_fields)

    @api.model
    def create(self, vals):
        record = super(B2bCacheMixin, self).create(vals)
        if self._b2b_cache_touched(vals):
            self.clear_caches()
        return record

    @api.multi
    def write(self, vals):
        res = super(B2bCacheMixin, self).write(vals)
        if self._b2b_cache_touched(vals):
            self.clear_caches()
        return res

    @api.multi
    def unlink(self):
        res = super(B2bCacheMixin, self).unlink()
        self.clear_caches()
        return res
