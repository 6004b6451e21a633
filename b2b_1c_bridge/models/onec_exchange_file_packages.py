from odoo import api, models

from ..lib import cml_packages as cml
from ..lib.importers import Importer

PACKAGE_MODEL = "b2b.onec.package.import"

# (reader name, section of the package, handler)
PACKAGES = (
    ("B2B counterparties and contracts", cml.COUNTERPARTIES, "_read_counterparties"),
    ("B2B settlement ledger", cml.SETTLEMENTS, "_read_settlements"),
    ("B2B overdue summary", cml.OVERDUE, "_read_overdue"),
    ("B2B printed forms", cml.PRINTED_FORMS, "_read_printed_forms"),
)
# the bonus and consignment packages are read by the glue addons (b2b_1c_bridge_bonus,
# b2b_1c_bridge_commission) at PACKAGE_SEQUENCE; without them these entries refuse the package
PACKAGE_SEQUENCE = 50
WITHOUT_FEATURE_SEQUENCE = 90


class OnecExchangeFile(models.Model):
    """Routes the B2B data packages (see doc/exchange_contract.rst) to their readers."""

    _inherit = "b2b.onec.exchange.file"

    @api.model
    def _onec_importers(self):
        return super(OnecExchangeFile, self)._onec_importers() + [
            Importer(name, PACKAGE_MODEL, handler, root=cml.ROOT, section=section,
                     sequence=PACKAGE_SEQUENCE)
            for name, section, handler in PACKAGES
        ] + [
            Importer("B2B package of %s (not installed)" % addon, PACKAGE_MODEL,
                     "_refuse_without_feature", root=cml.ROOT, section=section,
                     sequence=WITHOUT_FEATURE_SEQUENCE)
            for section, addon in sorted(cml.FEATURE_ADDONS.items())
        ]
