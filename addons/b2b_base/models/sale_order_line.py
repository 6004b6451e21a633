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

    @api.multi
    @api.onchange("product_id")
    def product_id_change(self):
        """A dealer order's line keeps its contract's price: Odoo would take out of it the VAT
        included in the product's own taxes when the line's taxes differ from them."""
        result = super(SaleOrderLine, self).product_id_change()
        self._b2b_contract_price()
        return result

    @api.onchange("product_uom", "product_uom_qty")
    def product_uom_change(self):
        result = super(SaleOrderLine, self).product_uom_change()
        self._b2b_contract_price()
        return result

    def _b2b_contract_price(self):
        for line in self:
            if line.order_id.b2b_contract_id and line.product_id and line.product_uom:
                line.price_unit = line._get_display_price(line.product_id)

    @api.multi
    def _compute_tax_id(self):
        """A dealer order's line is taxed with VAT at its product's rate, included in the price
        or on top as the contract's price type has it (lib/vat): the same taxes as the lines the
        portal and 1C add (``sale.order._b2b_vat_taxes``)."""
        result = super(SaleOrderLine, self)._compute_tax_id()
        Tax = self.env["account.tax"]
        for line in self:
            order = line.order_id
            contract = order.sudo().b2b_contract_id
            if not contract or not line.product_id:
                continue
            taxes = Tax._b2b_vat_tax(order.company_id, line.product_id.b2b_vat_rate,
                                     contract.price_type_id.vat_included)
            fpos = order.fiscal_position_id or order.partner_id.property_account_position_id
            if fpos:
                taxes = fpos.map_tax(taxes, line.product_id, order.partner_shipping_id)
            line.tax_id = taxes
        return result
