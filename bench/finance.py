"""BENCH P5 — dealer debts: the full aging of every dealer, and the debt pop-up check per page.

200 dealers, each with one contract and 250 open documents (shipments due over the past year and
the next month) and 25 partial payments: 55,000 ledger lines.

- Ours, full aging: ``b2b.settlement.line.b2b_aging_by_dealer`` for all 200 dealers as of today
  (one SQL query for every ledger line, FIFO allocation and buckets in b2b_base/lib/aging.py, 1C
  summaries looked up in a second query); Odoo's record cache emptied before every call. For
  information, the daily recompute of the stored debt state of every dealer (the cron), which
  also writes what changed.
- Ours, pop-up check: what a portal page does on every load to decide on the debt pop-up, for a
  buyer of a dealer: ``res.users._b2b_debt_notice`` (one query from the user to the stored debt
  fields of their dealer: overdue amount and days, block); its query count is printed too.
- Peer, in the same run: the stock Odoo way OCA account_financial_risk uses for a partner's risk,
  ``read_group`` over the receivable, unreconciled ``account.move.line`` grouped by partner with a
  due-date condition (``risk_account_amount`` / ``risk_account_amount_unpaid``), on as many move
  lines as our ledger has open documents (50,000, the same partners, amounts and due dates). For
  the full aging it takes one read_group per bucket (not yet due, 1–6, 7–15, 16–45, over 45 days);
  for the pop-up one read_group of the dealer's unpaid overdue lines (``partner_id child_of``), as
  the module computes it on each read. The peer relies on reconciliation done beforehand (it
  allocates no payment); ours allocates payments FIFO in the same time.
- Ours, the allocation alone: the plain-Python part of the full aging (``age_by_contract`` of
  b2b_base/lib/aging.py: FIFO and explicit matching of payments, buckets) on the very ledger rows
  the full aging read (55,000 lines of 200 contracts), without the query; peer: the stock way's
  full aging above (its read_groups, which allocate nothing).

Targets (issue 5): full aging of 200 dealers × 250 open documents ≤ 500 ms, its allocation alone
≤ 250 ms; the pop-up check one indexed read.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import bench_line, environment, prepare_database, timed  # noqa: E402

DB = "b2b_bench_finance"
DEALERS = int(os.environ.get("B2B_BENCH_DEALERS", "200"))
DOCUMENTS = 250
PAYMENTS = 25


def build_dealers(env):
    """DEALERS dealers with one contract each; returns (dealers, contracts)."""
    price_type = env.ref("b2b_base.demo_price_type_wholesale")
    Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    Contract = env["b2b.contract"].with_context(tracking_disable=True, mail_create_nolog=True)
    dealers = Partner.browse()
    contracts = Contract.browse()
    for number in range(DEALERS):
        dealer = Partner.create({"name": "Дилер %03d" % number, "is_company": True,
                                 "customer": True, "b2b_is_dealer": True})
        dealers |= dealer
        contracts |= Contract.create({"name": "Б-%03d" % number, "partner_id": dealer.id,
                                      "price_type_id": price_type.id, "payment_days": 30,
                                      "date": "2023-01-01"})
    return dealers, contracts


def build_ledger(env, contracts):
    """DOCUMENTS shipments per contract dated over the last 13 months up to today (due 30 days
    later: every bucket holds some), and
    PAYMENTS partial payments, all smaller than the oldest shipment: every document stays open."""
    cr = env.cr
    cr.execute("""
        INSERT INTO b2b_settlement_line (partner_id, contract_id, dealer_id, currency_id, company_id,
                                         date, due_date, kind, doc_number, b2b_onec_id, debit, credit,
                                         create_uid, write_uid, create_date, write_date)
        SELECT c.partner_id, c.id, c.dealer_id, c.currency_id, c.company_id,
               CURRENT_DATE - 400 + (g.n * 8) / 5, CURRENT_DATE - 370 + (g.n * 8) / 5, 'shipment',
               'РН-' || g.n,
               'bench-' || c.id || '-' || g.n,
               CASE WHEN g.n = 1 THEN 100000 ELSE 1000 + (g.n * 7919) %% 45000 END, 0,
               1, 1, now(), now()
          FROM b2b_contract c CROSS JOIN generate_series(1, %s) AS g(n)
         WHERE c.id = ANY(%s)""", (DOCUMENTS, contracts.ids))
    cr.execute("""
        INSERT INTO b2b_settlement_line (partner_id, contract_id, dealer_id, currency_id, company_id,
                                         date, kind, doc_number, b2b_onec_id, debit, credit,
                                         create_uid, write_uid, create_date, write_date)
        SELECT c.partner_id, c.id, c.dealer_id, c.currency_id, c.company_id,
               CURRENT_DATE - 390 + g.n * 15, 'payment', 'ПП-' || g.n,
               'bench-pay-' || c.id || '-' || g.n, 0, 3000, 1, 1, now(), now()
          FROM b2b_contract c CROSS JOIN generate_series(1, %s) AS g(n)
         WHERE c.id = ANY(%s)""", (PAYMENTS, contracts.ids))
    cr.execute("ANALYZE b2b_settlement_line")


def build_receivables(env, dealers):
    """The peer's data: one unreconciled receivable move line per open document, with the residual
    our FIFO leaves on it, the same partner, date and due date."""
    cr = env.cr
    receivable = env["account.account"].create({
        "code": "B2B62", "name": "Расчеты с покупателями", "reconcile": True,
        "user_type_id": env.ref("account.data_account_type_receivable").id})
    income = env["account.account"].create({
        "code": "B2B90", "name": "Выручка",
        "user_type_id": env.ref("account.data_account_type_revenue").id})
    journal = env["account.journal"].create({"name": "Реализация (бенчмарк)", "code": "B2BS",
                                             "type": "sale", "default_debit_account_id": income.id,
                                             "default_credit_account_id": income.id})
    move = env["account.move"].create({"journal_id": journal.id, "line_ids": [
        (0, 0, {"account_id": receivable.id, "partner_id": dealers[0].id, "debit": 100.0,
                "name": "seed", "date_maturity": "2024-01-01"}),
        (0, 0, {"account_id": income.id, "partner_id": dealers[0].id, "credit": 100.0,
                "name": "seed"})]})
    seed = move.line_ids.filtered(lambda l: l.account_id == receivable)
    cr.execute("SELECT column_name FROM information_schema.columns "
               "WHERE table_name = 'account_move_line' AND column_name <> 'id'")
    columns = [c for (c,) in cr.fetchall()]
    overrides = {
        "partner_id": "s2.partner_id", "date": "s2.date", "date_maturity": "s2.due_date",
        "debit": "s2.debit", "credit": "0", "balance": "s2.debit",
        "amount_residual": "s2.debit", "reconciled": "false", "name": "s2.doc_number",
    }
    select = ", ".join(overrides.get(c, "s.%s" % c) for c in columns)
    cr.execute("INSERT INTO account_move_line (%s) SELECT %s FROM account_move_line s, "
               "b2b_settlement_line s2 WHERE s.id = %%s AND s2.kind = 'shipment' "
               "AND s2.dealer_id = ANY(%%s)" % (", ".join(columns), select),
               (seed.id, dealers.ids))
    # the partial payments: taken off the oldest line of each partner, as reconciliation would
    cr.execute("""UPDATE account_move_line l SET amount_residual = amount_residual - %s
                   WHERE l.account_id = %s AND l.id IN (
                         SELECT DISTINCT ON (partner_id) id FROM account_move_line
                          WHERE account_id = %s AND name <> 'seed'
                          ORDER BY partner_id, date_maturity, id)""",
               (PAYMENTS * 3000, receivable.id, receivable.id))
    cr.execute("DELETE FROM account_move_line WHERE id = %s", (seed.id,))
    cr.execute("ANALYZE account_move_line")
    cr.execute("SELECT count(*) FROM account_move_line WHERE account_id = %s", (receivable.id,))
    return cr.fetchone()[0]


def aging_call_of(fn):
    """(rows, args, kwargs) of the call of b2b_base's ``aging.age_by_contract`` that ``fn()``
    makes: the ledger rows exactly as the model reads them."""
    from odoo.addons.b2b_base.lib import aging
    calls = []
    original = aging.age_by_contract

    def recording(rows, *args, **kwargs):
        calls.append((rows, args, kwargs))
        return original(rows, *args, **kwargs)
    aging.age_by_contract = recording
    try:
        fn()
    finally:
        aging.age_by_contract = original
    assert len(calls) == 1, len(calls)
    return calls[0]


def bench(env, dealers, contracts, peer_lines):
    from odoo.addons.b2b_base.lib import aging
    Ledger = env["b2b.settlement.line"]
    MoveLine = env["account.move.line"]
    from odoo import fields
    from datetime import timedelta
    as_of = fields.Date.context_today(Ledger)
    day = fields.Date.from_string(as_of)

    def ours_full():
        env.cache.invalidate()
        result = Ledger.b2b_aging_by_dealer(dealers, as_of)
        assert len(result) == len(dealers)
        return result

    result = ours_full()
    sample = result[dealers[0].id]
    assert sample["overdue"] > 0 and sample["not_due"] > 0, sample

    bucket_domains = [
        [("date_maturity", ">=", as_of)],
        [("date_maturity", "<", as_of), ("date_maturity", ">=", str(day - timedelta(days=6)))],
        [("date_maturity", "<", str(day - timedelta(days=6))),
         ("date_maturity", ">=", str(day - timedelta(days=15)))],
        [("date_maturity", "<", str(day - timedelta(days=15))),
         ("date_maturity", ">=", str(day - timedelta(days=45)))],
        [("date_maturity", "<", str(day - timedelta(days=45)))],
    ]
    base = [("partner_id", "in", dealers.ids), ("account_id.internal_type", "=", "receivable"),
            ("reconciled", "=", False)]

    def peer_full():
        env.cache.invalidate()
        totals = {}
        for index, extra in enumerate(bucket_domains):
            for group in MoveLine.read_group(base + extra, ["partner_id", "amount_residual"],
                                             ["partner_id"]):
                totals.setdefault(group["partner_id"][0], [0.0] * 5)[index] = group["amount_residual"]
        assert len(totals) == len(dealers)
        return totals

    peer = peer_full()
    # the same figures both ways (the peer's residuals carry our FIFO result)
    ours_buckets = [sample["not_due"]] + [b["amount"] for b in sample["buckets"]]
    assert [round(x, 2) for x in peer[dealers[0].id]] == [round(x, 2) for x in ours_buckets], \
        (peer[dealers[0].id], ours_buckets)

    full_ms = timed(ours_full, repeat=7)
    peer_ms = timed(peer_full, repeat=7)
    bench_line("P5", "aging_full_%ddealers_x%ddocs" % (len(dealers), DOCUMENTS), full_ms, "ms",
               "500ms", full_ms <= 500, peer=peer_ms)

    # the allocation alone, on the rows the full aging hands to it
    rows, args, kwargs = aging_call_of(ours_full)
    assert len(rows) == len(dealers) * (DOCUMENTS + PAYMENTS), len(rows)
    alloc_ms = timed(lambda: aging.age_by_contract(rows, *args, **kwargs), repeat=7)
    bench_line("P5", "aging_allocation_%dlines" % len(rows), alloc_ms, "ms", "250ms",
               alloc_ms <= 250, peer=peer_ms)

    def cron():
        env.cache.invalidate()
        Ledger._b2b_recompute_debt(dealers=dealers)
    cron()
    assert dealers[0].b2b_shipment_blocked
    cron_ms = timed(cron, repeat=3)
    bench_line("P5", "debt_state_recompute_%ddealers" % len(dealers), cron_ms, "ms", "none", True)

    # the pop-up check of one page load
    dealer_id = dealers[len(dealers) // 2].id
    blocked = dealers[len(dealers) // 2].b2b_shipment_blocked

    dealer_user = env["res.users"].with_context(no_reset_password=True).create({
        "name": "Закупщик (бенчмарк)", "login": "bench.popup.buyer", "b2b_role": "buyer",
        "parent_id": dealer_id, "groups_id": [(6, 0, [env.ref("base.group_portal").id])]})
    assert dealer_user.partner_id.b2b_dealer_id.id == dealer_id

    def ours_popup():
        env.cache.invalidate()
        notice = dealer_user._b2b_debt_notice()
        assert notice["b2b_shipment_blocked"] == blocked
        return notice

    overdue_domain = [("partner_id", "child_of", dealer_id),
                      ("account_id.internal_type", "=", "receivable"), ("reconciled", "=", False),
                      ("date_maturity", "<", as_of)]

    def peer_popup():
        env.cache.invalidate()
        return MoveLine.read_group(overdue_domain, ["partner_id", "amount_residual"], ["partner_id"])

    ours_popup()
    before = env.cr.sql_log_count
    ours_popup()
    queries = env.cr.sql_log_count - before
    popup_ms = timed(ours_popup, repeat=50)
    peer_popup_ms = timed(peer_popup, repeat=50)
    bench_line("P5", "popup_check_per_page", popup_ms, "ms", "1query", queries <= 1,
               peer=peer_popup_ms)
    bench_line("P5", "popup_check_queries", queries, "", "1", queries <= 1)
    print("P5 data: %d dealers, %d ledger lines (%d open documents), peer %d receivable move lines"
          % (len(dealers), len(dealers) * (DOCUMENTS + PAYMENTS), len(dealers) * DOCUMENTS,
             peer_lines), flush=True)


def main():
    prepare_database(DB, ["b2b_base"])
    with environment(DB) as env:
        t0 = time.perf_counter()
        dealers, contracts = build_dealers(env)
        build_ledger(env, contracts)
        peer_lines = build_receivables(env, dealers)
        print("P5 data built in %.1f s" % (time.perf_counter() - t0), flush=True)
        bench(env, dealers, contracts, peer_lines)


if __name__ == "__main__":
    main()
