from psycopg2 import IntegrityError

from odoo.tests.common import TransactionCase
from odoo.tools import mute_logger


class TestDealer(TransactionCase):

    def test_onec_id_identifies_one_counterparty(self):
        """Two partners cannot carry the same 1C id: 1C exchange maps records by it."""
        Partner = self.env["res.partner"]
        Partner.create({"name": "Бета", "is_company": True, "b2b_is_dealer": True, "b2b_onec_id": "X-1"})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.cr.savepoint():
                Partner.create({"name": "Гамма", "is_company": True, "b2b_onec_id": "X-1"})

    def test_dealer_filter_finds_dealers_only(self):
        Partner = self.env["res.partner"]
        dealer = Partner.create({"name": "Дилер", "is_company": True, "b2b_is_dealer": True})
        other = Partner.create({"name": "Поставщик", "is_company": True})
        found = Partner.search([("b2b_is_dealer", "=", True)])
        self.assertIn(dealer, found)
        self.assertNotIn(other, found)

    def test_administrator_group_covers_manager_and_accountant(self):
        """A B2B administrator can do what a manager and an accountant do."""
        admin_group = self.env.ref("b2b_base.group_b2b_admin")
        user = self.env["res.users"].create({
            "name": "Supplier admin", "login": "b2b-admin-test",
            "groups_id": [(6, 0, [admin_group.id])],
        })
        self.assertTrue(user.has_group("b2b_base.group_b2b_manager"))
        self.assertTrue(user.has_group("b2b_base.group_b2b_accountant"))
        self.assertTrue(user.has_group("sales_team.group_sale_manager"))

    def test_demo_dealer_user_is_portal_user_of_dealer(self):
        user = self.env.ref("b2b_base.demo_user_alfa_admin")
        self.assertTrue(user.has_group("base.group_portal"))
        self.assertFalse(user.has_group("base.group_user"))
        self.assertEqual(user.partner_id.commercial_partner_id, self.env.ref("b2b_base.demo_dealer_alfa"))
