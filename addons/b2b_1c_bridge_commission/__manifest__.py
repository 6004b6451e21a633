{
    "name": "B2B Portal: 1C Bridge for Commission Agents",
    "summary": "Commission agents with 1C: consignment lists, reports, decisions, closing documents",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "website": "https://github.com/b2b-portal-suite",
    "depends": ["b2b_1c_bridge", "b2b_commission"],
    "data": ["views/commission_report_views.xml"],
    "installable": True,
    "auto_install": True,
}
