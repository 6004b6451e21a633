"""The commission terms of a commission agent's contract: a default percent and percents per
product group, given to the commission rules as plain data; who may read and change them."""
from lxml import etree
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, ValidationError
from odoo.tools import mute_logger

from odoo.addons.b2b_base.tests.common import DealerCase
from odoo.addons.b2b_commission.lib.commission import ReportLine, line_commission, report_commission


class TestCommissionTerms(DealerCase):

    @classmethod
    def setUpClass(cls):
        super(TestCommissionTerms, cls).setUpClass()
        Category = cls.env["product.category"]
        cls.tools = Category.create({"name": "Инструмент"})
        cls.power = Category.create({"name": "Электроинструмент", "parent_id": cls.tools.id})
        cls.drills = Category.create({"name": "Дрели", "parent_id": cls.power.id})
        cls.garden = Category.create({"name": "Сад"})
        Product = cls.env["product.product"]
        cls.drill = Product.create({"name": "Дрель", "type": "consu", "categ_id": cls.drills.id})
        cls.hammer = Product.create({"name": "Молоток", "type": "consu", "categ_id": cls.tools.id})
        cls.hose = Product.create({"name": "Шланг", "type": "consu", "categ_id": cls.garden.id})
        Term = cls.env["b2b.commission.term"]
        cls.default = Term.create({"contract_id": cls.c_alfa.id, "percent": 10.0})
        cls.on_tools = Term.create({"contract_id": cls.c_alfa.id, "categ_id": cls.tools.id,
                                    "percent": 7.5})
        cls.on_power = Term.create({"contract_id": cls.c_alfa.id, "categ_id": cls.power.id,
                                    "percent": 5.0})
        cls.on_beta = Term.create({"contract_id": cls.c_beta.id, "percent": 3.0})

    def test_terms_as_plain_data_and_the_group_of_each_product(self):
        self.assertEqual(self.c_alfa._b2b_commission_terms(),
                         (10.0, {self.tools.id: 7.5, self.power.id: 5.0}))
        self.assertEqual(self.c_beta._b2b_commission_terms(), (3.0, {}))
        self.assertEqual(self.c_yug._b2b_commission_terms(), (None, {}), "no terms at all")
        key = self.c_alfa._b2b_commission_group_key
        self.assertEqual(key(self.drill), self.power.id,
                         "a drill (Дрели) falls under its nearest group with a term, "
                         "Электроинструмент, not under Инструмент above it")
        self.assertEqual(key(self.hammer), self.tools.id)
        self.assertIsNone(key(self.hose), "no term for Сад: the default percent")
        self.assertIsNone(self.c_beta._b2b_commission_group_key(self.drill))
        self.on_power.unlink()
        self.assertEqual(key(self.drill), self.tools.id)

    def test_the_commission_of_a_report_from_the_contracts_terms(self):
        default, groups = self.c_alfa._b2b_commission_terms()
        lines = [ReportLine(product.name, qty, price, key=product.id,
                            group=self.c_alfa._b2b_commission_group_key(product, groups))
                 for product, qty, price in ((self.drill, 2, 4990.0), (self.hammer, 3, 650.0),
                                             (self.hose, 1, 1200.0))]
        self.assertEqual([line_commission(line, default, groups) for line in lines],
                         [499.0, 146.25, 120.0], "5 % (Электроинструмент), 7.5 % (Инструмент), "
                                                 "10 % (the default)")
        self.assertEqual(report_commission(lines, default, groups), 765.25)

    def test_a_percent_outside_0_100_or_a_term_twice_is_refused(self):
        Term = self.env["b2b.commission.term"]
        with self.assertRaises(ValidationError) as caught, self.cr.savepoint():
            Term.create({"contract_id": self.c_yug.id, "percent": 100.5})
        self.assertEqual(str(caught.exception.name),
                         "The commission percent 100.5 is not between 0 and 100.")
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self.on_tools.percent = -1
        with self.assertRaises(ValidationError) as caught, self.cr.savepoint():
            Term.create({"contract_id": self.c_alfa.id, "percent": 12.0})
        self.assertIn("already has a default commission percent", caught.exception.name)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            Term.create({"contract_id": self.c_alfa.id, "categ_id": self.tools.id, "percent": 1})
        self.assertEqual(self.c_alfa._b2b_commission_terms(),
                         (10.0, {self.tools.id: 7.5, self.power.id: 5.0}), "nothing changed")

    def test_dealer_users_read_their_own_contracts_terms_only_admins_change_them(self):
        Term = self.env["b2b.commission.term"]
        self.assertEqual(Term.sudo(self.u_alfa_admin).search([]),
                         self.default | self.on_tools | self.on_power)
        self.assertEqual(Term.sudo(self.u_beta_admin).search([]), self.on_beta,
                         "«Бета»'s users do not see «Альфа»'s terms")
        self.assertEqual(self.c_alfa.sudo(self.u_alfa_admin)._b2b_commission_terms(),
                         (10.0, {self.tools.id: 7.5, self.power.id: 5.0}))
        self.assertEqual(self.c_alfa.sudo(self.u_alfa_admin)._b2b_commission_group_key(self.drill),
                         self.power.id, "dealers' users do not read product categories")
        with self.assertRaises(AccessError):
            self.default.sudo(self.u_alfa_admin).write({"percent": 50.0})
        manager = self.env.ref("b2b_base.demo_user_manager_ivan")
        self.assertTrue(self.default.sudo(manager).percent)
        with self.assertRaises(AccessError):
            self.default.sudo(manager).write({"percent": 50.0})
        accountant = self.env.ref("b2b_base.demo_user_accountant")
        self.assertEqual(Term.sudo(accountant).search([("id", "in", (self.default | self.on_beta).ids)]),
                         self.default | self.on_beta)
        admin = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Администратор B2B", "login": "commission-terms-admin",
            "groups_id": [(6, 0, [self.env.ref("b2b_base.group_b2b_admin").id])]})
        self.default.sudo(admin).write({"percent": 12.0})
        Term.sudo(admin).create({"contract_id": self.c_beta.id, "categ_id": self.garden.id,
                                 "percent": 4.0})
        self.assertEqual(self.c_beta._b2b_commission_terms(), (3.0, {self.garden.id: 4.0}))
        self.assertEqual(self.c_alfa._b2b_commission_terms()[0], 12.0)

    def test_the_contract_form_has_a_commission_tab_only_admins_edit(self):
        form = self.env.ref("b2b_base.view_b2b_contract_form")

        def terms_field(user):
            arch = self.env["b2b.contract"].sudo(user).fields_view_get(form.id, "form")["arch"]
            tree = etree.fromstring(arch)
            page = tree.xpath("//page[@name='b2b_commission']")[0]
            self.assertIn("b2b_commission_agent", page.get("modifiers"))
            return page.xpath(".//field[@name='b2b_commission_term_ids']")[0]

        manager = self.env.ref("b2b_base.demo_user_manager_ivan")
        self.assertIn('"readonly": true', terms_field(manager).get("modifiers"))
        admin = self.env["res.users"].with_context(no_reset_password=True).create({
            "name": "Администратор B2B", "login": "commission-form-admin",
            "groups_id": [(6, 0, [self.env.ref("b2b_base.group_b2b_admin").id])]})
        self.assertNotIn('"readonly": true', terms_field(admin).get("modifiers") or "")
        self.assertTrue(self.c_alfa.b2b_commission_agent, "«Альфа» is the demo's commission agent")
        self.assertFalse(self.c_beta.b2b_commission_agent)
