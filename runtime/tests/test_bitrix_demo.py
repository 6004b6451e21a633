"""The Bitrix24 demo of `make run` (runtime/suite.py): the stand-in runs as a background process on
its port, answers the webhook, and its operator -- the demo manager -- answers a dealer chat's first
message in Russian; `make stop` ends it. Then what the database is told to work with it, and when
`make run` leaves the database's Bitrix24 alone. No Odoo here: the whole `make run` is tried by hand
(README.md, "Bitrix24 demo")."""
import http.server
import os
import socket
import sys
import threading
import urllib.parse

import pytest
import requests

RUNTIME = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, RUNTIME)

import suite  # noqa: E402


class EventSink:
    """Odoo's event route played by a local server: keeps what Bitrix24 posts to it."""

    def __init__(self):
        self.posts = []
        self.arrived = threading.Event()
        sink = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                sink.posts.append(dict(urllib.parse.parse_qsl(body.decode("utf-8"))))
                sink.arrived.set()
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/b2b/bitrix/event" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def standin(tmp_path):
    info = suite.start_bitrix_standin(port=suite.free_port(), run_dir=str(tmp_path))
    yield info, str(tmp_path / "bitrix24.pid")
    suite.stop_bitrix_standin(str(tmp_path / "bitrix24.pid"))


def _refused(port):
    with socket.socket() as s:
        s.settimeout(2)
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_standin_runs_answers_and_its_manager_answers_the_first_chat_message(standin, tmp_path):
    info, pidfile = standin
    port = int(urllib.parse.urlsplit(info["webhook_url"]).port)
    # its pid and addresses are where `make stop` and the set-up look for them
    assert open(pidfile).read().strip() == str(info["pid"])
    assert (tmp_path / "bitrix24.json").read_text(encoding="utf-8").count(info["webhook_url"]) == 1
    profile = requests.post(info["webhook_url"] + "profile.json", timeout=10)
    assert profile.status_code == 200
    assert profile.json()["result"]["ADMIN"] is True

    # the portal's application, installed with the printed tokens, sets up the chat connector
    sink = EventSink()
    try:
        def app(method, params):
            answer = requests.post(info["client_endpoint"] + method,
                                   json=dict(params, auth=info["install"]["access_token"]), timeout=10)
            assert answer.status_code == 200, answer.text
            return answer.json()["result"]
        app("event.bind", {"event": "ONIMCONNECTORMESSAGEADD", "handler": sink.url})
        app("imconnector.register", {"ID": "b2b_dealer_portal", "NAME": "B2B dealer portal",
                                     "ICON": {"DATA_IMAGE": "data:image/svg+xml,x"},
                                     "PLACEMENT_HANDLER": "http://127.0.0.1/my"})
        app("imconnector.activate", {"CONNECTOR": "b2b_dealer_portal", "LINE": info["line_id"],
                                     "ACTIVE": "1"})
        sent = app("imconnector.send.messages", {
            "CONNECTOR": "b2b_dealer_portal", "LINE": info["line_id"], "MESSAGES": [{
                "user": {"id": "41", "name": "Алексей", "email": "alfa.admin@example.com"},
                "message": {"id": "901", "text": "Добрый день! Когда будет отгрузка?"},
                "chat": {"id": "12"}}]})
        assert sent["SUCCESS"] is True
        assert sink.arrived.wait(10), "the manager's answer never came"
        event = sink.posts[0]
        assert event["event"] == "ONIMCONNECTORMESSAGEADD"
        assert event["auth[application_token]"] == info["application_token"]
        assert event["data[MESSAGES][0][chat][id]"] == "12"
        # the answer is the manager's (the user the demo manager manager.ivan is mapped to)
        assert event["data[MESSAGES][0][message][user_id]"] == str(info["manager_id"])
        assert event["data[MESSAGES][0][message][text]"] == (
            "[b]%s:[/b] [br]%s" % (info["manager"], suite.BITRIX_AUTO_ANSWER))
        assert "Иван" in info["manager"]
    finally:
        sink.close()

    # `make stop`: the process ends, the port is free again
    assert suite.stop_bitrix_standin(pidfile) is True
    assert not os.path.exists(pidfile)
    assert _refused(port)
    assert suite.stop_bitrix_standin(pidfile) is False


def test_taken_port_gives_another(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        info = suite.start_bitrix_standin(port=port, run_dir=str(tmp_path))
        try:
            assert urllib.parse.urlsplit(info["webhook_url"]).port != port
            assert requests.post(info["webhook_url"] + "profile", timeout=10).status_code == 200
        finally:
            assert suite.stop_bitrix_standin(str(tmp_path / "bitrix24.pid"))


def test_another_process_in_the_pidfile_is_not_stopped(tmp_path):
    pidfile = tmp_path / "bitrix24.pid"
    pidfile.write_text(str(os.getpid()))
    assert suite.stop_bitrix_standin(str(pidfile)) is False


INFO = {
    "webhook_url": "http://127.0.0.1:8075/rest/1/k3y8standin0secret/",
    "client_endpoint": "http://127.0.0.1:8075/rest/",
    "oauth_url": "http://127.0.0.1:8075/oauth/token/", "client_id": "local.1",
    "client_secret": "s3cret", "application_token": "apptok1", "line_id": 1, "rate": 2.0,
    "burst": 50, "manager_id": 7, "manager": "Иван Менеджеров",
    "install": {"access_token": "a", "refresh_token": "r", "application_token": "apptok1",
                "client_endpoint": "http://127.0.0.1:8075/rest/", "member_id": "m"},
}


def test_configuration_points_the_bridge_at_the_standin():
    config = suite.bitrix_demo_config(INFO, "http://127.0.0.1:8069")
    assert config["params"] == {
        "b2b_bitrix_bridge.webhook_url": INFO["webhook_url"],
        "b2b_bitrix_bridge.client_id": "local.1",
        "b2b_bitrix_bridge.client_secret": "s3cret",
        "b2b_bitrix_bridge.oauth_url": "http://127.0.0.1:8075/oauth/token/",
        "b2b_bitrix_bridge.application_token": "apptok1",
        "b2b_bitrix_bridge.line_id": "1",
        "b2b_bitrix_bridge.rate": "2.0",
        "b2b_bitrix_bridge.burst": "50",
        "web.base.url": "http://127.0.0.1:8069",
    }
    assert config["install"] is INFO["install"]
    assert (config["manager_id"], config["manager_xmlid"]) == (7, "b2b_base.demo_user_manager_ivan")
    # the ids of the previous stand-in's records are forgotten: deals, companies, contacts, chats
    forgotten = dict(config["forget"])
    assert "b2b_bitrix_deal_id" in forgotten["sale.order"]
    assert "b2b_bitrix_company_id" in forgotten["res.partner"]
    assert "b2b_bitrix_im_message_id" in forgotten["mail.message"]
    # a stand-in without a rate limit: the bridge does not pace itself either
    assert suite.bitrix_demo_config(dict(INFO, rate=0), "x")["params"]["b2b_bitrix_bridge.rate"] \
        == "1000.0"
    # and the set-up script it is handed to compiles
    compile(suite.BITRIX_DEMO_SETUP % '{"params": {}}', "bitrix_demo_setup", "exec")


def test_events_go_to_the_port_odoo_serves_on_unless_odoo_has_a_public_address():
    options = {"http_interface": "127.0.0.1", "http_port": "8069"}
    assert suite.odoo_base_url(options, "") == "http://127.0.0.1:8069"
    # Odoo's default, written by itself on the first admin login
    assert suite.odoo_base_url(options, "http://localhost:8069") == "http://127.0.0.1:8069"
    assert suite.odoo_base_url({"http_interface": "0.0.0.0", "http_port": "9000"}, "") \
        == "http://127.0.0.1:9000"
    assert suite.odoo_base_url(options, "https://b2b.example.ru/") == "https://b2b.example.ru"


def test_a_real_bitrix24_is_left_alone():
    assert suite.bitrix_demo_wanted("")
    assert suite.bitrix_demo_wanted("http://127.0.0.1:8075/rest/1/k3y8standin0secret/")
    assert suite.bitrix_demo_wanted("http://localhost:40111/rest/1/x/")
    assert not suite.bitrix_demo_wanted("https://supplier.bitrix24.ru/rest/1/abc123/")
