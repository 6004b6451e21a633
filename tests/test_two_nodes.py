"""Two Odoo nodes on one PostgreSQL (Odoo's own scale-out, on loopback): what a reverse proxy in front
of N nodes relies on.

Both nodes are the real server (runtime/launcher.py, odoo.conf, each with its own HTTP and
long-polling ports and its own queue_job runner; node A with two workers, node B with one, so that
the caches a test fills on node B are surely those that answer its next request), on one copy of the
database `make test` has just built (B2B_TEST_DB) and one data_dir (sessions and filestore), started
once for this module:

- a dealer's session made on node A is the dealer's session on node B;
- a price changed through node A (by the supplier over JSON-RPC, or by a 1C offers import) is the
  price node B's catalog shows on the next request, though node B kept the catalog's price tables
  and listings in its ormcache: the change clears the caches through Odoo's cache signalling,
  which every worker of every node checks at the start of each request;
- a queue job runs exactly once while both nodes' job runners see it.
"""
import os
import re
import time

import pytest

from b2b_http import login
from b2b_db import DatabaseName, connect, copy_database, drop_database, sql
from b2b_server import Server
from node_helpers import Rpc
from standins import onec_client

DB = os.environ.get("B2B_TEST_DB")

pytestmark = pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)")

ROW = re.compile(r'<tr class="o_b2b_product" data-product-id="(\d+)" data-sku="[^"]*" '
                 r'data-price="([^"]*)"')
WARM_REQUESTS = 2   # the first fills node B's caches, the second answers from them
EXCHANGE_OWNER = ("<Владелец><Ид>owner-1</Ид><Наименование>Поставщик</Наименование>"
                  "<ОфициальноеНаименование>ООО «Поставщик»</ОфициальноеНаименование></Владелец>")


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    folder = str(tmp_path_factory.mktemp("two_nodes"))
    data_dir = os.path.join(folder, "data")     # shared: sessions and filestore
    keeper = DatabaseName()
    db = keeper.name
    started = []
    try:
        copy_database(DB, db, filestore_to=os.path.join(data_dir, "filestore", db))
        # node B has one HTTP worker: the caches the tests warm there are the ones it answers from
        for name, workers in (("a", 2), ("b", 1)):
            started.append(Server(db, folder, name=name, workers=workers, data_dir=data_dir))
        for node in started:
            node.wait()
        yield started
    finally:
        for node in started:
            node.stop()
        drop_database(db)
        keeper.release()
    for node in started:
        errors = node.errors()
        assert not errors, "node %s logged errors:\n%s" % (node.name, "\n".join(errors[:20]))


def catalog_prices(session, node):
    """{product id: price} of the first catalog page as the dealer of ``session`` sees it on
    ``node``."""
    page = session.get(node.url + "/b2b/catalog", timeout=60)
    assert page.status_code == 200 and "/web/login" not in page.url
    prices = {int(pid): price for pid, price in ROW.findall(page.text)}
    assert prices, "the catalog lists no goods"
    return prices


def dealer_session(node):
    session, answer = login(node.url, "alfa.admin", "alfa.admin")
    assert "window.location = '/my'" in answer.text, "the dealer could not log in"
    return session


def price_record(admin, product_id, shown):
    """The b2b.price record behind the price ``shown`` for ``product_id``."""
    prices = admin("b2b.price", "search_read", [("product_id", "=", product_id)],
                   fields=["price", "price_type_id"])
    found = [p for p in prices if "%.2f" % p["price"] == shown]
    assert found, "no price of product %d is %s" % (product_id, shown)
    return found[0]


def contract_of(admin, price):
    """A contract whose goods are priced with ``price``'s price type."""
    return admin("b2b.contract", "search", [("price_type_id", "=", price["price_type_id"][0])],
                 limit=1)[0]


def whole_catalog(admin, contract_id):
    """{product id (text): offer} of every product of the contract: the whole-catalog price
    tables each worker keeps in its ormcache (b2b.price._b2b_catalog_table / _b2b_price_table)."""
    return admin("b2b.contract", "b2b_get_offers", [contract_id])


def warm(session, node, admin, contract_id):
    """Fill the caches of ``node``'s worker: the dealer's catalog listing and the contract's
    whole-catalog price tables."""
    for _attempt in range(WARM_REQUESTS):
        catalog_prices(session, node)
        whole_catalog(admin, contract_id)


def test_dealer_session_made_on_node_a_works_on_node_b(nodes):
    a, b = nodes
    session = dealer_session(a)
    my = session.get(b.url + "/my", timeout=60)
    assert my.status_code == 200
    assert "/web/login" not in my.url, "node B sent the dealer to the login page"
    assert "Анна Смирнова" in my.text
    # and logging out on node B ends the session on node A
    session.get(b.url + "/web/session/logout", timeout=60)
    again = session.get(a.url + "/my", timeout=60, allow_redirects=False)
    assert again.status_code in (302, 303) and "/web/login" in again.headers["Location"]


def test_price_changed_through_node_a_shows_on_node_b(nodes):
    """The supplier changes one price and removes another through node A; node B's next pages
    show the new price and no longer list the goods without a price, and node B's whole-catalog
    prices (the ormcache'd tables) are the new ones."""
    a, b = nodes
    session = dealer_session(b)
    before = catalog_prices(session, b)
    admin_a, admin_b = Rpc(a.url, a.db, "admin", "admin"), Rpc(b.url, b.db, "admin", "admin")
    (changed_id, changed_shown), (removed_id, removed_shown) = sorted(before.items())[:2]
    changed = price_record(admin_a, changed_id, changed_shown)
    removed = price_record(admin_a, removed_id, removed_shown)
    contract_id = contract_of(admin_a, changed)
    warm(session, b, admin_b, contract_id)
    new = round(changed["price"] + 111.11, 2)
    admin_a("b2b.price", "write", [changed["id"]], {"price": new})
    admin_a("b2b.price", "unlink", [removed["id"]])
    for _attempt in range(WARM_REQUESTS):
        shown = catalog_prices(session, b)
        assert shown[changed_id] == "%.2f" % new, \
            "node B's catalog still shows the price it had before node A changed it"
        assert removed_id not in shown, \
            "node B's catalog still lists goods whose price was removed through node A"
        offers = whole_catalog(admin_b, contract_id)
        assert offers[str(changed_id)]["price"] == new, \
            "node B's whole-catalog prices are still those from before node A's change"
        assert offers.get(str(removed_id), {}).get("price") is None, \
            "node B's whole-catalog prices still have the price removed through node A"


def test_price_imported_from_1c_on_node_a_shows_on_node_b(nodes):
    """1C sends an offers package with a new price, imported on node A (the exchange writes
    prices by SQL); node B's catalog and whole-catalog prices show it on the next request."""
    a, b = nodes
    session = dealer_session(b)
    before = catalog_prices(session, b)
    product_id, shown = sorted(before.items())[-1]
    admin_a, admin_b = Rpc(a.url, a.db, "admin", "admin"), Rpc(b.url, b.db, "admin", "admin")
    price = price_record(admin_a, product_id, shown)
    contract_id = contract_of(admin_a, price)
    type_onec_id = admin_a("b2b.price.type", "read", [price["price_type_id"][0]],
                           ["b2b_onec_id"])[0]["b2b_onec_id"]
    template_id = admin_a("product.product", "read", [product_id],
                          ["product_tmpl_id"])[0]["product_tmpl_id"][0]
    goods_onec_id = "two-nodes-%d" % product_id     # the goods as 1C knows them
    admin_a("product.template", "write", [template_id], {"b2b_onec_id": goods_onec_id})
    groups = [admin_a("ir.model.data", "xmlid_to_res_id", xmlid)
              for xmlid in ("base.group_user", "b2b_1c_bridge.group_onec_exchange")]
    admin_a("res.users", "create", {"name": "1C exchange", "login": "1c-exchange",
                                    "password": "1c-exchange", "groups_id": [(6, 0, groups)]})
    warm(session, b, admin_b, contract_id)
    new = round(price["price"] + 222.22, 2)
    offers = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="2.05" '
        'ДатаФормирования="2026-01-01T10:00:00"><ПакетПредложений><Ид>cat-1#</Ид>'
        '<Наименование>Пакет предложений</Наименование><ИдКаталога>cat-1</ИдКаталога>%s'
        '<ТипыЦен><ТипЦены><Ид>%s</Ид><Наименование>Тип</Наименование><Валюта>RUB</Валюта>'
        '</ТипЦены></ТипыЦен><Предложения><Предложение><Ид>%s</Ид><Наименование>Товар'
        '</Наименование><Цены><Цена><ИдТипаЦены>%s</ИдТипаЦены><ЦенаЗаЕдиницу>%.2f'
        '</ЦенаЗаЕдиницу><Валюта>RUB</Валюта></Цена></Цены></Предложение></Предложения>'
        '</ПакетПредложений></КоммерческаяИнформация>\n'
        % (EXCHANGE_OWNER, type_onec_id, goods_onec_id, type_onec_id, new)).encode("utf-8")
    # 1C's calls reach whichever node the proxy picks: the package is uploaded to node B and
    # imported on node A (the exchange's session is in the database, its files in the filestore)
    client = onec_client.OnecExchangeClient(b.url, "1c-exchange", "1c-exchange")
    client._expect(client.checkauth())
    client._expect(client.init())
    if client.zip:
        uploads = client.upload("catalog", "exchange.zip", client.pack([("offers.xml", offers)]))
    else:
        uploads = client.upload("catalog", "offers.xml", offers)
    assert all(answer.ok for answer in uploads), uploads
    client.url = a.url + onec_client.EXCHANGE_PATH
    imported = client.import_file("catalog", "offers.xml")
    assert imported[-1].verdict == "success", imported
    assert admin_a("b2b.price", "read", [price["id"]], ["price"])[0]["price"] == new
    for _attempt in range(WARM_REQUESTS):
        assert catalog_prices(session, b)[product_id] == "%.2f" % new, \
            "node B's catalog still shows the price it had before 1C's offers reached node A"
        assert whole_catalog(admin_b, contract_id)[str(product_id)]["price"] == new, \
            "node B's whole-catalog prices are still those from before 1C's offers reached node A"


def test_queue_job_runs_once_with_both_job_runners(nodes):
    """Both nodes run queue_job's job runner on the same database; each job (one that creates a
    partner tag named after it) runs once and is done, not once per runner. The jobs take a few
    seconds, as a 1C import does: the table their job writes to is locked meanwhile."""
    a = nodes[0]
    for node in nodes:
        node.wait_job_runner(60)
    admin = Rpc(a.url, a.db, "admin", "admin")
    names = ["two nodes job %d" % i for i in range(12)]
    blocker = connect(a.db)
    blocker.autocommit = False
    try:
        with blocker.cursor() as cr:
            cr.execute("LOCK TABLE res_partner_category IN EXCLUSIVE MODE")
            # what with_delay() stores, for 12 jobs at once
            job_ids = [row[0] for row in sql(a.db, """
                INSERT INTO queue_job (uuid, name, model_name, method_name, record_ids, args,
                                       kwargs, date_created, channel, state, user_id, priority,
                                       max_retries, retry)
                SELECT md5(random()::text || n), n, 'res.partner.category', 'create', '[]',
                       json_build_array(json_build_object('name', n))::text, '{}',
                       now() at time zone 'utc', 'root', 'pending', %s, 10, 5, 0
                  FROM unnest(%s::text[]) AS n RETURNING id""", (admin.uid, names))]
            time.sleep(3)
    finally:
        blocker.rollback()
        blocker.close()
    deadline = time.time() + 60
    while True:
        states = dict(sql(a.db, "SELECT id, state FROM queue_job WHERE id = ANY(%s)", (job_ids,)))
        if all(state in ("done", "failed") for state in states.values()):
            break
        assert time.time() < deadline, "the jobs did not run: %s" % states
        time.sleep(0.3)
    time.sleep(2)   # a second run, if any, has ended by now
    runs = dict(sql(a.db, "SELECT name, count(*) FROM res_partner_category WHERE name = ANY(%s) "
                          "GROUP BY name", (names,)))
    states = dict(sql(a.db, "SELECT name, state FROM queue_job WHERE id = ANY(%s)", (job_ids,)))
    assert runs == {name: 1 for name in names}, "jobs did not run exactly once: %s" % {
        name: runs.get(name, 0) for name in names if runs.get(name) != 1}
    assert states == {name: "done" for name in names}, states
