from odoo import api, fields, models

from ..lib.vat import STANDARD_RATE

AVAILABILITY = [
    ("in_stock", "In stock"),
    ("on_order", "On order"),
]


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "b2b.cache.mixin"]  # any change renews the price tables

    b2b_onec_id = fields.Char("1C Id", index=True, copy=False,
                              help="The product's identifier (Ид) in the supplier's 1C.")
    b2b_availability = fields.Selection(
        AVAILABILITY, "Availability", default="in_stock", required=True, index=True,
        help="In stock: shipped from the warehouse. On order: arrives after the lead time.")
    b2b_lead_days = fields.Integer("Lead Time (days)", default=14,
                                   help="Days until goods on order arrive.")
    b2b_min_qty = fields.Float("Minimum Order Quantity", default=1.0,
                               digits=(16, 3))
    b2b_qty_multiple = fields.Float("Order in Multiples of", default=1.0, digits=(16, 3),
                                    help="Dealers order this product in multiples of this "
                                         "quantity (e.g. whole boxes).")
    b2b_shipment_unit = fields.Char("Unit of Shipment", translate=True,
                                    help="How the product is shipped, e.g. 'box of 6'.")
    b2b_forbidden_region_ids = fields.Many2many(
        "b2b.region", "b2b_product_forbidden_region_rel", "product_tmpl_id", "region_id",
        "Purchase Forbidden in Regions")
    b2b_exclusive_dealer_ids = fields.Many2many(
        "res.partner", "b2b_product_exclusive_dealer_rel", "product_tmpl_id", "dealer_id",
        "Exclusive to Dealers", domain=[("b2b_is_dealer", "=", True)],
        help="Goods made for these dealers' brands: only they see them. Empty: every dealer.")
    b2b_exclusive = fields.Boolean(compute="_compute_b2b_exclusive", store=True, index=True)

    b2b_vat_rate = fields.Float(
        "VAT Rate (%)", digits=(5, 2), default=STANDARD_RATE, required=True,
        help="The product's rate of VAT, as 1C sends it (СтавкаНалога); goods without one are "
             "taxed at the standard rate. Its price types say whether their prices include it.")
    b2b_property_value_ids = fields.One2many("b2b.product.property.value", "product_tmpl_id",
                                             "Properties")

    _sql_constraints = [
        ("b2b_onec_id_unique", "unique(b2b_onec_id)", "Another product already has this 1C id."),
        ("b2b_min_qty_positive", "CHECK(b2b_min_qty > 0)", "The minimum order quantity must be positive."),
        ("b2b_qty_multiple_positive", "CHECK(b2b_qty_multiple > 0)",
         "The order multiple must be positive."),
        ("b2b_vat_rate_range", "CHECK(b2b_vat_rate >= 0 AND b2b_vat_rate < 100)",
         "A VAT rate is from 0% to less than 100%."),
        ("b2b_lead_days_positive", "CHECK(b2b_lead_days >= 0)", "The lead time cannot be negative."),
    ]

    @api.depends("b2b_exclusive_dealer_ids")
    def _compute_b2b_exclusive(self):
        for template in self:
            template.b2b_exclusive = bool(template.b2b_exclusive_dealer_ids)
