from odoo import api, models


class OnecPackageImport(models.AbstractModel):
    """1C's counterparties package finds the legal entities approved on the portal: by the Ид the
    portal sent, or, when 1C gave one of them an Ид of its own, by its INN and KPP."""

    _inherit = "b2b.onec.package.import"

    @api.model
    def _read_counterparties(self, exchange_file, path, info):
        self.env["b2b.legal.entity.request"]._b2b_adopt_onec_ids(path, exchange_file.name)
        return super(OnecPackageImport, self)._read_counterparties(exchange_file, path, info)
