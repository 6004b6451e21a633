{
    "name": "B2B Portal: Bonuses in the Dealer Portal",
    "summary": "Bonus goods priced in points in the portal's catalog and cart, split checkout, "
               "the dealer's bonus balance and history",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "website": "https://github.com/b2b-portal-suite",
    "depends": ["b2b_portal", "b2b_bonus"],
    "data": [
        "templates/bonus.xml",
        # the fulfilment of the monthly plans on the statistics page
        "templates/stats_plans.xml",
        # notification feed
        "data/b2b_plan_reminder_data.xml",
    ],
    "installable": True,
    "auto_install": True,
}
