{
    "name": "B2B Portal: Commission Agents in the Dealer Portal",
    "summary": "The commission agent's consignment list, its report form as xlsx, the monthly "
               "report uploaded, previewed with its commission and sent for approval",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "website": "https://github.com/b2b-portal-suite",
    "depends": ["b2b_portal", "b2b_commission"],
    "external_dependencies": {"python": ["babel"]},
    "data": [
        "templates/commission.xml",
    ],
    "installable": True,
    "auto_install": True,
}
