"""BENCH L1 — the dealer portal under load: 20 dealers' users shopping at once for 5 minutes.

A database of its own with b2b_portal, the catalog of bench/prices.py (25,000 goods × 4 price
types) and 200 dealers, each with one contract (the three purchase price types and the regions in
turn) and one buyer; the server started by the launcher as `make run` starts it (workers=2, on
free loopback ports). The buyers of 20 different dealers log in (not timed), open the catalog once
(so that every worker has loaded its registry and assets, not timed), then each, in a thread with
a session of its own, shops round after round until the time is up, spending about a second on
every page (0.5 to 1.5 s, the same spread in every run), as a person does:

- ``catalog``: two pages of the catalog (``/b2b/catalog/page/<n>``), a page of 60 goods with prices;
- ``search``: a search (``/b2b/catalog?q=...``): a SKU prefix, a part of a name, or either with
  the "in stock" filter;
- ``product``: the page of one of the goods listed;
- ``add``: three goods of those pages added to the cart with the quantity the page proposes, as
  the page's button does (JSON ``/b2b/cart/add``);
- ``cart``: the cart page (``/b2b/cart``);
- ``checkout``: "Place the order" (``POST /b2b/cart/checkout`` with the form's CSRF token, up to
  the redirect to the confirmation);
- ``placed``: the confirmation page (``/b2b/cart/placed/<order id>``).

Figures: p50 and p95 per page kind of the time the user waits (the client's time, waiting for a
free worker included; target p95 ≤ 1 s for every kind, p50 for information), the errors (an answer
that is not 2xx/3xx, an error page, a JSON error, a refused add or checkout, no answer within 60 s;
target 0) and the orders: sale orders of these dealers in the database after the run (created)
against the checkouts the clients saw succeed (expected). Lines starting with ``#`` add, for
information, the server's own time per kind (its ``Server-Timing`` header, without the wait for a
worker), the number of requests and what the server logged as errors.

No peer: the stock Odoo way to shop (website_sale's /shop, cart and checkout) is not part of the
suite's Odoo (no website addons are installed), so there is nothing to run in the same run.

``B2B_LOAD_SECONDS`` shortens the run for a quick try (e.g. 30); ``B2B_BENCH_PRODUCTS`` sizes the
catalog as for bench/prices.py. Bounded: 20 clients, the given time, 60 s at most per request.
"""
import os
import random
import re
import statistics
import sys
import threading
import time
from urllib.parse import quote, urljoin

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import ROOT, bench_line, environment, prepare_database  # noqa: E402
from portal import Server, csrf_of, percentile  # noqa: E402
from prices import N as PRODUCTS, build_catalog  # noqa: E402

DB = "b2b_bench_load"
DEALERS = 200
USERS = 20
SECONDS = int(os.environ.get("B2B_LOAD_SECONDS", "300"))
TIMEOUT = 60
TARGET_MS = 1000
KINDS = ("catalog", "search", "product", "add", "cart", "checkout", "placed")
PAGES = max(1, int(PRODUCTS * 0.85) // 60)   # pages every dealer's catalog has

ROW = re.compile(r'<tr class="o_b2b_product" data-product-id="(\d+)"(.*?)</tr>', re.S)
ADD_QTY = re.compile(r'class="form-control o_b2b_add_qty"[^>]*?value="([^"]+)"')
CART_ID = re.compile(r'name="cart_id" value="(\d+)"')
PLACED = re.compile(r"/b2b/cart/placed/(\d+)$")


def build_dealers(env):
    """DEALERS dealers with one contract and one buyer each; returns (contracts, users)."""
    ref = env.ref
    price_types = [ref("b2b_base.demo_price_type_wholesale"),
                   ref("b2b_base.demo_price_type_large"), ref("b2b_base.demo_price_type_dealer")]
    regions = [ref("b2b_base.demo_region_msk"), ref("b2b_base.demo_region_kzn"),
               ref("b2b_base.demo_region_nsk"), env["b2b.region"].browse()]
    portal = ref("base.group_portal")
    quiet = {"tracking_disable": True, "mail_create_nolog": True, "mail_notrack": True}
    Partner = env["res.partner"].with_context(**quiet)
    Contract = env["b2b.contract"].with_context(**quiet)
    Users = env["res.users"].with_context(no_reset_password=True, **quiet)
    contracts, users = Contract.browse(), Users.browse()
    for number in range(DEALERS):
        dealer = Partner.create({
            "name": "Нагрузка-Дилер %03d" % number, "is_company": True, "customer": True,
            "b2b_is_dealer": True, "b2b_region_id": regions[number % len(regions)].id,
            "lang": "ru_RU"})
        contracts |= Contract.create({
            "name": "Н-%03d/2026" % number, "partner_id": dealer.id, "date": "2026-01-01",
            "price_type_id": price_types[number % len(price_types)].id, "payment_days": 30,
            "credit_limit": 10000000})
        login = "load.dealer%03d" % number
        buyer = Partner.create({"name": "Закупщик %03d" % number, "parent_id": dealer.id,
                                "email": "%s@example.com" % login, "lang": "ru_RU"})
        users |= Users.create({"login": login, "password": login, "partner_id": buyer.id,
                               "groups_id": [(6, 0, [portal.id])], "b2b_role": "buyer",
                               "lang": "ru_RU"})
    return contracts, users


def count_orders(env, contracts):
    """Sale orders of ``contracts`` committed so far (a new transaction sees them all)."""
    env.cr.rollback()
    env.cr.execute("SELECT count(*) FROM sale_order WHERE b2b_contract_id IN %s",
                   (tuple(contracts.ids),))
    return env.cr.fetchone()[0]


class Shopper(object):
    """One dealer's buyer in a thread: rounds of catalog, search, product, add, cart, checkout."""

    def __init__(self, number, base, session, deadline, record):
        self.number = number
        self.base = base
        self.session = session
        self.deadline = deadline
        self.record = record            # record(kind, client_s, server_s, error or None)
        self.rng = random.Random(number)  # the same walk in every run
        self.checkouts = 0

    def pause(self):
        time.sleep(0.5 + self.rng.random())

    def request(self, kind, method, path, check, **kwargs):
        """The answer of one request, timed and checked (``check(answer)``: what is wrong with
        it or None); None when it failed (recorded as an error)."""
        url = urljoin(self.base, path)
        t0 = time.perf_counter()
        try:
            answer = self.session.request(method, url, timeout=TIMEOUT, **kwargs)
        except requests.RequestException as exc:
            self.record(kind, time.perf_counter() - t0, None, "%s %s: %r" % (method, path, exc))
            return None
        seconds = time.perf_counter() - t0
        found = re.match(r"app;dur=([0-9.]+)", answer.headers.get("Server-Timing", ""))
        server = float(found.group(1)) / 1000 if found else None
        if not 200 <= answer.status_code < 400:
            problem = "answered %s" % answer.status_code
        else:
            problem = check(answer)
        self.record(kind, seconds, server,
                    "%s %s: %s" % (method, path, problem) if problem else None)
        return None if problem else answer

    def page(self, kind, path, marker):
        return self.request(kind, "GET", path, lambda a: None if marker in a.text else
                            "no %s on the page (an error page?)" % marker)

    def run(self):
        while time.time() < self.deadline:
            self.shop_round()

    def shop_round(self):
        rows = []
        for _step in range(2):
            answer = self.page("catalog", "/b2b/catalog/page/%d" % self.rng.randint(1, PAGES),
                               'id="o_b2b_catalog"')
            rows += self.orderable(answer)
            self.pause()
        term = self.rng.choice(["BEN-%d" % self.rng.randint(1, 2500),
                                "Товар %d" % self.rng.randint(1, PRODUCTS),
                                "вар %d" % self.rng.randint(100, 999)])
        query = "q=%s" % quote(term) + ("&avail=stock" if self.rng.random() < 0.3 else "")
        answer = self.page("search", "/b2b/catalog?%s" % query, 'id="o_b2b_catalog"')
        rows += self.orderable(answer)
        self.pause()
        if not rows or time.time() >= self.deadline:
            return
        product_id, _qty = self.rng.choice(rows)
        self.page("product", "/b2b/product/%d" % product_id, "o_b2b_product")
        self.pause()
        for product_id, qty in self.rng.sample(rows, min(3, len(rows))):
            self.add(product_id, qty)
            self.pause()
        if time.time() >= self.deadline:
            return
        cart = self.page("cart", "/b2b/cart", 'id="o_b2b_checkout_form"')
        self.pause()
        if cart is None or time.time() >= self.deadline:
            return
        cart_id = CART_ID.search(cart.text)

        def placed(answer):
            if answer.status_code != 303 or not PLACED.search(answer.headers.get("Location", "")):
                return "no order placed (%s)" % answer.status_code
            return None
        answer = self.request("checkout", "POST", "/b2b/cart/checkout", placed, data={
            "csrf_token": csrf_of(cart.text), "cart_id": cart_id.group(1) if cart_id else "",
            "comment": "", "desired_date": ""}, allow_redirects=False)
        if answer is None:
            return
        self.checkouts += 1
        self.page("placed", answer.headers["Location"], "o_b2b_placed")
        self.pause()

    def add(self, product_id, qty):
        payload = {"jsonrpc": "2.0", "method": "call", "id": self.rng.randint(1, 10 ** 9),
                   "params": {"product_id": product_id, "qty": qty}}

        def added(answer):
            try:
                reply = answer.json()
            except ValueError:
                return "not JSON"
            if "error" in reply:
                return "error %s" % reply["error"].get("data", {}).get("message", reply["error"])
            if reply.get("result", {}).get("message"):
                return "refused: %s" % reply["result"]["message"]
            return None
        self.request("add", "POST", "/b2b/cart/add", added, json=payload)

    @staticmethod
    def orderable(answer):
        """[(product id, proposed quantity)] of the goods a page lets one add to the cart."""
        if answer is None:
            return []
        found = []
        for product_id, body in ROW.findall(answer.text):
            qty = ADD_QTY.search(body)
            if qty:
                found.append((int(product_id), qty.group(1)))
        return found


def shop(server, sessions):
    """Every session shops until SECONDS have passed; returns (samples, errors, checkouts)."""
    samples = {kind: [] for kind in KINDS}
    errors = []
    lock = threading.Lock()

    def record(kind, client, server_s, error):
        with lock:
            samples[kind].append((client, server_s))
            if error:
                errors.append(error)

    deadline = time.time() + SECONDS
    shoppers = [Shopper(number, server.base, session, deadline, record)
                for number, session in enumerate(sessions)]
    crashed = []

    def run(shopper):
        try:
            shopper.run()
        except Exception as exc:  # a client that breaks must say why, not vanish
            crashed.append(repr(exc))
    threads = [threading.Thread(target=run, args=(shopper,)) for shopper in shoppers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if crashed:
        raise SystemExit("clients failed: %s" % crashed[:3])
    return samples, errors, sum(shopper.checkouts for shopper in shoppers)


def report(samples, errors, created, expected, server_errors):
    for kind in KINDS:
        client = [sample[0] * 1000 for sample in samples[kind]]
        if not client:
            print("# %s: no request made" % kind)
            bench_line("L1", "%s_p95" % kind, float("nan"), "ms", "%dms" % TARGET_MS, False)
            continue
        server = [sample[1] * 1000 for sample in samples[kind] if sample[1] is not None]
        p95 = percentile(client, 0.95)
        bench_line("L1", "%s_p95" % kind, p95, "ms", "%dms" % TARGET_MS, p95 <= TARGET_MS)
        bench_line("L1", "%s_p50" % kind, percentile(client, 0.5), "ms", "none", True)
        if server:
            print("# %s: %d requests, server time p50 %.0f ms, p95 %.0f ms, mean %.0f ms"
                  % (kind, len(client), percentile(server, 0.5), percentile(server, 0.95),
                     statistics.mean(server)), flush=True)
    for error in errors[:10]:
        print("# error: %s" % error)
    for line in server_errors[:10]:
        print("# server log: %s" % line)
    bench_line("L1", "errors", len(errors), "", "0", not errors)
    bench_line("L1", "orders", created, "", str(expected), created == expected)


def main():
    started = time.time()
    prepare_database(DB, ["b2b_portal"])
    with environment(DB) as env:
        build_catalog(env)
        contracts, users = build_dealers(env)
        env.cr.commit()
        print("# %d goods, %d dealers with a contract and a buyer each, built in %.0f s"
              % (PRODUCTS, len(contracts), time.time() - started), flush=True)
        before = count_orders(env, contracts)
        server = Server(DB)
        try:
            # buyers of 20 different dealers, of every price type and region
            shoppers = [users[n * (DEALERS // USERS) + n % 4] for n in range(USERS)]
            sessions = [server.login(user.login) for user in shoppers]
            for session in sessions:
                session.get(server.base + "/b2b/catalog", timeout=120)
            t0 = time.time()
            samples, errors, checkouts = shop(server, sessions)
            print("# %d users shopped for %.0f s: %d requests, %d checkouts"
                  % (len(sessions), time.time() - t0, sum(len(s) for s in samples.values()),
                     checkouts), flush=True)
        finally:
            server.stop()
        created = count_orders(env, contracts) - before
        with open(os.path.join(ROOT, ".run", "%s.server.log" % DB)) as log:
            server_errors = [line.rstrip() for line in log
                             if re.search(r"\d (ERROR|CRITICAL) ", line)]
        report(samples, errors, created, checkouts, server_errors)
    if not os.environ.get("B2B_KEEP_BENCH_DB"):
        import suite
        suite.Databases().drop(DB)


if __name__ == "__main__":
    main()
