"""11.0.1.1.0: 1C identifiers are spelled ``onec`` (``b2b_onec_id`` for ``b2b_1c_id``), and the
1C ids of product categories and variants are declared here instead of in b2b_1c_bridge."""
from odoo.addons.b2b_base.tools.migration import rename_constraint, rename_field

# (model, table, has the unique constraint b2b_onec_id_unique)
ONEC_ID = [
    ("res.partner", "res_partner", True),
    ("product.template", "product_template", True),
    ("b2b.contract", "b2b_contract", True),
    ("b2b.document", "b2b_document", True),
    ("b2b.overdue.summary", "b2b_overdue_summary", False),
    ("b2b.price.type", "b2b_price_type", True),
    ("b2b.product.property", "b2b_product_property", True),
    ("b2b.quarter.report", "b2b_quarter_report", True),
    ("b2b.reconciliation.request", "b2b_reconciliation_request", False),
    ("b2b.region", "b2b_region", True),
    ("b2b.settlement.line", "b2b_settlement_line", True),
]
# models that show those fields of another by delegation (_inherits): their field records only
DELEGATED = [("res.users", "res_users"), ("product.product", "product_product")]


def migrate(cr, version):
    if not version:
        return
    for model, table, unique in ONEC_ID:
        rename_field(cr, model, table, "b2b_1c_id", "b2b_onec_id", "b2b_base")
        if unique:
            rename_constraint(cr, table, "b2b_1c_id_unique", "b2b_onec_id_unique", "b2b_base")
    for model, table in DELEGATED:
        rename_field(cr, model, table, "b2b_1c_id", "b2b_onec_id", "b2b_base")
    rename_field(cr, "b2b.settlement.line", "b2b_settlement_line", "b2b_1c_version",
                 "b2b_onec_version", "b2b_base")
    rename_field(cr, "b2b.settlement.line", "b2b_settlement_line", "settles_1c_id",
                 "settles_onec_id", "b2b_base")
    # declared by b2b_1c_bridge until now
    rename_field(cr, "product.category", "product_category", "b2b_1c_id", "b2b_onec_id",
                 "b2b_1c_bridge", "b2b_base")
    rename_constraint(cr, "product_category", "b2b_1c_id_unique", "b2b_onec_id_unique",
                      "b2b_1c_bridge", "b2b_base")
    rename_field(cr, "product.product", "product_product", "b2b_1c_variant_id",
                 "b2b_onec_variant_id", "b2b_1c_bridge", "b2b_base")
    rename_constraint(cr, "product_product", "b2b_1c_variant_id_unique",
                      "b2b_onec_variant_id_unique", "b2b_1c_bridge", "b2b_base")
