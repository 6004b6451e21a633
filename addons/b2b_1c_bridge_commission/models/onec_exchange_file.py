from odoo import api, models

from odoo.addons.b2b_1c_bridge.lib import cml_packages as cml
from odoo.addons.b2b_1c_bridge.lib.importers import Importer
from odoo.addons.b2b_1c_bridge.models.onec_exchange_file_readers import (
    PACKAGE_MODEL, PACKAGE_SEQUENCE)


class OnecExchangeFile(models.Model):
    """Routes the consignment lists and the decisions on commission reports of 1C to their
    readers (ahead of the bridge's refusal of them when b2b_commission is not installed)."""

    _inherit = "b2b.onec.exchange.file"

    @api.model
    def _onec_importers(self):
        return super(OnecExchangeFile, self)._onec_importers() + [
            Importer("B2B consignment lists", PACKAGE_MODEL, "_read_consignment", root=cml.ROOT,
                     section=cml.CONSIGNMENT, sequence=PACKAGE_SEQUENCE),
            Importer("B2B decisions on commission reports", PACKAGE_MODEL,
                     "_read_commission_decisions", root=cml.ROOT,
                     section=cml.COMMISSION_DECISIONS, sequence=PACKAGE_SEQUENCE),
        ]
