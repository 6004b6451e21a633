from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from .common import BonusCase


class TestBonusAccess(BonusCase):

    def setUp(self):
        super(TestBonusAccess, self).setUp()
        Users = self.env["res.users"].with_context(no_reset_password=True)
        portal = self.env.ref("base.group_portal")
        self.dealer_user = Users.create({
            "name": "Пётр Закупщик", "login": "bonus-dealer-buyer",
            "email": "bonus-dealer-buyer@example.com", "partner_id": self.buyer.id,
            "groups_id": [(6, 0, [portal.id])]})
        self.other_dealer = self.env["res.partner"].create({
            "name": "ООО «Другой дилер»", "is_company": True, "b2b_is_dealer": True})
        self.other_balance = self.env["b2b.bonus.balance"].create({
            "partner_id": self.other_dealer.id, "points": 50.0})
        other_contact = self.env["res.partner"].create({
            "name": "Иван Другой", "parent_id": self.other_dealer.id})
        self.other_user = Users.create({
            "name": "Иван Другой", "login": "bonus-other-dealer",
            "email": "bonus-other-dealer@example.com", "partner_id": other_contact.id,
            "groups_id": [(6, 0, [portal.id])]})

    def test_portal_user_reads_only_own_dealer_balance(self):
        Balance = self.env["b2b.bonus.balance"].sudo(self.dealer_user)
        self.assertEqual(Balance.search([]), self.balance)
        self.assertEqual(self.balance.sudo(self.dealer_user).points, 1000.0)
        with self.refused(AccessError):
            self.other_balance.sudo(self.dealer_user).read(["points"])

    def test_portal_user_of_another_dealer_reads_nothing_of_this_dealer(self):
        Balance = self.env["b2b.bonus.balance"].sudo(self.other_user)
        self.assertNotIn(self.balance, Balance.search([]))
        self.assertFalse(Balance.search([("partner_id", "=", self.dealer.id)]))
        with self.refused(AccessError):
            self.balance.sudo(self.other_user).read(["points"])

    def test_portal_user_cannot_change_a_balance(self):
        with self.refused(AccessError):
            self.balance.sudo(self.dealer_user).write({"points": 99999.0})
        self.assertEqual(self.balance.points, 1000.0)

    def test_salesman_reads_balances_but_does_not_set_them(self):
        Balance = self.env["b2b.bonus.balance"].sudo(self.salesman)
        self.assertIn(self.other_balance, Balance.search([]))
        with self.refused(AccessError):
            self.balance.sudo(self.salesman).write({"points": 5000.0})
        with self.refused(AccessError):
            Balance.create({"partner_id": self.env["res.partner"].create({
                "name": "Новый", "is_company": True, "b2b_is_dealer": True}).id})
        self.assertEqual(self.balance.points, 1000.0)

    def test_b2b_admin_manages_balances(self):
        self.balance.sudo(self.b2b_admin).write({"points": 1500.0})
        self.assertEqual(self.balance.points, 1500.0)

    def test_one_balance_per_dealer(self):
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            with self.cr.savepoint():
                self.env["b2b.bonus.balance"].create({"partner_id": self.dealer.id, "points": 1.0})

    def test_balance_belongs_to_a_dealer_company(self):
        with self.refused(ValidationError) as caught:
            self.env["b2b.bonus.balance"].create({"partner_id": self.buyer.id, "points": 1.0})
        self.assertIn('"ООО «Бонус-Дилер», Пётр Закупщик" is not a dealer company',
                      caught.exception.name)
