"""The stock dealers see when the supplier shows quantities (Sales > Settings > Stock shown to
dealers, ``b2b_base.show_stock_qty``): the total beside each product's availability in the
catalog, and the quantity in each warehouse on the product page («актуальные остатки на
складах»). The quantities are 1C's (b2b.product.stock, written by the 1C bridge); they are read
as the dealer's user (the record rules of b2b_base apply), one query a page."""
from odoo import api, models

from odoo.addons.b2b_base.lib import numbers
from odoo.addons.b2b_base.models.res_config_settings import SHOW_STOCK_PARAM


class B2bCatalog(models.AbstractModel):
    _inherit = "b2b.catalog"

    @api.model
    def _b2b_shows_stock(self):
        value = self.env["ir.config_parameter"].sudo().get_param(SHOW_STOCK_PARAM)
        return value == "True"

    @api.model
    def _b2b_quantity_text(self, quantity, unit):
        sep, point = self.env["res.lang"]._b2b_number_format(self.env.lang or "en_US")
        text = numbers.format_quantity(quantity, sep, point)
        return "%s %s" % (text, unit) if unit else text

    @api.model
    def _b2b_rows(self, contract, product_ids, favourite_ids=()):
        """The rows, with ``stock_text`` (the product's total stock) when quantities are shown
        and 1C gave them."""
        rows = super(B2bCatalog, self)._b2b_rows(contract, product_ids, favourite_ids)
        if not rows or not self._b2b_shows_stock():
            return rows
        totals = self.env["b2b.product.stock"].read_group(
            [("product_id", "in", [row["id"] for row in rows])], ["product_id", "quantity"],
            ["product_id"])
        totals = {group["product_id"][0]: group["quantity"] for group in totals}
        for row in rows:
            if row["id"] in totals:
                row["stock_text"] = self._b2b_quantity_text(totals[row["id"]], row["unit"])
        return rows

    @api.model
    def _b2b_product_page(self, contract, product_id):
        """The page's values, with ``stock`` ({warehouses: [(name, quantity text)], total})
        when quantities are shown and 1C gave them."""
        shown = super(B2bCatalog, self)._b2b_product_page(contract, product_id)
        if not shown or not self._b2b_shows_stock():
            return shown
        unit = shown["row"]["unit"]
        rows = self.env["b2b.product.stock"].search([("product_id", "=", product_id)])
        if rows:
            placed = rows.filtered(lambda r: r.warehouse_id and r.warehouse_id.active).sorted(
                lambda r: (r.warehouse_id.sequence, r.warehouse_id.name, r.warehouse_id.id))
            shown["stock"] = {
                "warehouses": [(r.warehouse_id.name, self._b2b_quantity_text(r.quantity, unit))
                               for r in placed],
                "total": self._b2b_quantity_text(sum(rows.mapped("quantity")), unit),
            }
        return shown
