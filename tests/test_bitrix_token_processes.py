"""The local application's tokens when several processes meet an expired token at once.

Odoo's workers, the job runner and a second server all hold the Bitrix24 application's tokens in
one row of PostgreSQL (``b2b_bitrix_token``). Bitrix24 rotates the refresh token on every refresh,
so two processes refreshing together would lose: the second refresh token is refused
(``invalid_grant``) and the pair one process keeps is no longer valid. Here six separate Python
processes, each with its own connection to a copy of the database `make test` has built
(B2B_TEST_DB), call Bitrix24 (the stand-in, over real HTTP) with the same expired token at the same
moment: Bitrix24 must see exactly one refresh, every call must succeed, and the row must hold the
pair Bitrix24 issued last.
"""
import json
import os
import subprocess
import sys
import time

import pytest

from b2b_db import DatabaseName, copy_database, drop_database, sql
from b2b_http import ROOT
from standins.bitrix24 import Bitrix24StandIn

DB = os.environ.get("B2B_TEST_DB")

pytestmark = pytest.mark.skipif(not DB, reason="needs the database of `make test` (B2B_TEST_DB)")

PROCESSES = 6

# one process: its own connection, the portal's token store, one call at the agreed moment
CHILD = r"""
import contextlib, json, sys, time
root, tests, db, client_id, secret, oauth_url, start_at, n = sys.argv[1:9]
sys.path[:0] = [root, tests]
import conftest  # the repository's: the addons' lib packages importable without Odoo
from b2b_db import connect
from b2b_bitrix_bridge.lib.oauth import BitrixAppClient, SqlTokenStore

@contextlib.contextmanager
def transaction():
    conn = connect(db)
    conn.autocommit = False
    try:
        with conn, conn.cursor() as cr:   # commit at the end, rollback on an error
            yield cr
    finally:
        conn.close()

client = BitrixAppClient(SqlTokenStore(transaction), client_id, secret, oauth_url=oauth_url,
                         rate=None)
time.sleep(max(0.0, float(start_at) - time.time()))
try:
    deal = client.call("crm.deal.add", {"fields": {"TITLE": "Процесс " + n}})
    print(json.dumps({"deal": deal}))
except Exception as exc:
    print(json.dumps({"error": "%s: %s" % (type(exc).__name__, exc)}))
"""


@pytest.fixture
def database():
    keeper = DatabaseName()
    try:
        copy_database(DB, keeper.name)
        yield keeper.name
    finally:
        drop_database(keeper.name)
        keeper.release()


@pytest.fixture
def portal():
    running = Bitrix24StandIn(rate=50, burst=1000).start()
    try:
        yield running
    finally:
        running.stop()


def test_processes_meeting_an_expired_token_refresh_it_once(database, portal):
    auth = portal.install_app()
    sql(database, "DELETE FROM b2b_bitrix_token")
    sql(database, "INSERT INTO b2b_bitrix_token (name, access_token, refresh_token, expires, "
                  "client_endpoint, server_endpoint, domain, member_id, application_token) "
                  "VALUES ('app', %s, %s, %s, %s, %s, %s, %s, %s)",
        [auth["access_token"], auth["refresh_token"], auth["expires"], auth["client_endpoint"],
         auth["server_endpoint"], auth["domain"], auth["member_id"], auth["application_token"]])
    portal.expire_access_tokens()
    portal.oauth_delay = 0.5    # the refresh takes a while: every process meets the 401 first

    start_at = time.time() + 4  # the processes start, then call together
    children = [subprocess.Popen(
        [sys.executable, "-c", CHILD, ROOT, os.path.join(ROOT, "tests"), database,
         portal.client_id, portal.client_secret, portal.oauth_url, repr(start_at), str(n)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(PROCESSES)]
    answers = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err[-2000:]
        answers.append(json.loads(out.strip().splitlines()[-1]))

    assert [a.get("error") for a in answers] == [None] * PROCESSES
    assert len(portal.deals) == PROCESSES, "every process made its call"
    assert portal.refreshes == 1, "one refresh for all the processes"
    assert [status for _grant, status in portal.token_requests] == [200]
    (refresh_token, count), = sql(database, "SELECT refresh_token, refresh_count "
                                            "FROM b2b_bitrix_token WHERE name = 'app'")
    assert refresh_token == portal.current_refresh_token(), "the pair Bitrix24 issued last is kept"
    assert count == 1
