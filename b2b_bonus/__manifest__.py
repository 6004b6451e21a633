{
    "name": "B2B Portal: Bonuses and Product of the Month",
    "summary": "Goods sold only for bonus points, dealers' bonus balances, separate bonus orders",
    "version": "11.0.1.1.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "depends": ["b2b_base"],
    "external_dependencies": {"python": ["pytz"]},
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_bonus_security.xml",
        "security/b2b_bonus_plan_security.xml",
        "views/product_template_views.xml",
        "views/bonus_balance_views.xml",
        "views/bonus_move_views.xml",
        "views/sale_order_views.xml",
        "views/bonus_plan_views.xml",
    ],
    "demo": [
        "demo/b2b_bonus_demo.xml",
    ],
    "installable": True,
}
