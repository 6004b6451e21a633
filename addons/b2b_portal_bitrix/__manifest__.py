{
    "name": "B2B Portal: Bitrix24 in the Dealer Portal",
    "summary": "Chat with the dealer's manager on every portal page, merchandising requests, "
               "both worked by the supplier's managers in Bitrix24",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "website": "https://github.com/b2b-portal-suite",
    "depends": ["b2b_portal", "b2b_bitrix_bridge"],
    "data": [
        "templates/chat.xml",
        "templates/merch.xml",
        "views/b2b_complaint_views.xml",
    ],
    "installable": True,
    "auto_install": True,
}
