"""The chat with the manager in a real browser (headless Chromium), end to end: «Альфа-Дилер»'s
buyer opens the chat panel from the orders page, writes to the manager; the message goes through the
job runner to Bitrix24 (the local stand-in, installed as the portal's local application over
HTTP), whose operator answers at once; the answer comes back as Bitrix24's event, and the open
panel shows it without a reload (the bus of the portal's own host, else the unread count asked
every few seconds after writing). Then the page /b2b/chat shows the same conversation.

Runs on its own copy of the database `make test` built (B2B_TEST_DB) with its own server. The
screenshot of the panel with the manager's reply is left in
.run/test-output/browser/bitrix-chat.png.
"""
import json
import os
import re
import sys
import time

import pytest

from b2b_http import OUTPUT, ROOT, login
from b2b_server import admin_call, running_copy
from browser import Browser, find_chromium, log_in

sys.path.insert(0, os.path.join(ROOT, "tests", "standins"))
from bitrix24 import Bitrix24StandIn  # noqa: E402

DB = os.environ.get("B2B_TEST_DB")

pytestmark = [
    pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)"),
    pytest.mark.skipif(not find_chromium(), reason="chromium is not installed (runtime/bootstrap.sh)"),
]

QUESTION = "Добрый день! Когда отгрузите заказ на миксеры?"
ANSWER = "Отгрузим [b]завтра до 12:00[/b], счёт уже у вас."


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory):
    """(server, psycopg2 connection) of a server on a copy of B2B_TEST_DB (its long-polling port
    too), dropped at the end."""
    with running_copy(DB, tmp_path_factory.mktemp("bitrix-chat-browser")) as running:
        yield running


def bus_poll(server, session):
    """The notifications Odoo's long-polling process (its own port) gives ``session`` now."""
    answer = session.post("http://127.0.0.1:%d/longpolling/poll" % server.longpolling, json={
        "jsonrpc": "2.0", "method": "call", "params": {"channels": [], "last": 0, "options": {}}},
        timeout=70)
    body = answer.json()
    assert "error" not in body, body["error"]
    return body["result"]


def post_form(base, session, text):
    page = session.get(base + "/b2b/chat", timeout=60).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = session.post(base + "/b2b/chat/post", data={"csrf_token": token, "text": text},
                          timeout=60, allow_redirects=False)
    assert answer.status_code == 303, answer.text[:300]


def connect_bitrix(base, portal):
    """The portal's settings pointed at the stand-in, and the local application installed there
    the way Bitrix24 installs it (its installation POST), which binds the events and activates
    the chat connector on open line 1."""
    admin, _answer = login(base, "admin", "admin")
    params = {
        "b2b_bitrix_bridge.webhook_url": portal.webhook_url,
        "b2b_bitrix_bridge.client_id": portal.client_id,
        "b2b_bitrix_bridge.client_secret": portal.client_secret,
        "b2b_bitrix_bridge.oauth_url": portal.oauth_url,
        "b2b_bitrix_bridge.application_token": portal.application_token,
        "b2b_bitrix_bridge.line_id": "1",
        "b2b_bitrix_bridge.rate": "50",
        "b2b_bitrix_bridge.burst": "1000",
        "web.base.url": base,
        "web.base.url.freeze": "True",
    }
    for key, value in params.items():
        admin_call(admin, base, "ir.config_parameter", "set_param", [key, value])
    auth = portal.install_app()
    answer = admin.post(base + "/b2b/bitrix/install", timeout=120,
                        data={"auth[%s]" % key: str(value) for key, value in auth.items()})
    assert (answer.status_code, answer.text) == (200, "OK"), answer.text[:500]


def wait(condition, seconds, what):
    deadline = time.time() + seconds
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("timed out waiting for %s" % what)


def test_dealer_writes_and_sees_the_managers_reply_live(chat_server):
    server, conn = chat_server
    base = server.url
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    with conn.cursor() as cr:
        cr.execute("""SELECT d.id, p.name FROM ir_model_data x
                        JOIN res_partner d ON d.id = x.res_id
                        JOIN res_users u ON u.id = d.b2b_manager_id
                        JOIN res_partner p ON p.id = u.partner_id
                       WHERE x.module = 'b2b_base' AND x.name = 'demo_dealer_alfa'""")
        dealer_id, manager_name = cr.fetchone()
        cr.execute("SELECT partner_id FROM res_users WHERE login = 'alfa.buyer'")
        buyer_partner = cr.fetchone()[0]
    conn.rollback()
    portal = Bitrix24StandIn(rate=50, burst=1000).start()
    portal.auto_answer = {"text": ANSWER}
    browser = None
    try:
        connect_bitrix(base, portal)
        browser = Browser()
        log_in(browser, base, "alfa.buyer")
        browser.goto(base + "/b2b/orders")
        # without a proxy in front, /longpolling/ is not served on this port: the page does not
        # call it (each call would be an error in the log) and asks the unread count instead
        assert browser.evaluate("document.querySelector('.o_b2b_chat_panel .o_b2b_chat')"
                                ".getAttribute('data-bus')") == "0"
        browser.click(".o_b2b_chat_button")
        browser.wait_for("!document.querySelector('.o_b2b_chat_panel').classList.contains('hidden')",
                         what="the chat panel")
        browser.fill(".o_b2b_chat_panel .o_b2b_chat_text", QUESTION)
        browser.click(".o_b2b_chat_panel .o_b2b_chat_send")
        browser.wait_for("document.querySelector('.o_b2b_chat_panel .o_b2b_chat_mine')",
                         what="the dealer's message in the panel")
        # the message reaches Bitrix24's open line, in the dealer's chat
        sent = wait(lambda: portal.connector_messages, 60, "the message in Bitrix24")
        assert sent[0]["chat"]["id"] == "dealer-%d" % dealer_id
        assert sent[0]["LINE"] == 1
        assert sent[0]["message"]["text"] == QUESTION
        # the operator's answer appears in the open panel without a reload
        browser.wait_for("document.querySelector('.o_b2b_chat_panel .o_b2b_chat_manager')",
                         what="the manager's reply in the panel", timeout=90)
        reply = ".o_b2b_chat_panel .o_b2b_chat_manager"
        assert browser.text(reply + " .o_b2b_chat_author") == manager_name
        assert browser.text(reply + " .o_b2b_chat_body strong") == "завтра до 12:00"
        assert "[b]" not in browser.text(reply + " .o_b2b_chat_body")
        assert browser.evaluate("location.pathname") == "/b2b/orders"
        browser.screenshot(os.path.join(shots, "bitrix-chat.png"))
        # Odoo's bus (the long-polling port a proxy routes /longpolling/ to) has told the
        # dealer's user on the user's own partner channel (the bus keeps a notification 50 s)
        buyer, _answer = login(base, "alfa.buyer", "alfa.buyer")
        notes = bus_poll(server, buyer)
        told = [n for n in notes if n["message"].get("type") == "b2b_chat_message"]
        assert {tuple(n["channel"][1:]) for n in told} == {("res.partner", buyer_partner)}
        replies = [n["message"]["message"] for n in told if n["message"]["message"]["from_manager"]]
        assert len(replies) == 1 and "завтра до 12:00" in replies[0]["body"]
        # another dealer's user hears its own chat only
        beta, _answer = login(base, "beta.buyer", "beta.buyer")
        post_form(base, beta, "Вопрос от Беты")
        notes = bus_poll(server, beta)
        assert notes, "beta's own chat message is on its bus"
        assert "завтра до 12:00" not in json.dumps(notes, ensure_ascii=False)
        assert QUESTION not in json.dumps(notes, ensure_ascii=False)
        # Bitrix24 is told the reply was delivered
        receipts = wait(lambda: portal.delivery_receipts, 60, "the delivery receipt")
        assert receipts[0]["chat"]["id"] == "dealer-%d" % dealer_id
        # the page of its own shows the same conversation, read
        browser.goto(base + "/b2b/chat")
        assert browser.evaluate(
            "document.querySelectorAll('.o_b2b_chat_page .o_b2b_chat_message').length") == 2
        assert browser.evaluate(
            "document.querySelector('.o_b2b_nav_chat .o_b2b_chat_unread').classList"
            ".contains('hidden')")
    finally:
        if browser is not None:
            browser.close()
        portal.stop()
    assert os.path.getsize(os.path.join(shots, "bitrix-chat.png")) > 10000
    assert "bus.Bus unavailable" not in server.text()
