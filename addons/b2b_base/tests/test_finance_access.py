"""Another dealer's ledger and overdue summaries are unreachable: through the ORM as that dealer's
user and through the web client's JSON-RPC."""
from odoo.exceptions import AccessError, UserError

from .common import DealerJsonRpcCase
from .test_finance_ledger import FinanceCase


class TestFinanceAccessOrm(FinanceCase):

    @classmethod
    def setUpClass(cls):
        super(TestFinanceAccessOrm, cls).setUpClass()
        cls.alfa_line = cls.post(cls.c_alfa, "shipment", "2024-05-01", debit=100)
        cls.beta_line = cls.post(cls.c_beta, "shipment", "2024-05-01", debit=200)
        cls.env["b2b.overdue.summary"].b2b_upsert_summary([
            {"contract_id": cls.c_alfa.id, "date": "2024-05-02", "balance": 100, "not_due": 100}])

    def test_dealer_reads_only_own_lines(self):
        Ledger = self.Ledger.sudo(self.u_beta_admin)
        self.assertEqual(Ledger.search([]), self.beta_line)
        with self.assertRaises(AccessError):
            Ledger.browse(self.alfa_line.id).read(["debit"])
        self.assertFalse(self.env["b2b.overdue.summary"].sudo(self.u_beta_admin).search([]))
        with self.assertRaises(AccessError):
            Ledger.b2b_aging(self.c_alfa.ids)
        with self.assertRaises(AccessError):
            Ledger.b2b_aging_by_dealer(self.alfa.ids)
        self.assertEqual(Ledger.b2b_aging(self.c_beta.ids)[self.c_beta.id]["balance"], 200.0)

    def test_outlet_user_sees_only_its_contract(self):
        Ledger = self.Ledger.sudo(self.u_alfa_outlet)
        allowed = self.u_alfa_outlet.b2b_allowed_contract_ids
        self.assertEqual(len(allowed), 1)
        self.assertEqual(set(Ledger.search([]).mapped("contract_id").ids) - set(allowed.ids), set())

    def test_dealer_cannot_post_or_change(self):
        with self.assertRaises(AccessError):
            self.Ledger.sudo(self.u_beta_admin).b2b_upsert([{
                "b2b_onec_id": "forged", "contract_id": self.c_beta.id, "kind": "payment",
                "date": "2024-05-02", "credit": 1000}])
        with self.assertRaises((AccessError, UserError)):
            self.beta_line.sudo(self.u_beta_admin).write({"debit": 0})
        with self.assertRaises(AccessError):
            self.env["b2b.overdue.summary"].sudo(self.u_beta_admin).b2b_upsert_summary([{
                "contract_id": self.c_beta.id, "date": "2024-05-02", "balance": 0}])


class TestFinanceJsonRpc(DealerJsonRpcCase):

    def setUp(self):
        super(TestFinanceJsonRpc, self).setUp()
        ref = self.env.ref
        self.c_alfa = ref("b2b_base.demo_contract_alfa_main")
        self.c_beta = ref("b2b_base.demo_contract_beta_main")
        self.alfa = ref("b2b_base.demo_dealer_alfa")
        Ledger = self.env["b2b.settlement.line"]
        Ledger.b2b_upsert([
            {"b2b_onec_id": "rpc-alfa", "contract_id": self.c_alfa.id, "kind": "shipment",
             "date": "2024-05-01", "debit": 100},
            {"b2b_onec_id": "rpc-beta", "contract_id": self.c_beta.id, "kind": "shipment",
             "date": "2024-05-01", "debit": 200}])
        self.alfa_line = Ledger.search([("b2b_onec_id", "=", "rpc-alfa")])
        self.beta_line = Ledger.search([("b2b_onec_id", "=", "rpc-beta")])
        self.env["b2b.overdue.summary"].b2b_upsert_summary([
            {"contract_id": self.c_alfa.id, "date": "2024-05-02", "balance": 100, "not_due": 100}])
        self.authenticate("beta.admin", "beta.admin")

    def test_ledger(self):
        # the ledger's records are not open to a dealer's generic RPC (the portal's pages show them)
        result, error = self.call("b2b.settlement.line", "search_read", [], ["debit", "contract_id"])
        self.assertGated(error, "b2b.settlement.line", "search_read")
        result, error = self.call("b2b.settlement.line", "read", [self.alfa_line.id], ["debit"])
        self.assertGated(error, "b2b.settlement.line", "read")
        result, error = self.call("b2b.overdue.summary", "search_read", [], ["balance"])
        self.assertGated(error, "b2b.overdue.summary", "search_read")
        self.assertIsNone(result)
        # the aging of the dealer API answers for the dealer's own contracts only
        result, error = self.call("b2b.settlement.line", "b2b_aging", [self.c_alfa.id])
        self.assertRefused(error)
        result, error = self.call("b2b.settlement.line", "b2b_aging_by_dealer", [self.alfa.id])
        self.assertRefused(error)
        result, error = self.call("b2b.settlement.line", "b2b_aging", [self.c_beta.id])
        self.assertFalse(error)
        self.assertEqual(result[str(self.c_beta.id)]["balance"], 200.0)

    def test_ledger_cannot_be_forged(self):
        result, error = self.call("b2b.settlement.line", "write", [self.beta_line.id], {"debit": 0},
                                  context={"b2b_ledger_posting": True})
        self.assertTrue(error)
        result, error = self.call("b2b.settlement.line", "b2b_upsert", [{
            "b2b_onec_id": "rpc-forged", "contract_id": self.c_beta.id, "kind": "payment",
            "date": "2024-05-02", "credit": 200}])
        self.assertGated(error, "b2b.settlement.line", "b2b_upsert")
        self.assertFalse(self.env["b2b.settlement.line"].search([("b2b_onec_id", "=", "rpc-forged")]))
        self.beta_line.invalidate_cache()
        self.assertEqual(self.beta_line.debit, 200.0)
