{
    "name": "B2B Portal: 1C Bridge for the Dealer Portal's Services",
    "summary": "Dealers' complaints and new legal entities go to 1C",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "website": "https://github.com/b2b-portal-suite",
    "depends": ["b2b_1c_bridge", "b2b_portal"],
    "data": [],
    "installable": True,
    "auto_install": True,
}
