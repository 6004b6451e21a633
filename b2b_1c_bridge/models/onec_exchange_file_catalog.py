from odoo import api, models

from ..lib.importers import Importer

CATALOG = "b2b.onec.catalog.import"
ROOT = "КоммерческаяИнформация"


class OnecExchangeFile(models.Model):
    """The catalog readers: goods files (import.xml, and the split goods*.xml / groups*.xml of
    newer 1C modules) and offers files (offers.xml, prices*.xml, rests*.xml)."""

    _inherit = "b2b.onec.exchange.file"

    @api.model
    def _onec_importers(self):
        goods = [Importer("catalog: %s" % pattern, CATALOG, "_onec_read_catalog",
                          filename=pattern, root=ROOT, sequence=10)
                 for pattern in ("import*.xml", "goods*.xml", "groups*.xml")]
        offers = [Importer("offers: %s" % pattern, CATALOG, "_onec_read_offers",
                           filename=pattern, root=ROOT, section="ПакетПредложений", sequence=10)
                  for pattern in ("offers*.xml", "prices*.xml", "rests*.xml")]
        # files named otherwise (some modules number or prefix them) by what they hold
        others = [
            Importer("catalog", CATALOG, "_onec_read_catalog", root=ROOT, section="Каталог",
                     sequence=50),
            Importer("catalog groups", CATALOG, "_onec_read_catalog", root=ROOT,
                     section="Классификатор", sequence=51),
            Importer("offers", CATALOG, "_onec_read_offers", root=ROOT,
                     section="ПакетПредложений", sequence=50),
        ]
        return super()._onec_importers() + goods + offers + others
