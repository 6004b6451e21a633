"""What the cross-addon tests share: the real server, as `make run` starts it (launcher, odoo.conf,
workers=2), on the database `make test` has just built (B2B_TEST_DB), started once for the session.
"""
import os
import re
import socket
import subprocess
import sys
import time

import pytest
import requests

from b2b_http import ROOT

DB = os.environ.get("B2B_TEST_DB")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
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
