from odoo import models


class ResPartner(models.Model):
    """A dealer's region and tags decide which files and news of the supplier its users read
    (record rules of the audience mixin): a change of them clears the cached rules."""
    _inherit = "res.partner"

    def _b2b_cache_touched(self, vals):
        return (super(ResPartner, self)._b2b_cache_touched(vals)
                or not {"b2b_region_id", "category_id"}.isdisjoint(vals))
