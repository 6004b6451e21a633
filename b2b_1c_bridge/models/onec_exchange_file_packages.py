from odoo import api, models

from ..lib import cml_packages as cml
from ..lib.importers import Importer

PACKAGE_MODEL = "b2b.onec.package.import"

# (reader name, section of the package, handler)
PACKAGES = (
    ("B2B counterparties and contracts", cml.COUNTERPARTIES, "_read_counterparties"),
    ("B2B settlement ledger", cml.SETTLEMENTS, "_read_settlements"),
    ("B2B overdue summary", cml.OVERDUE, "_read_overdue"),
    ("B2B bonuses", cml.BONUSES, "_read_bonuses"),
    ("B2B monthly plans", cml.PLANS, "_read_plans"),
    ("B2B consignment lists", cml.CONSIGNMENT, "_read_consignment"),
    ("B2B printed forms", cml.PRINTED_FORMS, "_read_printed_forms"),
)


class OnecExchangeFile(models.Model):
    """Routes the B2B data packages (see the README) to their readers."""

    _inherit = "b2b.onec.exchange.file"

    @api.model
    def _onec_importers(self):
        return super(OnecExchangeFile, self)._onec_importers() + [
            Importer(name, PACKAGE_MODEL, handler, root=cml.ROOT, section=section, sequence=50)
            for name, section, handler in PACKAGES
        ]
