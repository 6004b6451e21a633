"""A database made before 11.0.1.1.0 keeps its 1C ids when the addons are upgraded: the upgrade
renames ``b2b_1c_*`` to ``b2b_onec_*`` (columns, indexes, constraints, fields and XML ids; the
labels' translations stay with the fields) and moves the 1C ids of categories and variants from the
bridge to the core."""
import importlib.util
import os

import psycopg2

from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger

from ..tools.migration import column_exists, rename_constraint, rename_field

MIGRATION = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                         "migrations", "11.0.1.1.0", "pre-migrate.py")


def load_migration():
    spec = importlib.util.spec_from_file_location("b2b_base_migrate_11_0_1_1_0", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class TestOnecRenameMigration(TransactionCase):

    def sql(self, query, params=None):
        self.env.cr.execute(query, params)
        return self.env.cr.fetchall()

    def field_xmlid(self, model, name):
        return self.sql("SELECT d.module, d.name FROM ir_model_data d JOIN ir_model_fields f "
                        "ON d.model = 'ir.model.fields' AND d.res_id = f.id "
                        "WHERE f.model = %s AND f.name = %s", (model, name))

    def make_old(self, model, table, new, old, module, old_module, constraint=None):
        """Put the database back as 11.0.1.0.0 had it (the same helper, the other way round)."""
        rename_field(self.env.cr, model, table, new, old, module, old_module)
        if constraint:
            rename_constraint(self.env.cr, table, constraint[1], constraint[0], module, old_module)

    def test_upgrade_keeps_the_ids_under_their_new_names(self):
        cr = self.env.cr
        partner = self.env["res.partner"].create({"name": "Дилер из 1С", "b2b_onec_id": "cp-0001"})
        category = self.env["product.category"].create({"name": "Группа 1С",
                                                        "b2b_onec_id": "grp-0001"})
        label = ("SELECT t.value FROM ir_translation t JOIN ir_model_fields f ON f.id = t.res_id "
                 "WHERE t.name = 'ir.model.fields,field_description' AND t.lang = 'ru_RU' "
                 "AND f.model = 'res.partner' AND f.name = %s")
        self.assertEqual(self.sql(label, ("b2b_onec_id",)), [("Ид 1С",)])

        self.make_old("res.partner", "res_partner", "b2b_onec_id", "b2b_1c_id", "b2b_base",
                      "b2b_base", ("b2b_1c_id_unique", "b2b_onec_id_unique"))
        self.make_old("product.category", "product_category", "b2b_onec_id", "b2b_1c_id",
                      "b2b_base", "b2b_1c_bridge", ("b2b_1c_id_unique", "b2b_onec_id_unique"))
        self.assertTrue(column_exists(cr, "res_partner", "b2b_1c_id"))
        self.assertFalse(column_exists(cr, "res_partner", "b2b_onec_id"))
        self.assertEqual(self.field_xmlid("product.category", "b2b_1c_id"),
                         [("b2b_1c_bridge", "field_product_category_b2b_1c_id")])
        self.assertEqual(self.sql(label, ("b2b_1c_id",)), [("Ид 1С",)])

        load_migration().migrate(cr, "11.0.1.0.0")

        self.assertEqual(self.sql("SELECT b2b_onec_id FROM res_partner WHERE id = %s",
                                  (partner.id,)), [("cp-0001",)])
        self.assertEqual(self.sql("SELECT b2b_onec_id FROM product_category WHERE id = %s",
                                  (category.id,)), [("grp-0001",)])
        self.assertFalse(column_exists(cr, "res_partner", "b2b_1c_id"))
        self.assertEqual(self.field_xmlid("res.partner", "b2b_onec_id"),
                         [("b2b_base", "field_res_partner_b2b_onec_id")])
        self.assertEqual(self.field_xmlid("product.category", "b2b_onec_id"),
                         [("b2b_base", "field_product_category_b2b_onec_id")])
        self.assertEqual(self.sql("SELECT count(*) FROM ir_model_fields WHERE name = 'b2b_1c_id'"),
                         [(0,)])
        self.assertEqual(self.sql("SELECT conname FROM pg_constraint WHERE conname IN "
                                  "('res_partner_b2b_onec_id_unique', "
                                  "'product_category_b2b_onec_id_unique') ORDER BY 1"),
                         [("product_category_b2b_onec_id_unique",),
                          ("res_partner_b2b_onec_id_unique",)])
        self.assertEqual(self.sql("SELECT indexname FROM pg_indexes WHERE tablename = 'res_partner' "
                                  "AND indexdef LIKE '%%b2b_onec_id%%' AND indexname LIKE "
                                  "'%%_index'"), [("res_partner_b2b_onec_id_index",)])
        self.assertEqual(self.sql(label, ("b2b_onec_id",)), [("Ид 1С",)])
        self.assertEqual(self.sql(label, ("b2b_1c_id",)), [])
        # still unique under its new name
        with self.assertRaises(psycopg2.IntegrityError), self.env.cr.savepoint(), \
                mute_logger("odoo.sql_db"):
            cr.execute("UPDATE res_partner SET b2b_onec_id = 'cp-0001' WHERE id = %s",
                       (self.env.ref("base.main_partner").id,))

    def test_a_new_database_is_left_alone(self):
        load_migration().migrate(self.env.cr, None)
        self.assertTrue(column_exists(self.env.cr, "res_partner", "b2b_onec_id"))
