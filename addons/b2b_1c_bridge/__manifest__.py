{
    "name": "B2B Portal: 1C Bridge",
    "summary": "The CommerceML HTTP exchange endpoint 1C's site-exchange module talks to",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "website": "https://github.com/b2b-portal-suite",
    "depends": ["b2b_base", "queue_job"],
    "external_dependencies": {"python": ["lxml"]},
    "data": [
        "security/b2b_1c_security.xml",
        "security/ir.model.access.csv",
        "data/b2b_1c_bridge_data.xml",
        "views/onec_exchange_views.xml",
    ],
    "installable": True,
}
