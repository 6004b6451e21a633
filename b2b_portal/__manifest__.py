{
    "name": "B2B Portal: Dealer Portal",
    "summary": "The dealers' self-service portal: catalog, orders, finance, staff",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "depends": ["b2b_base", "portal"],
    "external_dependencies": {"python": ["PIL", "openpyxl", "pytz"]},
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_portal_rules.xml",
        "data/b2b_portal_data.xml",
        "views/b2b_cart_views.xml",
        "views/sale_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/assets.xml",
        "templates/layout.xml",
        "templates/dashboard.xml",
        "templates/catalog.xml",
        "templates/catalog_stock.xml",
        "templates/cart.xml",
        "templates/orders.xml",
        "templates/staff.xml",
        "templates/finance.xml",
        # complaints
        "security/b2b_complaint_rules.xml",
        "data/b2b_complaint_data.xml",
        "views/b2b_complaint_views.xml",
        "templates/complaints.xml",
        # files library and news
        "security/b2b_library_rules.xml",
        "views/b2b_library_views.xml",
        "templates/files.xml",
        "templates/news.xml",
        # notification feed
        "security/b2b_notification_rules.xml",
        "data/b2b_notification_data.xml",
        "views/b2b_notification_views.xml",
        "templates/notifications.xml",
        # statistics
        "templates/stats.xml",
        # legal-entity requests
        "security/b2b_legal_entity_rules.xml",
        "views/b2b_legal_entity_request_views.xml",
        "templates/legal_entities.xml",
    ],
    "demo": [
        # complaints
        "demo/b2b_complaint_demo.xml",
        # files library and news
        "demo/b2b_library_demo.xml",
        # notification feed
        "demo/b2b_notification_demo.xml",
        # statistics
        "demo/b2b_stats_demo.xml",
        # legal-entity requests
        "demo/b2b_legal_entity_demo.xml",
    ],
    "installable": True,
}
