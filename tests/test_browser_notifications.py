"""The notification bell in a real browser (headless Chromium): «Альфа-Дилер»'s administrator has
the dashboard open when the supplier adds a document to the dealer's contract; the bell's count
goes up without a reload (here, without a proxy in front, by asking the count; behind the proxy
of the README over Odoo's bus, whose message is checked on the long-polling port), the dashboard
and the feed show it in Russian, and opening it leads to the document's download.

Runs on its own copy of the database `make test` built (B2B_TEST_DB) with its own server. The
screenshots are left in .run/test-output/browser/notifications-dashboard.png and
notifications-page.png.
"""
import base64
import json
import os
import re

import pytest

from b2b_http import OUTPUT, login
from b2b_server import admin_call, running_copy
from browser import Browser, find_chromium, log_in

DB = os.environ.get("B2B_TEST_DB")

pytestmark = [
    pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)"),
    pytest.mark.skipif(not find_chromium(), reason="chromium is not installed (runtime/bootstrap.sh)"),
]

DOCUMENT = "УПД № 4242"
BELL = "document.querySelector('.o_b2b_bell .o_b2b_bell_count')"


@pytest.fixture(scope="module")
def feed_server(tmp_path_factory):
    with running_copy(DB, tmp_path_factory.mktemp("notifications-browser")) as running:
        yield running


def bus_poll(server, session):
    """The bus messages Odoo's long-polling process (its own port) gives ``session`` now."""
    answer = session.post("http://127.0.0.1:%d/longpolling/poll" % server.longpolling, json={
        "jsonrpc": "2.0", "method": "call", "params": {"channels": [], "last": 0, "options": {}}},
        timeout=70)
    body = answer.json()
    assert "error" not in body, body["error"]
    return body["result"]


def test_the_bell_counts_a_new_document_without_a_reload(feed_server):
    server, conn = feed_server
    base = server.url
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    with conn.cursor() as cr:
        cr.execute("""SELECT c.id, c.partner_id FROM ir_model_data x JOIN b2b_contract c
                        ON c.id = x.res_id
                       WHERE x.module = 'b2b_base' AND x.name = 'demo_contract_alfa_main'""")
        contract, partner = cr.fetchone()
        cr.execute("SELECT partner_id FROM res_users WHERE login = 'alfa.admin'")
        admin_partner = cr.fetchone()[0]
    conn.rollback()
    browser = Browser()
    try:
        log_in(browser, base, "alfa.admin")
        before = int(browser.evaluate(BELL + ".textContent"))
        supplier, _answer = login(base, "admin", "admin")
        document = admin_call(supplier, base, "b2b.document", "create", [{
            "name": DOCUMENT, "kind": "upd", "partner_id": partner, "contract_id": contract,
            "file_name": "upd-4242.pdf",
            "file_data": base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()}])
        browser.wait_for("%s.textContent === '%d'" % (BELL, before + 1),
                         what="the bell counting the new document", timeout=60)
        assert browser.evaluate("location.pathname").endswith("/my"), "no reload, no other page"
        # the dashboard shows it first, in Russian
        browser.goto(base + "/my")
        first = browser.text("#o_b2b_dashboard_feed .o_b2b_notification_title")
        assert first == "Новый документ: %s" % DOCUMENT
        browser.screenshot(os.path.join(shots, "notifications-dashboard.png"))
        browser.goto(base + "/b2b/notifications")
        browser.screenshot(os.path.join(shots, "notifications-page.png"))
        link = browser.evaluate("document.querySelector('.o_b2b_notifications "
                                ".o_b2b_notification_link').getAttribute('href')")
        # the bus told the administrator, on the administrator's own channel only
        alfa, _answer = login(base, "alfa.admin", "alfa.admin")
        told = [n for n in bus_poll(server, alfa)
                if n["message"].get("type") == "b2b_notification" and n["message"].get("notification")]
        assert {tuple(n["channel"][1:]) for n in told} == {("res.partner", admin_partner)}
        assert [n["message"]["notification"]["title"] for n in told] == [
            "Новый документ: %s" % DOCUMENT]
        # opening it leads to the document (a download)
        opened = alfa.get(base + link, timeout=60, allow_redirects=False)
        assert opened.headers["Location"].endswith("/b2b/document/%d" % document)
        beta, _answer = login(base, "beta.admin", "beta.admin")
        assert DOCUMENT not in json.dumps(bus_poll_quick(server, beta), ensure_ascii=False)
    finally:
        browser.close()
    for name in ("notifications-dashboard.png", "notifications-page.png"):
        assert os.path.getsize(os.path.join(shots, name)) > 10000


def bus_poll_quick(server, session):
    """What the bus gives ``session`` after its own page made it a message (its unread count,
    told when it reads all), so that the poll answers at once."""
    page = session.get(server.url + "/b2b/notifications", timeout=60).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    session.post(server.url + "/b2b/notifications/read_all", data={"csrf_token": token},
                 timeout=60)
    return bus_poll(server, session)
