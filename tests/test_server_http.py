"""The real server, as `make run` starts it (launcher, odoo.conf, workers), answering over HTTP.

Runs against the database `make test` has just built (B2B_TEST_DB): the login page answers, a demo
dealer logs in and reaches the portal (/my), and the backend stays closed to that dealer.
"""
import os
import re
import socket
import subprocess
import sys
import time

import pytest
import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DB = os.environ.get("B2B_TEST_DB")

pytestmark = pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port, longpolling = free_port(), free_port()
    log_path = tmp_path_factory.mktemp("server") / "odoo.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, os.path.join(ROOT, "runtime", "launcher.py"), "-d", DB,
         "--db-filter=^%s$" % DB, "--http-port=%d" % port, "--longpolling-port=%d" % longpolling,
         "--workers=2", "--max-cron-threads=0", "--pidfile=%s" % (log_path.parent / "odoo.pid")],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = "http://127.0.0.1:%d" % port
    try:
        deadline = time.time() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail("the server exited (%s):\n%s" % (proc.returncode, log_path.read_text()[-3000:]))
            if time.time() > deadline:
                pytest.fail("the server did not answer within 90 s:\n%s" % log_path.read_text()[-3000:])
            try:
                requests.get(base + "/web/login", timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)
        yield base
    finally:
        # the server and its workers stop together
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    errors = [l for l in log_path.read_text().splitlines() if re.search(r"\d (ERROR|CRITICAL) ", l)]
    assert not errors, "the server logged errors:\n" + "\n".join(errors[:20])


def login(base, login_name, password):
    session = requests.Session()
    page = session.get(base + "/web/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    answer = session.post(base + "/web/login", timeout=60, data={
        "login": login_name, "password": password, "csrf_token": token, "redirect": ""})
    return session, answer


def test_login_page_answers(server):
    page = requests.get(server + "/web/login", timeout=60)
    assert page.status_code == 200
    assert 'name="login"' in page.text and 'name="password"' in page.text


def test_demo_dealer_reaches_portal_not_backend(server):
    session, answer = login(server, "alfa.admin", "alfa.admin")
    assert answer.status_code == 200
    assert "window.location = '/my'" in answer.text, "a dealer is sent to the portal after login"
    my = session.get(server + "/my", timeout=60)
    assert my.status_code == 200
    assert "/web/login" not in my.url, "the dealer was sent back to the login page"
    assert "Анна Смирнова" in my.text
    # a portal user opening the backend is sent to the portal
    backend = session.get(server + "/web", timeout=60)
    assert backend.url.rstrip("/").endswith("/my")


def test_wrong_password_is_refused(server):
    session, answer = login(server, "alfa.admin", "not-the-password")
    assert "Wrong login/password" in answer.text or "Неверный логин" in answer.text
    my = session.get(server + "/my", timeout=60, allow_redirects=False)
    assert my.status_code in (302, 303) and "/web/login" in my.headers["Location"]


def test_database_manager_is_closed(server):
    """list_db = False: nobody can list, dump or drop databases over HTTP."""
    page = requests.get(server + "/web/database/manager", timeout=60)
    assert page.status_code == 200 and "database manager has been disabled" in page.text.lower()
