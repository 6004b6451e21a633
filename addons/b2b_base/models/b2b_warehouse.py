from odoo import fields, models


class B2bWarehouse(models.Model):
    """A warehouse of the supplier as 1C names it (``Склады/Склад``): the stock of goods is kept
    per warehouse (b2b.product.stock) and, when the supplier shows quantities, dealers see it
    warehouse by warehouse on the product page."""

    _name = "b2b.warehouse"
    _description = "Supplier Warehouse"
    _order = "sequence, name, id"

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    b2b_onec_id = fields.Char("1C Id", index=True, copy=False)
    active = fields.Boolean(default=True)
    stock_ids = fields.One2many("b2b.product.stock", "warehouse_id")

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another warehouse already has this 1C id."),
    ]
