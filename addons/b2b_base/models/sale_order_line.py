from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.multi
    def _get_display_price(self, product):
        """Dealer orders are priced by their contract's price type, not by the pricelist."""
        contract = self.order_id.b2b_contract_id
        if contract:
            offer = contract._b2b_offers([product.id]).get(product.id)
            return offer.price if offer and offer.price is not None else 0.0
        return super(SaleOrderLine, self)._get_display_price(product)
