"""The demo bonus exchange `make run` replays after the bridge's demo (lib/demo_bonus.py), sent
through the real endpoint with the 1C stand-in: «Альфа-Дилер»'s administrator sees 1C's points,
the month's plan partly fulfilled by the demo orders and a seasonal commitment to accept."""
from odoo.addons.b2b_1c_bridge.lib import demo_b2b, demo_package
from odoo.addons.b2b_1c_bridge.tests.common import LOGIN, PASSWORD, ExchangeCase
from odoo.addons.b2b_base.lib import democatalog
from odoo.addons.b2b_base.tools import business_date

from ..lib import demo_bonus


class TestDemoBonusExchange(ExchangeCase):

    def setUp(self):
        super().setUp()
        # as make run prepares its database before the demo exchange
        self.xenv["b2b.onec.exchange.session"]._onec_demo_setup(LOGIN, PASSWORD)
        self.commit()
        self.today = business_date.today(self.xenv)

    def replay(self):
        answers = []
        for exchange_type, files, imports in (demo_b2b.exchanges(self.today)
                                              + demo_bonus.exchanges(self.today)):
            client = self.client()
            client.exchange(files, exchange_type=exchange_type, imports=imports)
            answers += [(a.filename, a.verdict) for a in client.answers if a.mode == "import"]
        self.refresh()
        return answers

    def test_demo_dealers_get_points_a_plan_under_way_and_a_commitment(self):
        answers = self.replay()
        self.assertEqual(answers[-3:], [("orders.xml", "success"), ("b2b_bonuses.xml", "success"),
                                        ("b2b_plans.xml", "success")])
        ref = self.xenv.ref
        alfa = ref("b2b_base.demo_dealer_alfa")
        user = self.xenv["res.users"].search([("login", "=", "alfa.admin")])

        # 1C's figure replaces the bonuses addon's demo balance of «Альфа-Дилер»
        balances = self.xenv["b2b.bonus.balance"].search([])
        stated = {b.partner_id: (b.points, b.balance_date) for b in balances}
        today = self.today.isoformat()
        self.assertEqual(stated[alfa], (4100.0, today))
        self.assertEqual(stated[ref("b2b_base.demo_dealer_beta")], (750.5, today))
        self.assertEqual(len(balances.filtered(lambda b: b.partner_id == alfa)), 1)
        summary = self.xenv["b2b.bonus.balance"].sudo(user).b2b_dealer_summary()
        self.assertEqual((summary["stated"], summary["stated_date"]), (4100.0, today))

        # a good of the demo catalog is sold for points too
        good = tuple(democatalog.catalog(demo_package.DEFAULT_SIZE))[demo_bonus.BONUS_GOODS[0][0]]
        product = self.xenv["product.template"].search(
            [("b2b_onec_id", "=", demo_package.good_id(good["sku"]))])
        self.assertEqual((product.b2b_bonus_price, product.b2b_bonus_only), (1200.0, False))

        # the dashboard's plans: the month's plan partly done by the demo orders, the commitment
        rows = self.xenv["b2b.bonus.plan"].sudo(user).b2b_fulfilment()
        month = [row for row in rows if not row["is_commitment"]]
        season = [row for row in rows if row["is_commitment"]]
        self.assertEqual(len(month), 1, rows)
        self.assertEqual(month[0]["month"][:7], today[:7])
        self.assertTrue(0 < month[0]["percent"] < 100, month[0])
        self.assertEqual(len(season), 1, rows)
        self.assertFalse(season[0]["accepted_on"])
        self.assertTrue(0 < season[0]["percent"] < 100, season[0])
        self.assertGreater(season[0]["days_left"], 28)
        plan = self.xenv["b2b.bonus.plan"].browse(season[0]["id"])
        self.assertEqual((plan.partner_id, plan.accepted_by), (alfa, self.xenv["res.users"]))

        # every demo dealer has its month's plan; the same exchange again changes nothing
        plans = self.xenv["b2b.bonus.plan"].search([("month", "=", today[:8] + "01"),
                                                     ("is_commitment", "=", False)])
        self.assertEqual(set(plans.mapped("partner_id")), {
            alfa, ref("b2b_base.demo_dealer_beta"), ref("b2b_base.demo_dealer_alfa_yug")})
        for exchange_type, files, imports in demo_bonus.exchanges(self.today):
            client = self.client()
            client.exchange(files, exchange_type=exchange_type, imports=imports)
        self.refresh()
        files = self.files().filtered(lambda f: f.name in ("b2b_bonuses.xml", "b2b_plans.xml"))
        self.assertEqual([(f.records_created, f.records_updated)
                          for f in files.sorted("id")[-2:]], [(0, 0), (0, 0)])
