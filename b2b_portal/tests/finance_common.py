"""What the finance page tests share: ledger lines posted as 1C posts them, and readers of the
finance pages' stable markup (data attributes carry plain numbers, whatever the user's language)."""
import datetime
import itertools
import re

from odoo.addons.b2b_base.tools import business_date

from .common import PortalHttpCase

_numbers = itertools.count(1)


class FinanceHttpCase(PortalHttpCase):

    def setUp(self):
        super(FinanceHttpCase, self).setUp()
        self.today = business_date.today(self.env)
        self.c_beta_special = self.env.ref("b2b_base.demo_contract_beta_special")
        self.Line = self.env["b2b.settlement.line"]

    def day(self, offset):
        """Today + ``offset`` days, as 'YYYY-MM-DD'."""
        return (self.today + datetime.timedelta(days=offset)).isoformat()

    def post_line(self, contract, kind, date, debit=0.0, credit=0.0, due=None, number=None):
        """One ledger line posted through 1C's intake (b2b_upsert), which recomputes the stored
        debt state of the contract and its dealer. ``date``/``due``: day offsets from today."""
        serial = next(_numbers)
        vals = {
            "b2b_onec_id": "portal-finance-test-%d" % serial,
            "contract_id": contract.id,
            "kind": kind,
            "date": self.day(date),
            "doc_number": number or "T-%d" % serial,
            "debit": debit,
            "credit": credit,
        }
        if due is not None:
            vals["due_date"] = self.day(due)
        result = self.Line.b2b_upsert([vals])
        return self.Line.browse(result["created"])

    # ------------------------------------------------------------------ page readers
    def page(self, path, status=200):
        answer = self.get(path)
        self.assertEqual(answer.status_code, status, "%s: %s" % (path, answer.text[:500]))
        return answer.text

    @staticmethod
    def value(html, css_class):
        """The data-value of the first element of ``css_class`` in ``html`` (float), or None."""
        found = re.search(r'class="[^"]*\b%s\b[^"]*"[^>]*?data-value="(-?[\d.]+)"' % css_class, html)
        return float(found.group(1)) if found else None

    @staticmethod
    def values(html, css_class):
        return [float(found) for found in re.findall(
            r'class="[^"]*\b%s\b[^"]*"[^>]*?data-value="(-?[\d.]+)"' % css_class, html)]

    def aging_rows(self, html):
        """{contract_id: html of its row} of the aging table."""
        rows = {}
        for found in re.finditer(r'<tr class="o_b2b_finance_aging_row" data-contract-id="(\d+)"(.*?)</tr>',
                                 html, re.S):
            rows[int(found.group(1))] = found.group(0)
        return rows

    def last_bucket(self, row):
        """The amount of the last (open-ended) overdue bucket of an aging row."""
        found = re.search(r'o_b2b_finance_bucket[^"]*" data-from="\d+" data-to="" data-value="(-?[\d.]+)"',
                          row)
        self.assertTrue(found, row)
        return float(found.group(1))

    def bucket(self, row, start):
        found = re.search(r'o_b2b_finance_bucket[^"]*" data-from="%d" data-to="\d*" data-value="(-?[\d.]+)"'
                          % start, row)
        self.assertTrue(found, row)
        return float(found.group(1))

    def ledger_lines(self, html):
        """[(line id, debit, credit, running balance)] of the ledger table, in order."""
        lines = []
        for found in re.finditer(r'<tr class="o_b2b_finance_line" data-line-id="(\d+)"(.*?)</tr>', html, re.S):
            row = found.group(0)
            lines.append((int(found.group(1)), self.value(row, "o_b2b_finance_debit"),
                          self.value(row, "o_b2b_finance_credit"),
                          self.value(row, "o_b2b_finance_running")))
        return lines

    def section(self, html, css_class):
        found = re.search(r'<tr class="%s[^"]*">(.*?)</tr>' % css_class, html, re.S)
        self.assertTrue(found, "no %s" % css_class)
        return found.group(1)
