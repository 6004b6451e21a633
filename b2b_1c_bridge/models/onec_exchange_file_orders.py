from odoo import api, models

from ..lib.importers import Importer


class OnecExchangeFile(models.Model):
    """Registers the reader of 1C's orders files (``Документ`` elements: changes and statuses of
    portal orders, orders taken in 1C by phone)."""
    _inherit = "b2b.onec.exchange.file"

    @api.model
    def _onec_importers(self):
        return super(OnecExchangeFile, self)._onec_importers() + [
            Importer("orders", "sale.order", "_b2b_onec_read_orders",
                     root="КоммерческаяИнформация", section="Документ", sequence=40),
            Importer("orders (containers)", "sale.order", "_b2b_onec_read_orders",
                     root="КоммерческаяИнформация", section="Контейнер", sequence=41),
        ]
