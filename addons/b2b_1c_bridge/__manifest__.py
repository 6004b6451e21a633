{
    "name": "B2B Portal: 1C Bridge",
    "version": "11.0.1.0.0",
    "category": "Sales",
    "license": "LGPL-3",
    "author": "B2B Portal Suite",
    "depends": ["b2b_base", "queue_job"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
}
