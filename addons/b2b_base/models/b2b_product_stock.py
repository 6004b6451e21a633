from odoo import api, fields, models


class B2bProductStock(models.Model):
    """The quantity of a product in one of the supplier's warehouses, as 1C sends it (a row
    without a warehouse: 1C gave only the product's total). A product's stock is the sum of its
    rows; more than zero is *In stock* (the product's availability), else *On order*."""

    _name = "b2b.product.stock"
    _description = "Product Stock by Warehouse"
    _order = "product_id, warehouse_id"

    product_id = fields.Many2one("product.product", required=True, index=True,
                                 ondelete="cascade")
    warehouse_id = fields.Many2one("b2b.warehouse", index=True, ondelete="cascade",
                                   help="Empty: 1C gave the product's total, not per warehouse.")
    quantity = fields.Float(digits=(16, 3), required=True, default=0.0)

    @api.model_cr
    def init(self):
        # one row per product and warehouse, and one row without a warehouse (NULL is distinct
        # for a unique constraint)
        self.env.cr.execute("""CREATE UNIQUE INDEX IF NOT EXISTS b2b_product_stock_unique
                                   ON b2b_product_stock (product_id, COALESCE(warehouse_id, 0))""")
