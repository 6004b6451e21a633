"""BENCH P7 — 1,000 portal orders become Bitrix24 deals, at Bitrix24's own request limit.

The Bitrix24 stand-in (tests/standins/bitrix24.py) runs with the limit of every plan but
Enterprise: a burst of 50 requests, then 2 per second, HTTP 503 past it. Ours: the bridge's
``_b2b_bitrix_send`` over the 1,000 orders (deals looked up by ORIGIN_ID 50 at a time, then each
order's deal and its rows as two commands of a ``batch`` of 50), paced by the bridge's own client.
The peer is the plain way, one call per order and per step: ``crm.deal.add`` then
``crm.deal.productrows.set`` for each order through the same client. Its request count is measured
whole (against a stand-in without the limit, so that the run does not take a quarter of an hour);
its time is what that many requests take at 2 per second after the burst of 50.

Targets: ours within 25 s and at least 20 times fewer requests than the peer.
"""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, bench_line, environment, prepare_database  # noqa: E402

DB = "b2b_bench_bitrix"
ORDERS = int(os.environ.get("B2B_BENCH_BITRIX_ORDERS", "1000"))
MARK = "Bench Bitrix24 contract"


def standin():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "b2b_bench_bitrix24", os.path.join(ROOT, "tests", "standins", "bitrix24.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(env):
    """A dealer, its contract, 20 goods and ORDERS orders of 3 lines (committed)."""
    ctx = dict(tracking_disable=True, mail_create_nolog=True, mail_notrack=True,
               b2b_bitrix_no_push=True)
    dealer = env["res.partner"].create({"name": "ООО «Дилер» (bench)", "is_company": True,
                                        "customer": True, "b2b_is_dealer": True})
    price_type = env["b2b.price.type"].create({"name": "Bench Bitrix24 prices"})
    contract = env["b2b.contract"].create({"name": MARK, "partner_id": dealer.id,
                                           "price_type_id": price_type.id})
    Product = env["product.product"].with_context(**ctx)
    products = [Product.create({"name": "Товар %d" % n, "type": "consu", "default_code": "BX-%03d" % n,
                                "list_price": 100.0 + n}) for n in range(20)]
    Order = env["sale.order"].with_context(**ctx)
    for n in range(ORDERS):
        Order.create({"partner_id": dealer.id, "b2b_contract_id": contract.id,
                      "order_line": [(0, 0, {"product_id": products[(n + k) % 20].id,
                                             "product_uom_qty": 1 + (n + k) % 5,
                                             "price_unit": 100.0 + k}) for k in range(3)]})
        if n % 200 == 199:
            env.cr.commit()
    env.cr.commit()


def orders_of(env):
    contract = env["b2b.contract"].search([("name", "=", MARK)], limit=1)
    if not contract:
        return None
    return env["sale.order"].search([("b2b_contract_id", "=", contract.id)], order="id")


def peer(client, orders):
    """One call per order and step, as an integration without batch does it."""
    for order in orders:
        data, lines = order._b2b_bitrix_order_data()
        from odoo.addons.b2b_bitrix_bridge.lib import deals
        deal_id = client.call("crm.deal.add", {"fields": deals.deal_fields(data, "NEW", 0)})
        client.call("crm.deal.productrows.set", {"id": deal_id, "rows": deals.deal_rows(lines)})


def main():
    keep = bool(os.environ.get("B2B_KEEP_BENCH_DB"))
    import suite
    dbs = suite.Databases()
    dbs.start_server()
    fresh = not (keep and dbs.exists(DB))
    if fresh:
        prepare_database(DB, ["b2b_bitrix_bridge"])
    module = standin()
    with environment(DB) as env:
        if fresh or not orders_of(env):
            build(env)
        orders = orders_of(env).with_context(b2b_bitrix_no_push=True)
        from odoo.addons.b2b_bitrix_bridge.lib.client import BitrixClient
        with module.Bitrix24StandIn() as portal:          # Bitrix24's limit: 50, then 2/s
            env["b2b.bitrix.api"]._b2b_configure_for_tests(portal)
            params = env["ir.config_parameter"]
            params.set_param("b2b_bitrix_bridge.rate", "2")
            params.set_param("b2b_bitrix_bridge.burst", "50")
            portal.requests.clear()
            started = time.perf_counter()
            sent = orders._b2b_bitrix_send()
            seconds = time.perf_counter() - started
            requests = len(portal.requests)
            if len(sent) != len(orders) or len(portal.deals) != len(orders) or portal.refused:
                raise SystemExit("ours: %d of %d orders became deals, %d requests refused"
                                 % (len(sent), len(orders), portal.refused))
        with module.Bitrix24StandIn(rate=1000, burst=100000) as portal:
            started = time.perf_counter()
            peer(BitrixClient(portal.webhook_url, rate=None), orders)
            peer_requests = len(portal.requests)
            peer_unpaced = time.perf_counter() - started
        peer_seconds = max(0, peer_requests - 50) / 2.0
        print("# ours: %d orders, %d requests in %.1f s; peer: %d requests (%.1f s without the "
              "limit)" % (len(orders), requests, seconds, peer_requests, peer_unpaced), flush=True)
        bench_line("P7", "orders_to_deals_%d" % len(orders), seconds, "s", "25s", seconds <= 25,
                   peer=peer_seconds, peer_note="its requests at 2 per second")
        bench_line("P7", "requests_%d_orders" % len(orders), requests, "", "20x_fewer",
                   peer_requests >= 20 * requests, peer=peer_requests)
    if not keep:
        dbs.drop(DB)


if __name__ == "__main__":
    main()
