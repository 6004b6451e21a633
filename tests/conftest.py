"""What the cross-addon tests share: the real server, as `make run` starts it (launcher, odoo.conf,
workers=2), on the database `make test` has just built (B2B_TEST_DB), started once for the session.
"""
import os

import pytest

from b2b_server import Server

DB = os.environ.get("B2B_TEST_DB")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    running = Server(DB, tmp_path_factory.mktemp("server"))
    try:
        running.wait()
        yield running.url
    finally:
        running.stop()
    errors = running.errors()
    assert not errors, "the server logged errors:\n" + "\n".join(errors[:20])
