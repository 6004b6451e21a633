{
    "name": "B2B Portal: Domain Core",
    "summary": "Dealers, contracts, price types and prices, availability, dealer user roles, access rules",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "website": "https://github.com/b2b-portal-suite",
    "depends": ["sale_management", "sale_stock", "account_invoicing", "portal"],
    "data": [
        "security/b2b_security.xml",
        "security/ir.model.access.csv",
        "views/res_partner_views.xml",
    ],
    "demo": [
        "demo/b2b_demo.xml",
    ],
    "installable": True,
    "application": True,
}
