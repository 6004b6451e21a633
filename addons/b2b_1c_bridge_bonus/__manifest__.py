{
    "name": "B2B Portal: 1C Bridge for Bonuses",
    "summary": "Bonus balances, bonus prices and monthly plans from 1C's exchange",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "website": "https://github.com/b2b-portal-suite",
    "depends": ["b2b_1c_bridge", "b2b_bonus"],
    "data": [],
    "installable": True,
    "auto_install": True,
}
