"""The settlement ledger through the ORM: 1C intake (one line per document, newer versions
replace), immutability, aging at every bucket boundary, 1C's own summaries, the bucket edges set in
the settings, the aging report."""
import base64
import io
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import mute_logger

from .common import DealerCase

AS_OF = date(2024, 6, 30)


def day(offset):
    return fields.Date.to_string(AS_OF + timedelta(days=offset))


class FinanceCase(DealerCase):

    @classmethod
    def setUpClass(cls):
        super(FinanceCase, cls).setUpClass()
        cls.Ledger = cls.env["b2b.settlement.line"]
        cls.accountant = cls.env.ref("b2b_base.demo_user_accountant")
        cls.serial = 0

    @classmethod
    def post(cls, contract, kind, date_, debit=0.0, credit=0.0, due=None, doc=None, settles=None,
             version=None, **extra):
        """Post one ledger line as 1C does; returns it."""
        cls.serial += 1
        vals = dict(extra, contract_id=contract.id, kind=kind, date=date_, debit=debit,
                    credit=credit, b2b_onec_id=doc or "doc-%s-%d" % (contract.id, cls.serial),
                    doc_number="N%d" % cls.serial)
        if due:
            vals["due_date"] = due
        if settles:
            vals["settles_onec_id"] = settles
        if version:
            vals["b2b_onec_version"] = version
        cls.Ledger.b2b_upsert([vals])
        return cls.Ledger.search([("b2b_onec_id", "=", vals["b2b_onec_id"])])

    def aging(self, contract, as_of=AS_OF):
        return self.Ledger.b2b_aging(contract, fields.Date.to_string(as_of))[contract.id]


class TestLedgerIntake(FinanceCase):

    def test_same_document_twice_is_one_line_newer_version_replaces(self):
        vals = {"b2b_onec_id": "ship-0001", "contract_id": self.c_alfa.id, "kind": "shipment",
                "date": "2024-05-10", "debit": 1200.0, "doc_number": "РН-1", "b2b_onec_version": "1"}
        first = self.Ledger.b2b_upsert([vals])
        line = self.Ledger.browse(first["created"])
        self.assertEqual(len(line), 1)
        self.assertEqual(line.partner_id, self.c_alfa.partner_id, "legal entity from the contract")
        self.assertEqual(line.due_date, "2024-06-09", "date + the contract's 30 days' deferral")
        write_date = line.write_date
        again = self.Ledger.b2b_upsert([dict(vals)])
        self.assertEqual(again["unchanged"], line.ids)
        self.assertEqual(self.Ledger.search_count([("b2b_onec_id", "=", "ship-0001")]), 1)
        self.assertEqual(line.write_date, write_date, "identical data is not written")
        newer = self.Ledger.b2b_upsert([dict(vals, debit=900.0, b2b_onec_version="2")])
        self.assertEqual(newer["updated"], line.ids, "the same record is replaced")
        line.invalidate_cache()
        self.assertEqual((line.debit, line.b2b_onec_version), (900.0, "2"))
        stale = self.Ledger.b2b_upsert([dict(vals, debit=1200.0, b2b_onec_version="1")])
        self.assertEqual(stale["unchanged"], line.ids, "an older version does not replace a newer one")
        line.invalidate_cache()
        self.assertEqual(line.debit, 900.0)
        self.assertEqual(self.Ledger.search_count([("b2b_onec_id", "=", "ship-0001")]), 1)
        removed = self.Ledger.b2b_upsert([{"b2b_onec_id": "ship-0001", "posted": False}])
        self.assertEqual(removed["removed"], line.ids, "1C unposted the document")
        self.assertFalse(line.exists())

    def test_due_dates(self):
        opening = self.post(self.c_alfa, "opening", "2024-01-01", debit=500)
        self.assertEqual(opening.due_date, "2024-01-01", "an opening balance is due on its date")
        payment = self.post(self.c_alfa, "payment", "2024-01-05", credit=100)
        self.assertFalse(payment.due_date)
        given = self.post(self.c_alfa, "shipment", "2024-01-05", debit=100, due="2024-01-20")
        self.assertEqual(given.due_date, "2024-01-20", "1C's own due date is kept")

    def test_bad_lines_change_nothing_and_are_named(self):
        count = self.Ledger.search_count([])
        good = {"b2b_onec_id": "ok-1", "contract_id": self.c_alfa.id, "kind": "shipment",
                "date": "2024-05-10", "debit": 10.0}
        with self.assertRaises(ValidationError) as caught:
            self.Ledger.b2b_upsert([
                good,
                dict(good, b2b_onec_id="bad-partner", partner_id=self.beta.id),
                dict(good, b2b_onec_id="bad-date", date="10.05.2024"),
                dict(good, b2b_onec_id="bad-amount", debit=-5),
                dict(good, b2b_onec_id="bad-kind", kind="invoice"),
                dict(good, b2b_onec_id=False),
            ])
        message = caught.exception.name
        self.assertIn("2 (1C id bad-partner)", message)
        self.assertIn(self.beta.name, message)
        self.assertIn("10.05.2024", message)
        self.assertIn("bad-amount", message)
        self.assertIn("invoice", message)
        self.assertIn("6 (1C id -)", message)
        self.assertEqual(self.Ledger.search_count([]), count, "nothing was posted")

    def test_posted_lines_are_immutable(self):
        line = self.post(self.c_alfa, "shipment", "2024-05-10", debit=100)
        for user in (self.env.user, self.accountant):
            with self.assertRaises(UserError) as caught:
                line.sudo(user).with_context(lang="en_US").write({"debit": 1})
            self.assertIn("cannot be changed or deleted", caught.exception.name)
            with self.assertRaises(UserError):
                line.sudo(user).unlink()
        # a context flag sent by a client is not the posting key
        with self.assertRaises(UserError):
            line.with_context(b2b_ledger_posting=True).write({"debit": 1})
        line.invalidate_cache()
        self.assertEqual(line.debit, 100.0)


class TestAgingOrm(FinanceCase):

    def test_each_boundary_with_partial_payment_and_return(self):
        """Shipment of 1000 due on 2024-06-30, 300 paid and 150 returned: the open 550 moves
        through the buckets as the days pass; not overdue on the due date, blocked at 46 days."""
        due = date(2024, 6, 30)
        self.post(self.c_yug, "shipment", "2024-06-09", debit=1000)          # 21 days' deferral
        self.post(self.c_yug, "payment", "2024-06-15", credit=300)
        self.post(self.c_yug, "return", "2024-06-20", credit=150)
        expected = {0: None, 1: 0, 6: 0, 7: 1, 15: 1, 16: 2, 45: 2, 46: 3}
        for days, bucket in expected.items():
            with self.subTest(days=days):
                result = self.aging(self.c_yug, due + timedelta(days=days))
                amounts = [b["amount"] for b in result["buckets"]]
                want = [0.0] * 4
                if bucket is not None:
                    want[bucket] = 550.0
                self.assertEqual(amounts, want)
                self.assertEqual(result["balance"], 550.0)
                self.assertEqual(result["not_due"], 550.0 if bucket is None else 0.0)
                self.assertEqual(result["oldest_days"], days)
                self.assertEqual(result["blocked"], days > 45)
                self.assertEqual(result["source"], "computed")
        self.assertEqual([b["label"] for b in result["buckets"]], ["1–6", "7–15", "16–45", "> 45"])

    def test_fifo_explicit_matching_and_overpayment(self):
        self.post(self.c_beta, "shipment", day(-100), debit=1000, doc="A")    # due day -70
        self.post(self.c_beta, "shipment", day(-40), debit=400, doc="B")      # due day -10
        self.post(self.c_beta, "payment", day(-5), credit=600, settles="B")   # B, then 200 of A
        result = self.aging(self.c_beta)
        self.assertEqual([b["amount"] for b in result["buckets"]], [0.0, 0.0, 0.0, 800.0])
        self.assertEqual(result["oldest_days"], 70)
        self.assertTrue(result["blocked"])
        self.post(self.c_beta, "payment", day(-1), credit=1000)
        result = self.aging(self.c_beta)
        self.assertEqual(result["balance"], -200.0, "overpaid: an advance")
        self.assertEqual((result["overdue"], result["not_due"], result["blocked"]), (0.0, 0.0, False))
        past = self.aging(self.c_beta, AS_OF - timedelta(days=20))
        self.assertEqual(past["balance"], 1400.0, "lines after the as-of date are ignored")
        self.assertEqual(past["buckets"][3]["amount"], 1000.0)
        self.assertEqual(past["not_due"], 400.0, "B falls due 10 days before AS_OF")

    def test_by_dealer_sums_contracts(self):
        self.post(self.c_alfa, "shipment", day(-90), debit=100, due=day(-50))
        self.post(self.c_alfa_retail, "shipment", day(-20), debit=40, due=day(-3))
        result = self.Ledger.b2b_aging_by_dealer(self.alfa, fields.Date.to_string(AS_OF))[self.alfa.id]
        self.assertEqual(result["balance"], 140.0)
        self.assertEqual([b["amount"] for b in result["buckets"]], [40.0, 0.0, 0.0, 100.0])
        self.assertEqual(result["oldest_days"], 50)
        self.assertTrue(result["blocked"])

    def test_onec_summary_overrides_computed(self):
        self.post(self.c_beta, "shipment", day(-60), debit=1000, due=day(-30))
        Summary = self.env["b2b.overdue.summary"]
        Summary.b2b_upsert_summary([{
            "contract_id": self.c_beta.id, "date": day(0), "balance": 1000, "not_due": 0,
            "overdue_1": 0, "overdue_2": 0, "overdue_3": 600, "overdue_4": 400, "overdue_days": 50,
            "b2b_onec_id": "sum-1"}])
        result = self.aging(self.c_beta)
        self.assertEqual(result["source"], "1c")
        self.assertEqual([b["amount"] for b in result["buckets"]], [0.0, 0.0, 600.0, 400.0])
        self.assertEqual(result["oldest_days"], 50)
        self.assertTrue(result["blocked"], "1C's figures decide the block")
        self.assertEqual(result["computed"]["buckets"][2]["amount"], 1000.0)
        self.assertFalse(result["computed"]["blocked"])
        # the same summary again changes nothing; a corrected one replaces it
        again = Summary.b2b_upsert_summary([{
            "contract_id": self.c_beta.id, "date": day(0), "balance": 1000, "not_due": 0,
            "overdue_1": 0, "overdue_2": 0, "overdue_3": 600, "overdue_4": 400, "overdue_days": 50,
            "b2b_onec_id": "sum-1"}])
        self.assertEqual(len(again["unchanged"]), 1)
        self.assertEqual(Summary.search_count([("contract_id", "=", self.c_beta.id)]), 1)
        # the accountant sees the difference from the computed aging
        summary = Summary.sudo(self.accountant).search([("contract_id", "=", self.c_beta.id)])
        self.assertEqual(summary.computed_overdue, 1000.0)
        self.assertEqual(summary.difference_overdue, 0.0)
        self.assertEqual(summary.computed_overdue_days, 30)
        # a ledger line newer than the summary: the summary is out of date, the computed aging shown
        self.post(self.c_beta, "payment", day(1), credit=1000)
        later = self.aging(self.c_beta, AS_OF + timedelta(days=2))
        self.assertEqual(later["source"], "computed")
        self.assertEqual(later["balance"], 0.0)
        # on the summary's own date it is still 1C's
        self.assertEqual(self.aging(self.c_beta)["source"], "1c")

    def test_older_summary_still_current_ages(self):
        """No ledger line since 1C's summary: its figures stay, the oldest debt keeps aging."""
        self.post(self.c_beta, "shipment", day(-80), debit=500, due=day(-40))
        self.env["b2b.overdue.summary"].b2b_upsert_summary([{
            "contract_id": self.c_beta.id, "date": day(-5), "balance": 500, "overdue_3": 500,
            "overdue_days": 35}])
        result = self.aging(self.c_beta)
        self.assertEqual((result["source"], result["oldest_days"]), ("1c", 40))
        self.assertFalse(result["blocked"])
        result = self.aging(self.c_beta, AS_OF + timedelta(days=6))
        self.assertEqual((result["source"], result["oldest_days"], result["blocked"]), ("1c", 46, True))

    def test_bad_summary_changes_nothing(self):
        Summary = self.env["b2b.overdue.summary"]
        with self.assertRaises(ValidationError) as caught:
            Summary.b2b_upsert_summary([
                {"contract_id": self.c_beta.id, "date": day(0), "balance": 10},
                {"contract_id": self.c_beta.id, "date": "yesterday", "overdue_1": -3},
            ])
        self.assertIn("yesterday", caught.exception.name)
        self.assertIn("overdue_1", caught.exception.name)
        self.assertFalse(Summary.search([("contract_id", "=", self.c_beta.id)]))

    def test_settings_edges_change_results(self):
        self.post(self.c_beta, "shipment", day(-60), debit=100, due=day(-31))
        self.assertFalse(self.aging(self.c_beta)["blocked"])
        self.env["res.config.settings"].create({"b2b_aging_edges": "10, 20, 30"}).execute()
        self.assertEqual(self.env["ir.config_parameter"].get_param("b2b_base.aging_edges"), "10,20,30")
        result = self.aging(self.c_beta)
        self.assertEqual([b["label"] for b in result["buckets"]], ["1–10", "11–20", "21–30", "> 30"])
        self.assertEqual(result["buckets"][3]["amount"], 100.0)
        self.assertTrue(result["blocked"], "31 days is over the new last edge")
        self.assertEqual(self.env["res.config.settings"].default_get(["b2b_aging_edges"])
                         ["b2b_aging_edges"], "10,20,30")
        for bad, fragment in (("10,5,30", "5"), ("10,20", "exactly 3"), ("0,5,9", "0"), ("a,b,c", "a")):
            with self.subTest(bad=bad):
                with self.assertRaises(UserError) as caught:
                    self.env["res.config.settings"].create({"b2b_aging_edges": bad}).execute()
                self.assertIn("Overdue buckets", caught.exception.name)
                self.assertIn(fragment, caught.exception.name)
                self.assertEqual(self.env["ir.config_parameter"].get_param("b2b_base.aging_edges"),
                                 "10,20,30")

    def test_aging_report(self):
        self.post(self.c_alfa, "shipment", day(-90), debit=100, due=day(-50))
        self.post(self.c_beta, "shipment", day(-20), debit=40, due=day(-3))
        self.env["b2b.overdue.summary"].b2b_upsert_summary([{
            "contract_id": self.c_beta.id, "date": day(0), "balance": 40, "overdue_1": 30,
            "not_due": 10, "overdue_days": 3}])
        Report = self.env["b2b.aging.report"].sudo(self.accountant).with_context(lang="en_US")
        report = Report.create({"as_of": day(0)})
        action = report.action_compute()
        self.assertEqual(action["res_model"], "b2b.aging.report.line")
        lines = {line.contract_id: line for line in report.line_ids}
        self.assertEqual(lines[self.c_alfa].overdue_4, 100.0)
        self.assertTrue(lines[self.c_alfa].blocked)
        self.assertEqual((lines[self.c_beta].source, lines[self.c_beta].overdue_1), ("1c", 30.0))
        self.assertEqual(lines[self.c_beta].difference_overdue, -10.0, "1C 30 against computed 40")
        blocked = Report.create({"as_of": day(0), "blocked_only": True})
        blocked.action_compute()
        self.assertEqual(blocked.line_ids.mapped("contract_id"), self.c_alfa)
        only_beta = Report.create({"as_of": day(0), "dealer_ids": [(6, 0, self.beta.ids)]})
        only_beta.action_compute()
        self.assertEqual(only_beta.line_ids.mapped("dealer_id"), self.beta)
        drill = lines[self.c_alfa].action_open_ledger()
        self.assertEqual(self.Ledger.search(drill["domain"]).mapped("debit"), [100.0])
        # bucket columns follow the settings
        labels = self.env["b2b.aging.report.line"].fields_get(["overdue_4"])
        self.assertEqual(labels["overdue_4"]["string"], "Overdue > 45")
        # xlsx export
        import openpyxl
        url = report.action_export_xlsx()["url"]
        attachment = self.env["ir.attachment"].browse(int(url.split("/")[3].split("?")[0]))
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(attachment.datas)))
        rows = list(book.active.iter_rows(values_only=True))
        self.assertIn("Overdue > 45", rows[1])
        self.assertEqual(rows[-1][0], "Total")
        self.assertEqual(rows[-1][rows[1].index("Overdue > 45")], 100.0)
        # not for dealers
        with self.assertRaises(AccessError):
            self.env["b2b.aging.report"].sudo(self.u_beta_admin).create({"as_of": day(0)}).action_compute()
