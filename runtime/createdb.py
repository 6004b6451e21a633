"""Create an Odoo database the way Odoo's database manager does, for a supplier in a given country.

Odoo sets the main company's country and currency at creation (the database manager's "country"
choice); installing accounting afterwards then picks the country's chart of accounts (l10n_ru for
Russia: RUB, VAT 0/10/20 %). The suite's databases are created for Russia.

Usage (through the launcher's environment): python createdb.py CONF DBNAME [COUNTRY] [LANG]
"""
import os
import sys

RUNTIME = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, RUNTIME)


def main(conf, dbname, country="RU", lang="en_US"):
    import warnings
    warnings.filterwarnings("ignore", message="pkg_resources is deprecated")
    import b2b_compat
    b2b_compat.apply()
    import odoo
    from odoo.service import db

    odoo.tools.config.parse_config(["-c", conf, "--workers=0", "--max-cron-threads=0"])
    odoo.netsvc.init_logger()
    with odoo.api.Environment.manage():
        db._create_empty_database(dbname)
        db._initialize_db(None, dbname, True, lang, "admin", "admin", country)
        # _initialize_db logs and swallows its errors: check the outcome
        registry = odoo.registry(dbname)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            if company.country_id.code != country:
                raise SystemExit("database %s: the company's country was not set to %s"
                                 % (dbname, country))
            company.currency_id.active = True


if __name__ == "__main__":
    main(*sys.argv[1:])
