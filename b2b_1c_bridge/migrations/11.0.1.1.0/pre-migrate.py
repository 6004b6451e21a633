"""11.0.1.1.0: the exchange's fields are spelled ``onec`` (``b2b_onec_guid`` for
``b2b_1c_guid``), and so is the exchange users' group (``group_onec_exchange``)."""
from odoo.addons.b2b_base.tools.migration import rename_field, rename_xmlid

FIELDS = [
    ("b2b.product.property", "b2b_product_property", ["options"]),
    ("product.template", "product_template", ["image_hash", "seen_session_id"]),
    # the same fields as product variants show them (delegation): their field records only
    ("product.product", "product_product", ["image_hash", "seen_session_id"]),
    ("res.config.settings", "res_config_settings", ["ws_wsdl_url", "ws_login", "ws_password",
                                                    "ws_timeout", "ws_attempts",
                                                    "deactivate_missing"]),
    ("sale.order", "sale_order", ["guid", "number", "status", "delivered_at", "delivered_hash",
                                  "updated_at", "availability"]),
]


def migrate(cr, version):
    if not version:
        return
    for model, table, names in FIELDS:
        for name in names:
            rename_field(cr, model, table, "b2b_1c_" + name, "b2b_onec_" + name, "b2b_1c_bridge")
    rename_xmlid(cr, "b2b_1c_bridge", "group_1c_exchange", "group_onec_exchange")
