from odoo import api, models


class SaleOrder(models.Model):
    """A manager's deal changes follow the dealer portal's rules: its status rule says until when an
    order may change, its SKU look-up finds the goods of the deal's rows."""

    _inherit = "sale.order"

    @api.model
    def _b2b_bitrix_editable_states(self):
        return self._b2b_editable_states()

    @api.model
    def _b2b_bitrix_status_label(self, state):
        return self._b2b_status_label(state)

    @api.model
    def _b2b_bitrix_products_by_sku(self, skus):
        return self.env["product.product"].sudo()._b2b_find_by_sku(skus)
