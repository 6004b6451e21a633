"""The page's one live listener in a real browser (headless Chromium), behind a reverse proxy as the
suite's README sets it up (``/longpolling/`` to Odoo's long-polling port, the rest to the HTTP
port, ``proxy_mode``): «Альфа-Дилер»'s buyer has the orders page open, with the notification bell
and the chat panel. The page holds ONE long-poll on the bus at a time, not one per part; the
supplier adds a document to the dealer's contract and the bell counts it, the manager answers in
Bitrix24 (the local stand-in) and the open panel shows the reply, each from its bus message, with
no asking on a timer. Then the panel is shown on a phone (375 px wide): it fits the screen.

Runs on its own copy of the database `make test` built (B2B_TEST_DB) with its own server. The
screenshot of the panel on the phone is left in .run/test-output/browser/bitrix-chat-phone.png.
"""
import base64
import contextlib
import http.client
import http.server
import json
import os
import socket
import sys
import threading
import time

import pytest

from b2b_db import DatabaseName, connect, copy_database, drop_database
from b2b_http import OUTPUT, ROOT, login
from b2b_server import Server, admin_call, free_port
from browser import Browser, find_chromium, log_in
from test_browser_bitrix_chat import ANSWER, QUESTION, connect_bitrix, wait

sys.path.insert(0, os.path.join(ROOT, "tests", "standins"))
from bitrix24 import Bitrix24StandIn  # noqa: E402

DB = os.environ.get("B2B_TEST_DB")

pytestmark = [
    pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)"),
    pytest.mark.skipif(not find_chromium(), reason="chromium is not installed (runtime/bootstrap.sh)"),
]

DOCUMENT = "УПД № 5151"
DOCUMENT_LATER = "УПД № 5152"
LATER_ANSWER = "Накладная будет в документах к вечеру."
BELL = "document.querySelector('.o_b2b_bell .o_b2b_bell_count')"
PANEL = ".o_b2b_chat_panel"

# Counts, in the page, the requests it makes (fetch and XMLHttpRequest) by path, and how many
# long-polls are pending at once; installed before the page's own scripts run.
WATCH = """
(function () {
    var seen = window.__b2bRequests = {polls: 0, pending: 0, most: 0, paths: {}};
    function track(url, promise) {
        var path = new URL(url, location.href).pathname;
        seen.paths[path] = (seen.paths[path] || 0) + 1;
        if (path !== "/longpolling/poll") {
            return promise;
        }
        seen.polls += 1;
        seen.pending += 1;
        seen.most = Math.max(seen.most, seen.pending);
        function done() { seen.pending -= 1; }
        promise.then(done, done);
        return promise;
    }
    var fetch = window.fetch;
    window.fetch = function (input, init) {
        return track(typeof input === "string" ? input : input.url, fetch.apply(this, arguments));
    };
    var open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
    XMLHttpRequest.prototype.open = function (method, url) {
        this.__b2bUrl = url;
        return open.apply(this, arguments);
    };
    XMLHttpRequest.prototype.send = function () {
        var xhr = this;
        track(xhr.__b2bUrl, new Promise(function (resolve) { xhr.addEventListener("loadend", resolve); }));
        return send.apply(this, arguments);
    };
})();
"""
SEEN = "window.__b2bRequests"


class _Forward(http.server.BaseHTTPRequestHandler):
    """One request passed on, whole, to the Odoo port its path belongs to."""
    protocol_version = "HTTP/1.0"
    HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade",
           "content-length"}

    def _forward(self):
        proxy = self.server.proxy
        port = proxy.longpolling if self.path.startswith("/longpolling/") else proxy.http
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in self.HOP}
        headers.update({"X-Forwarded-Host": self.headers.get("Host", ""),
                        "X-Forwarded-For": self.client_address[0], "X-Forwarded-Proto": "http"})
        if body is not None:
            headers["Content-Length"] = str(len(body))
        upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            upstream.request(self.command, self.path, body=body, headers=headers)
            answer = upstream.getresponse()
            data = answer.read()
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in self.HOP:
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        finally:
            upstream.close()

    do_GET = do_POST = do_HEAD = _forward

    def log_message(self, *args):
        """The proxy's requests stay out of the test's output."""


class _ProxyServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        """A browser that closes a pending long-poll (the page left, the browser closed) is not
        an error of the proxy; anything else is shown."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super(_ProxyServer, self).handle_error(request, client_address)


class ReverseProxy(object):
    """The README's reverse proxy in front of ``server``, on a port of its own (``url``)."""

    def __init__(self, server):
        self.http, self.longpolling = server.port, server.longpolling
        self.httpd = _ProxyServer(("127.0.0.1", free_port()), _Forward)
        self.httpd.proxy = self
        self.url = "http://127.0.0.1:%d" % self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def wait_listening(port, seconds=30):
    """Until something accepts connections on ``port`` (the long-polling process starts beside
    the HTTP workers, not necessarily before them)."""
    deadline = time.time() + seconds
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return
        except OSError:
            assert time.time() < deadline, "nothing listens on port %d" % port
            time.sleep(0.2)


@contextlib.contextmanager
def proxied_copy(db, folder):
    """(Server, proxy, psycopg2 connection): a server with ``proxy_mode`` on a copy of ``db``
    behind the reverse proxy; all dropped at the end."""
    name = DatabaseName()
    copy_database(db, name.name)
    server = proxy = conn = None
    try:
        server = Server(name.name, folder, extra=["--proxy-mode"])
        server.wait()
        wait_listening(server.longpolling)
        proxy = ReverseProxy(server)
        conn = connect(name.name)
        yield server, proxy, conn
    finally:
        if conn is not None:
            conn.close()
        if proxy is not None:
            proxy.stop()
        if server is not None:
            server.stop()
        drop_database(name.name)
        name.release()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """The server behind the proxy, with Bitrix24 (the stand-in, its operator answering a chat's
    first message) connected, and what the tests need of the demo: a dict."""
    with proxied_copy(DB, tmp_path_factory.mktemp("bus-browser")) as (server, proxy, conn):
        with conn.cursor() as cr:
            cr.execute("""SELECT c.id, c.partner_id FROM ir_model_data x JOIN b2b_contract c
                            ON c.id = x.res_id
                           WHERE x.module = 'b2b_base' AND x.name = 'demo_contract_alfa_main'""")
            contract, partner = cr.fetchone()
            cr.execute("""SELECT d.id, p.name FROM ir_model_data x
                            JOIN res_partner d ON d.id = x.res_id
                            JOIN res_users u ON u.id = d.b2b_manager_id
                            JOIN res_partner p ON p.id = u.partner_id
                           WHERE x.module = 'b2b_base' AND x.name = 'demo_dealer_alfa'""")
            dealer, manager_name = cr.fetchone()
        conn.rollback()
        portal = Bitrix24StandIn(rate=50, burst=1000).start()
        portal.auto_answer = {"text": ANSWER}
        try:
            connect_bitrix(proxy.url, portal)
            yield {"server": server, "proxy": proxy, "portal": portal, "contract": contract,
                   "partner": partner, "dealer": dealer, "manager_name": manager_name}
        finally:
            portal.stop()


def seen(browser):
    return browser.evaluate("JSON.parse(JSON.stringify(%s))" % SEEN)


def add_document(base, live, name):
    """The supplier adds the printed form ``name`` to «Альфа-Дилер»'s main contract."""
    supplier, _answer = login(base, "admin", "admin")
    admin_call(supplier, base, "b2b.document", "create", [{
        "name": name, "kind": "upd", "partner_id": live["partner"],
        "contract_id": live["contract"], "file_name": "upd.pdf",
        "file_data": base64.b64encode(b"%PDF-1.4\n%%EOF\n").decode()}])


def pause(browser, ms):
    browser.evaluate("new Promise(function (done) { setTimeout(done, %d); })" % ms)


def test_one_long_poll_feeds_the_bell_and_the_chat(live):
    server, proxy, portal = live["server"], live["proxy"], live["portal"]
    manager_name = live["manager_name"]
    base = proxy.url
    shots = os.path.join(OUTPUT, "browser")
    os.makedirs(shots, exist_ok=True)
    browser = None
    try:
        browser = Browser()
        browser.send("Page.addScriptToEvaluateOnNewDocument", source=WATCH)
        log_in(browser, base, "alfa.buyer")
        browser.goto(base + "/b2b/orders")
        # behind the proxy both the bell and the chat say the bus answers on the page's host
        assert browser.evaluate("document.querySelector('.o_b2b_bell').getAttribute('data-bus')") == "1"
        assert browser.evaluate("document.querySelector('%s .o_b2b_chat')"
                                ".getAttribute('data-bus')" % PANEL) == "1"
        browser.wait_for(SEEN + ".pending >= 1", what="the page's long-poll", timeout=30)
        # the bell and the chat share it: the page holds one long-poll, never two at once
        pause(browser, 1500)
        assert seen(browser)["most"] == 1, seen(browser)

        # the bell counts a new document from its bus message
        before = int(browser.evaluate(BELL + ".textContent"))
        add_document(base, live, DOCUMENT)
        browser.wait_for("%s.textContent === '%d'" % (BELL, before + 1),
                         what="the bell counting the new document", timeout=20)

        # the dealer writes; the manager's reply appears in the open panel from its bus message
        browser.click(".o_b2b_chat_button")
        browser.wait_for("!document.querySelector('%s').classList.contains('hidden')" % PANEL,
                         what="the chat panel")
        browser.fill(PANEL + " .o_b2b_chat_text", QUESTION)
        browser.click(PANEL + " .o_b2b_chat_send")
        browser.wait_for("document.querySelector('%s .o_b2b_chat_mine')" % PANEL,
                         what="the dealer's message in the panel")
        wait(lambda: portal.connector_messages, 60, "the message in Bitrix24")
        browser.wait_for("document.querySelector('%s .o_b2b_chat_manager')" % PANEL,
                         what="the manager's reply in the panel", timeout=60)
        reply = PANEL + " .o_b2b_chat_manager"
        assert browser.text(reply + " .o_b2b_chat_author") == manager_name
        assert browser.text(reply + " .o_b2b_chat_body strong") == "завтра до 12:00"
        assert browser.evaluate("location.pathname") == "/b2b/orders"
        # read in the open panel: the button counts no unread reply
        browser.wait_for("document.querySelector('.o_b2b_chat_button .o_b2b_chat_unread')"
                         ".classList.contains('hidden')", what="no unread reply", timeout=10)

        # all of it came over the one long-poll: still one at a time, the bus still answering,
        # and neither part asked for its state on a timer
        state = seen(browser)
        assert state["most"] == 1 and state["polls"] >= 2, state
        assert browser.evaluate("window.b2b.bus.state()") == "bus"
        assert "/b2b/notifications/unread" not in state["paths"], state

        # on a phone the panel fits the screen, the reply and the form in sight
        browser.send("Emulation.setDeviceMetricsOverride", width=375, height=740,
                     deviceScaleFactor=2, mobile=True)
        pause(browser, 300)
        box = browser.evaluate("""(function () {
            function rect(selector) {
                var r = document.querySelector(selector).getBoundingClientRect();
                return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
            }
            return {width: window.innerWidth, height: window.innerHeight,
                    panel: rect('%(p)s'), reply: rect('%(p)s .o_b2b_chat_manager'),
                    text: rect('%(p)s .o_b2b_chat_text'), send: rect('%(p)s .o_b2b_chat_send'),
                    files: rect('%(p)s .o_b2b_chat_files'),
                    wide: document.querySelector('%(p)s').scrollWidth -
                          document.querySelector('%(p)s').clientWidth};
        })()""" % {"p": PANEL})
        assert box["width"] == 375, box
        for part in ("panel", "text", "send", "files"):
            assert 0 <= box[part]["left"] and box[part]["right"] <= box["width"], (part, box)
            assert 0 <= box[part]["top"] and box[part]["bottom"] <= box["height"], (part, box)
        assert box["reply"]["right"] <= box["panel"]["right"], box
        assert box["wide"] <= 0, "the panel scrolls sideways: %s" % json.dumps(box)
        browser.send("Page.captureScreenshot", format="png")  # let the page settle at its size
        data = browser.send("Page.captureScreenshot", format="png")["data"]
        with open(os.path.join(shots, "bitrix-chat-phone.png"), "wb") as out:
            out.write(base64.b64decode(data))
    finally:
        if browser is not None:
            browser.close()
    assert os.path.getsize(os.path.join(shots, "bitrix-chat-phone.png")) > 10000
    assert "bus.Bus unavailable" not in server.text()


def test_the_bell_and_the_chat_ask_on_a_timer_when_the_bus_fails(live):
    """A proxy that sends /longpolling/ to the HTTP port leaves the bus dead (the poll answers an
    error): after two failed polls the page stops polling; the bell asks its count, the chat its
    unread count (every 5 s after the dealer wrote), and both still follow what happens."""
    proxy, portal = live["proxy"], live["portal"]
    base = proxy.url
    proxy.longpolling = proxy.http
    browser = None
    try:
        browser = Browser()
        browser.send("Page.addScriptToEvaluateOnNewDocument", source=WATCH)
        log_in(browser, base, "alfa.buyer")
        browser.goto(base + "/b2b/orders")
        before = int(browser.evaluate(BELL + ".textContent"))
        add_document(base, live, DOCUMENT_LATER)
        browser.wait_for("window.b2b.bus.state() === 'fallback'", timeout=20,
                         what="the page giving up the bus")
        # the document came while the bus failed: the bell asks at once, and counts it
        browser.wait_for("%s.textContent === '%d'" % (BELL, before + 1),
                         what="the bell asking its count", timeout=40)
        # the dealer writes, the manager answers: the panel asks within 5 s and shows it
        browser.click(".o_b2b_chat_button")
        browser.wait_for("!document.querySelector('%s').classList.contains('hidden')" % PANEL,
                         what="the chat panel")
        sent = len(portal.connector_messages)
        browser.fill(PANEL + " .o_b2b_chat_text", "А накладную пришлёте?")
        browser.click(PANEL + " .o_b2b_chat_send")
        wait(lambda: len(portal.connector_messages) > sent, 60, "the message in Bitrix24")
        portal.operator_reply("dealer-%d" % live["dealer"], LATER_ANSWER)
        browser.wait_for("Array.prototype.some.call(document.querySelectorAll('%s .o_b2b_chat_manager'"
                         "), function (m) { return m.textContent.indexOf(%s) >= 0; })"
                         % (PANEL, json.dumps(LATER_ANSWER)),
                         what="the manager's reply asked for", timeout=30)
        # the page polled twice, then only asked
        assert seen(browser)["polls"] == 2, seen(browser)
    finally:
        proxy.longpolling = live["server"].longpolling
        if browser is not None:
            browser.close()
