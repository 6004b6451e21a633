{
    "name": "B2B Portal: Dealer Portal",
    "summary": "The dealers' self-service portal: catalog, orders, finance, staff",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "depends": ["b2b_base", "portal"],
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_portal_rules.xml",
        "views/b2b_cart_views.xml",
        "views/sale_order_views.xml",
    ],
    "installable": True,
}
