"""The real server, as `make run` starts it (launcher, odoo.conf, workers), answering over HTTP.

Runs against the database `make test` has just built (B2B_TEST_DB): the login page answers, a demo
dealer logs in and reaches the portal (/my), and the backend stays closed to that dealer.
"""
import os

import pytest
import requests

from b2b_http import login

DB = os.environ.get("B2B_TEST_DB")

pytestmark = pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)")


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
