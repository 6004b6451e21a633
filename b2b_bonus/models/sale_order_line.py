from odoo import _, api, models
from odoo.exceptions import UserError

from ..lib import bonus

# what a confirmed bonus order was charged for; changing it would bypass the balance
CHARGED_FIELDS = ("product_id", "product_uom_qty", "product_uom")


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def _b2b_bonus_item(self):
        product = self.product_id
        qty = self.product_uom_qty
        if product and self.product_uom and self.product_uom != product.uom_id:
            qty = self.product_uom._compute_quantity(qty, product.uom_id)
        return bonus.BonusItem(name=product.display_name or "", qty=qty, known=bool(product),
                               bonus_only=product.b2b_bonus_only,
                               bonus_price=product.b2b_bonus_price)

    @api.constrains("product_id", "order_id")
    def _check_b2b_goods_kind(self):
        """Only the lines that changed are looked at (adding lines one by one stays linear); the
        order's full check, which names every line at fault, runs when one of them is wrong."""
        wrong = self.filtered(lambda line: line.product_id and
                              line.product_id.b2b_bonus_only != line.order_id.b2b_is_bonus_order)
        wrong.mapped("order_id")._check_b2b_goods_kind()

    @api.multi
    def _get_display_price(self, product):
        """Goods of a bonus order are paid in points, not money."""
        if self.order_id.b2b_is_bonus_order:
            return 0.0
        return super(SaleOrderLine, self)._get_display_price(product)

    def _b2b_check_not_charged(self):
        charged = self.mapped("order_id").filtered("b2b_bonus_points_spent")
        if charged:
            raise UserError(_(
                "Bonus order %s is confirmed and its points are deducted: its goods and quantities "
                "cannot be changed. Cancel the order and place a new one.") % charged[0].name)

    @api.model
    def create(self, vals):
        line = super(SaleOrderLine, self).create(vals)
        line._b2b_check_not_charged()
        line.order_id._b2b_resize_bonus_reservation()
        return line

    @api.multi
    def write(self, vals):
        charged = any(name in vals for name in CHARGED_FIELDS)
        if charged:
            self._b2b_check_not_charged()
        orders = self.mapped("order_id")
        result = super(SaleOrderLine, self).write(vals)
        if charged:
            (orders | self.mapped("order_id"))._b2b_resize_bonus_reservation()
        return result

    @api.multi
    def unlink(self):
        self._b2b_check_not_charged()
        orders = self.mapped("order_id")
        result = super(SaleOrderLine, self).unlink()
        orders.exists()._b2b_resize_bonus_reservation()
        return result
