{
    "name": "B2B Portal: Commission Agent Reports",
    "summary": "Monthly reports of goods sold by commission agents from consignment; approval by accountants",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "depends": ["b2b_base"],
    "external_dependencies": {"python": ["openpyxl"]},
    "data": [
        "security/ir.model.access.csv",
        "security/b2b_commission_security.xml",
        "security/b2b_consignment_security.xml",
        "security/b2b_commission_term_security.xml",
        "views/commission_report_views.xml",
        "views/res_partner_views.xml",
        "views/consignment_views.xml",
        "views/b2b_contract_views.xml",
    ],
    "demo": [
        "demo/b2b_commission_demo.xml",
    ],
    "installable": True,
}
