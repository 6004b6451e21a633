from odoo import api, models

from ..lib import democatalog


class B2bDemo(models.AbstractModel):
    """Loads the demo catalog (products, prices, restrictions) of the demo data."""
    _name = "b2b.demo"
    _description = "B2B Demo Data"

    @api.model
    def load_catalog(self, size=300):
        env = self.env
        ref = env.ref
        types = {
            "wholesale": ref("b2b_base.demo_price_type_wholesale"),
            "large_wholesale": ref("b2b_base.demo_price_type_large"),
            "dealer": ref("b2b_base.demo_price_type_dealer"),
            "dealer_net": ref("b2b_base.demo_price_type_dealer_net"),
            "rrp": ref("b2b_base.demo_price_type_rrp"),
        }
        forbidden_region = ref("b2b_base.demo_region_nsk")
        exclusive_dealer = ref("b2b_base.demo_dealer_alfa")
        categories = {}
        for name, _code, _noun in democatalog.CATEGORIES:
            categories[name] = env["product.category"].search([("name", "=", name)], limit=1) or \
                env["product.category"].create({"name": name, "parent_id": ref("product.product_category_all").id})
        Product = env["product.product"].with_context(tracking_disable=True)
        Price = env["b2b.price"]
        for item in democatalog.catalog(size):
            if Product.search([("default_code", "=", item["sku"])], limit=1):
                continue
            product = Product.create({
                "name": item["name"],
                "default_code": item["sku"],
                "type": "product",
                "categ_id": categories[item["category"]].id,
                "list_price": item["base_price"],
                "sale_ok": True,
                "b2b_availability": "on_order" if item["on_order"] else "in_stock",
                "b2b_lead_days": item["lead_days"] or 14,
                "b2b_min_qty": item["min_qty"],
                "b2b_qty_multiple": item["multiple"],
                "b2b_shipment_unit": "коробка 6 шт" if item["multiple"] == 6 else "шт",
                "b2b_forbidden_region_ids": [(6, 0, forbidden_region.ids if item["forbidden_region"] else [])],
                "b2b_exclusive_dealer_ids": [(6, 0, exclusive_dealer.ids if item["exclusive"] else [])],
            })
            for key, price in democatalog.prices(item).items():
                Price.create({"product_id": product.id, "price_type_id": types[key].id, "price": price})
        return True
