"""A chat message Bitrix24 refused, in a real browser (headless Chromium): «Альфа-Дилер»'s buyer
writes, Bitrix24 (the local stand-in) refuses the message; the panel and the page /b2b/chat mark it
«Не доставлено менеджеру» with «Отправить снова»; pressing it (the page's script) shows
«Отправляется…» at once, the job runner delivers it to Bitrix24 once, and the mark is gone.

Runs on its own copy of the database `make test` built (B2B_TEST_DB) with its own server. The
screenshot of the marked message is left in .run/test-output/browser/bitrix-chat-refused.png.
"""
import os
import sys

import pytest

from b2b_http import OUTPUT, ROOT
from b2b_server import running_copy
from browser import Browser, find_chromium, log_in
from test_browser_bitrix_chat import connect_bitrix, wait

sys.path.insert(0, os.path.join(ROOT, "tests", "standins"))
from bitrix24 import Bitrix24StandIn  # noqa: E402

DB = os.environ.get("B2B_TEST_DB")

pytestmark = [
    pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)"),
    pytest.mark.skipif(not find_chromium(), reason="chromium is not installed (runtime/bootstrap.sh)"),
]

QUESTION = "Пришлите, пожалуйста, акт сверки за ноябрь"
MARK = ".o_b2b_chat_message[data-id='%d'] .o_b2b_chat_delivery"


@pytest.fixture(scope="module")
def chat_server(tmp_path_factory):
    with running_copy(DB, tmp_path_factory.mktemp("bitrix-chat-refused")) as running:
        yield running


def test_refused_message_is_marked_and_sent_again_from_the_page(chat_server):
    server, conn = chat_server
    base = server.url
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    portal = Bitrix24StandIn(rate=50, burst=1000).start()
    portal.refuse_messages = 1
    browser = None
    try:
        connect_bitrix(base, portal)
        browser = Browser()
        log_in(browser, base, "alfa.buyer")
        browser.goto(base + "/b2b/orders")
        browser.click(".o_b2b_chat_button")
        browser.fill(".o_b2b_chat_panel .o_b2b_chat_text", QUESTION)
        browser.click(".o_b2b_chat_panel .o_b2b_chat_send")
        browser.wait_for("document.querySelector('.o_b2b_chat_panel .o_b2b_chat_mine')",
                         what="the dealer's message in the panel")
        message_id = int(browser.evaluate(
            "document.querySelector('.o_b2b_chat_panel .o_b2b_chat_mine').getAttribute('data-id')"))

        def state():
            with conn.cursor() as cr:
                cr.execute("SELECT b2b_bitrix_state FROM mail_message WHERE id = %s", (message_id,))
                found = cr.fetchone()[0]
            conn.rollback()
            return found
        wait(lambda: state() == "failed", 60, "Bitrix24's refusal")
        assert portal.connector_messages == []
        # the panel, opened on another page, shows the mark (drawn by the script)
        browser.goto(base + "/b2b/catalog")
        browser.click(".o_b2b_chat_button")
        panel = ".o_b2b_chat_panel " + MARK % message_id
        browser.wait_for("document.querySelector(%r)" % panel, what="the mark in the panel")
        assert browser.text(panel + " .o_b2b_chat_delivery_text") == "Не доставлено менеджеру"
        assert browser.text(panel + " .o_b2b_chat_resend") == "Отправить снова"
        # the page of its own shows the same; "Send again" queues it at once
        browser.goto(base + "/b2b/chat")
        page = ".o_b2b_chat_page " + MARK % message_id
        assert browser.text(page + " .o_b2b_chat_delivery_text") == "Не доставлено менеджеру"
        browser.screenshot(os.path.join(shots, "bitrix-chat-refused.png"))
        browser.evaluate("window.b2bSamePage = 1")
        browser.click(page + " .o_b2b_chat_resend")
        browser.wait_for("document.querySelector(%r)" % (page + ".o_b2b_chat_sending"),
                         what="«Sending…» under the message")
        assert browser.text(page + " .o_b2b_chat_delivery_text") == "Отправляется…"
        assert browser.evaluate("window.b2bSamePage") == 1, "the script sent it, the page stayed"
        # the job runner delivers it, once, and the mark is gone
        sent = wait(lambda: portal.connector_messages, 60, "the message in Bitrix24")
        assert [m["message"]["id"] for m in sent] == ["odoo-%d" % message_id]
        assert sent[0]["message"]["text"] == QUESTION
        wait(lambda: state() == "sent", 60, "the message sent")
        browser.goto(base + "/b2b/chat")
        assert browser.evaluate("document.querySelector(%r)" % (MARK % message_id)) is None
        assert len(portal.connector_messages) == 1
    finally:
        if browser is not None:
            browser.close()
        portal.stop()
