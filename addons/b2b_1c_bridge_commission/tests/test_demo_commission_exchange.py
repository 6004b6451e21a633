"""The demo commission agent `make run` builds (lib/demo_commission.py): last month's report
submitted by «Альфа-Юг»'s administrator, then the bridge's demo exchange and the commission one
replayed through the real endpoint with the 1C stand-in: yug.admin sees the consignment list of
its contract, and last month's report approved by 1C with its two closing documents."""
from odoo.addons.b2b_1c_bridge.lib import demo_b2b, demo_package
from odoo.addons.b2b_1c_bridge.tests.common import LOGIN, PASSWORD, ExchangeCase
from odoo.addons.b2b_base.tools import business_date

from ..lib import demo_commission


class TestDemoCommissionExchange(ExchangeCase):

    def setUp(self):
        super().setUp()
        # as make run prepares its database before the demo exchange
        self.xenv["b2b.onec.exchange.session"]._onec_demo_setup(LOGIN, PASSWORD)
        self.today = business_date.today(self.xenv)
        self.report_ref = demo_commission.prepare(self.xenv, self.today)
        self.commit()

    def replay(self):
        answers = []
        for exchange_type, files, imports in (
                demo_b2b.exchanges(self.today)
                + demo_commission.exchanges(self.today, self.report_ref)):
            client = self.client()
            client.exchange(files, exchange_type=exchange_type, imports=imports)
            answers += [(a.filename, a.verdict) for a in client.answers if a.mode == "import"]
        self.refresh()
        return answers

    def test_demo_agent_has_its_list_and_last_months_approved_report_with_documents(self):
        ref = self.xenv.ref
        contract = ref("b2b_base.demo_contract_alfa_yug")
        user = ref("b2b_base.demo_user_yug_admin")
        self.assertEqual(user.login, "yug.admin")
        self.assertTrue(contract.dealer_id.b2b_commission_agent)
        Report = self.xenv["b2b.commission.report"]
        report = Report.browse(int(self.report_ref.rsplit("/", 1)[1]))
        self.assertEqual((report.state, report.contract_id, report.create_uid),
                         ("submitted", contract, user), "submitted by the agent in the portal")
        self.assertEqual(report.period[:7], demo_commission.last_month(self.today).isoformat()[:7])

        answers = self.replay()
        self.assertEqual(answers[-3:], [("b2b_consignment.xml", "success"),
                                        ("b2b_commission_decisions.xml", "success"),
                                        ("b2b_commission_forms.xml", "success")])
        agent = Report.sudo(user)
        lists = {c["id"]: c for c in agent.b2b_agent_contracts()}
        goods = {line["sku"]: (line["handed"], line["sold"], line["returned"], line["remaining"])
                 for line in lists[contract.id]["lines"]}
        catalog = demo_commission._goods()
        self.assertEqual(goods, {catalog[index]["sku"]: (float(handed), float(sold),
                                                         float(returned),
                                                         float(handed - sold - returned))
                                 for index, handed, sold, returned in demo_commission.CONSIGNMENT})

        view = agent.b2b_report_view(report.id)
        self.assertEqual(view["state"], "approved")
        self.assertEqual(len(view["lines"]), len(demo_commission.REPORT_LINES))
        self.assertEqual(sorted(line["percent"] for line in view["lines"]), [8.0, 8.0, 12.0, 12.0])
        self.assertAlmostEqual(view["commission_total"],
                               sum(line["commission"] for line in view["lines"]), places=2)
        self.assertGreater(view["commission_total"], 0)
        self.assertEqual(sorted(d["name"] for d in view["documents"]), sorted(
            title for _key, _number, title, _h, _t, _f in demo_commission.closing_forms(self.today)))
        report.invalidate_cache()
        self.assertEqual(report.b2b_onec_id, demo_commission.REPORT_DOCUMENT)

        again = self.replay()
        self.assertEqual(again[-3:], answers[-3:])
        files = self.files(state="imported").sorted("id")
        self.assertEqual(sum(f.records_created + f.records_updated for f in files[-3:]), 0,
                         "replaying the demo changes nothing")
        self.assertEqual(demo_commission.prepare(self.xenv, self.today), self.report_ref)
        good = catalog[demo_commission.CONSIGNMENT[0][0]]
        self.assertTrue(self.xenv["product.template"].search(
            [("b2b_onec_id", "=", demo_package.good_id(good["sku"]))]))
