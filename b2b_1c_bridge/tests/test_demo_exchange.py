"""The demo B2B exchange `make run` replays (lib/demo_b2b.py), sent through the real endpoint
with the 1C stand-in: what a newcomer sees afterwards as «Альфа-Дилер»'s administrator (orders
taken in 1C with their statuses, a ledger that owes something, printed forms), and «Бета-Трейд»'s
users blocked for a debt over 45 days overdue (the condition of the portal's pop-up); and the
packages the suite generates are valid CommerceML."""
import datetime

from lxml import etree

from odoo.addons.b2b_base.tools import business_date
from odoo.tests import common

from ..lib import demo_b2b
from ..lib import orders as cml_orders
from . import orders_common
from .common import CATALOG_XML, LOGIN, OFFERS_XML, PASSWORD, ExchangeCase


class TestDemoExchange(ExchangeCase):

    def setUp(self):
        super().setUp()
        # the exchange user and the demo goods bound to the 1C ids of the demo package, as make run
        # prepares its database before the demo exchange
        self.xenv["b2b.onec.exchange.session"]._onec_demo_setup(LOGIN, PASSWORD)
        self.commit()
        self.today = business_date.today(self.xenv)
        self.ref = self.xenv.ref

    def replay(self):
        """Every demo exchange; returns the import answers [(file, first line)]."""
        answers = []
        for exchange_type, files, imports in demo_b2b.exchanges(self.today):
            client = self.client()
            client.exchange(files, exchange_type=exchange_type, imports=imports)
            answers += [(a.filename, a.verdict) for a in client.answers if a.mode == "import"]
        self.refresh()
        return answers

    def as_user(self, login, model):
        user = self.xenv["res.users"].search([("login", "=", login)])
        self.xenv[model].invalidate_cache()
        return self.xenv[model].sudo(user), user

    def test_demo_exchange_fills_the_dealer_pages(self):
        answers = self.replay()
        self.assertEqual(answers, [(name, "success") for name in (
            "b2b_counterparties.xml", "b2b_settlements.xml", "b2b_overdue.xml", "orders.xml",
            "b2b_printed_forms.xml")])

        # «Альфа-Дилер»'s administrator: the orders 1C took by phone, with 1C's statuses
        Orders, alfa_admin = self.as_user("alfa.admin", "sale.order")
        from_onec = Orders.search([("b2b_origin", "=", "1c")])
        by_number = {order.b2b_onec_number: order for order in from_onec}
        self.assertEqual(
            {number: (order.b2b_onec_status, order.state) for number, order in by_number.items()
             if order.b2b_contract_id == self.ref("b2b_base.demo_contract_alfa_main")},
            {"ТД-00101": ("Отгружен", "done"), "ТД-00102": ("Согласован", "sale"),
             "ТД-00103": ("Новый", "draft")})
        first = by_number["ТД-00101"]
        self.assertEqual(len(first.order_line), 3)
        self.assertAlmostEqual(first.amount_total, demo_b2b.order_total("alfa-1"), places=2)
        self.assertNotIn("ТД-00106", by_number, "«Бета-Трейд»'s order is not Альфа's to see")

        # a ledger that owes something, nothing overdue: no pop-up for Альфа
        Lines, _user = self.as_user("alfa.admin", "b2b.settlement.line")
        self.assertTrue(Lines.search([("contract_id", "=",
                                       self.ref("b2b_base.demo_contract_alfa_main").id)]))
        alfa = self.ref("b2b_base.demo_dealer_alfa")
        alfa.invalidate_cache()
        self.assertGreater(alfa.b2b_debt_balance, 0)
        self.assertEqual(alfa_admin._b2b_debt_notice(), {
            "b2b_overdue_amount": 0.0, "b2b_overdue_days": 0, "b2b_shipment_blocked": False})

        # printed forms: the orders' invoices and УПД, the reconciliation act
        Documents, _user = self.as_user("alfa.admin", "b2b.document")
        documents = Documents.search([])
        self.assertEqual(sorted(documents.filtered(lambda d: d.order_id == first).mapped("kind")),
                         ["invoice", "upd"])
        act = documents.filtered(lambda d: d.kind == "act")
        self.assertEqual(act.contract_id, self.ref("b2b_base.demo_contract_alfa_main"))
        self.assertTrue(act.attachment_id)
        self.assertNotIn("beta", " ".join(documents.mapped("attachment_id.name")))

        # «Бета-Трейд» owes for a shipment due 62 days ago: blocked, the pop-up shows
        for login in ("beta.admin", "beta.buyer"):
            _model, user = self.as_user(login, "res.users")
            self.assertEqual(user._b2b_debt_notice(), {
                "b2b_overdue_amount": 212450.0, "b2b_overdue_days": 62,
                "b2b_shipment_blocked": True}, login)
        # «Альфа-Юг»: 9 days overdue, warned but not blocked
        _model, yug_admin = self.as_user("yug.admin", "res.users")
        self.assertEqual(yug_admin._b2b_debt_notice(), {
            "b2b_overdue_amount": 70000.0, "b2b_overdue_days": 9, "b2b_shipment_blocked": False})
        summary = self.xenv["b2b.overdue.summary"].search(
            [("contract_id", "=", self.ref("b2b_base.demo_contract_beta_main").id)])
        self.assertEqual((summary.date, summary.overdue_4, summary.overdue_days),
                         (self.today.isoformat(), 212450.0, 62))

        # the supplier's name and logo head the pages
        company = self.ref("base.main_company")
        self.assertEqual(company.name, demo_b2b.SUPPLIER["name"])
        self.assertTrue(company.logo)

    def test_the_demo_exchange_twice_changes_nothing(self):
        self.replay()
        answers = self.replay()
        self.assertTrue(all(verdict == "success" for _name, verdict in answers), answers)
        files = self.files().filtered(lambda f: f.name in dict(answers)).sorted("id")
        second = files[-len(answers):]
        self.assertEqual([(f.name, f.records_created, f.records_updated) for f in second],
                         [(name, 0, 0) for name, _verdict in answers])


class TestGeneratedPackagesAreValid(common.BaseCase):
    """What the suite generates as 1C would send it validates against 1C's published schemas
    (doc/commerceml): the catalog, offers and orders the exchange tests send, the orders of the
    demo."""

    def assertValid(self, data, label):
        for version in cml_orders.SCHEMA_VERSIONS:
            schema = cml_orders.schema(version)
            self.assertTrue(schema.validate(etree.fromstring(data)),
                            "%s, CommerceML %s: %s" % (label, version, schema.error_log.last_error))

    def test_catalog_offers_and_demo_orders_validate(self):
        self.assertValid(CATALOG_XML, "import.xml of the exchange tests")
        self.assertValid(OFFERS_XML, "offers.xml of the exchange tests")
        builder = orders_common.OrdersCase
        orders = builder.orders_xml(self, builder.document(
            "g-1", "ЗК-1", "ct-1", "cp-1", "Согласован",
            [("p-1", 2, 10.0, 20.0), ("p-2#c-1", 1.5, 4.0, 6.0)], comment="по телефону"))
        self.assertValid(orders, "orders.xml of the orders tests")
        for exchange_type, files, _imports in demo_b2b.exchanges(datetime.date(2026, 12, 6)):
            if exchange_type == "sale":
                self.assertValid(dict(files)["orders.xml"], "orders.xml of the demo")
