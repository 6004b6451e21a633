from odoo import api, models

from odoo.addons.b2b_1c_bridge.lib import cml_packages as cml
from odoo.addons.b2b_1c_bridge.lib.importers import Importer
from odoo.addons.b2b_1c_bridge.models.onec_exchange_file_readers import (
    PACKAGE_MODEL, PACKAGE_SEQUENCE)

# (reader name, section of the package, handler)
PACKAGES = (
    ("B2B bonuses", cml.BONUSES, "_read_bonuses"),
    ("B2B monthly plans", cml.PLANS, "_read_plans"),
)


class OnecExchangeFile(models.Model):
    """Routes the bonus packages of 1C to their readers (ahead of the bridge's refusal of
    them when b2b_bonus is not installed)."""

    _inherit = "b2b.onec.exchange.file"

    @api.model
    def _onec_importers(self):
        return super(OnecExchangeFile, self)._onec_importers() + [
            Importer(name, PACKAGE_MODEL, handler, root=cml.ROOT, section=section,
                     sequence=PACKAGE_SEQUENCE)
            for name, section, handler in PACKAGES
        ]
