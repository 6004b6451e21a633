"""The real server as the cross-addon tests run it: runtime/launcher.py with odoo.conf, as
`make run` starts it, on a database of the tests, on free HTTP and long-polling ports, its output
in a log file of its own.

``Server(db, folder)`` starts it (``workers`` HTTP workers, no cron thread, optionally its own
``data_dir`` and more launcher arguments); ``wait()`` returns once it answers its login page,
``wait_job_runner()`` once its queue job runner listens on the database; ``stop()`` ends it and
its workers; ``errors()`` are the ERROR and CRITICAL lines of its log. ``server_on_a_copy(db,
folder)`` runs one on a copy of ``db`` that is dropped at the end.
"""
import contextlib
import os
import re
import socket
import subprocess
import sys
import time

import psutil
import pytest
import requests

from b2b_db import DatabaseName, connect, copy_database, drop_database
from b2b_http import ROOT

LAUNCHER = os.path.join(ROOT, "runtime", "launcher.py")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One server on ``db``; its log ``<folder>/<name>.log``, its pid file beside it."""

    def __init__(self, db, folder, name="odoo", workers=2, data_dir=None, extra=()):
        self.db, self.name = db, name
        self.port, self.longpolling = free_port(), free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.log_path = os.path.join(str(folder), "%s.log" % name)
        self._log = open(self.log_path, "w")
        args = ["-d", db, "--db-filter=^%s$" % db, "--http-port=%d" % self.port,
                "--longpolling-port=%d" % self.longpolling, "--workers=%d" % workers,
                "--max-cron-threads=0", "--pidfile=%s" % os.path.join(str(folder), "%s.pid" % name)]
        if data_dir:
            args.append("--data-dir=%s" % data_dir)
        self.proc = subprocess.Popen([sys.executable, LAUNCHER] + args + list(extra),
                                     stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT)

    def text(self):
        """The log so far."""
        with open(self.log_path, encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def wait(self, timeout=90):
        """Until the server answers its login page; the test fails with the end of its log when
        it exits or stays silent ``timeout`` seconds."""
        deadline = time.time() + timeout
        while True:
            if self.proc.poll() is not None:
                pytest.fail("server %s exited (%s):\n%s" % (self.name, self.proc.returncode,
                                                             self.text()[-3000:]))
            if time.time() > deadline:
                pytest.fail("server %s did not answer within %d s:\n%s"
                            % (self.name, timeout, self.text()[-3000:]))
            try:
                requests.get(self.url + "/web/login", timeout=30)
                return self
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.3)

    def wait_job_runner(self, seconds=30):
        """Until the queue job runner listens on the database (it starts 5 s after the server)."""
        deadline = time.time() + seconds
        while "queue job runner ready for db %s" % self.db not in self.text():
            assert time.time() < deadline, "the job runner did not start:\n" + self.text()[-3000:]
            time.sleep(0.2)

    def stop(self):
        """Stop the server (SIGTERM, SIGKILL after 30 s), its workers too, also one still busy
        with a request (a worker outlives a master that is gone until its request ends)."""
        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            children = []
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for child in children:
            try:
                child.wait(timeout=5)
            except psutil.TimeoutExpired:
                child.kill()
            except psutil.NoSuchProcess:
                pass
        self._log.close()

    def errors(self, ignore=()):
        """The ERROR and CRITICAL lines of the log, but those ending with one of ``ignore``."""
        ignore = tuple(ignore)
        return [line for line in self.text().splitlines()
                if re.search(r"\d (ERROR|CRITICAL) ", line)
                and not (ignore and line.endswith(ignore))]


@contextlib.contextmanager
def server_on_a_copy(db, folder):
    """(base URL, psycopg2 connection) of a server on a copy of ``db``: the test may change
    the copy as it likes; the copy is dropped at the end (and by a later `make test` when this
    run is killed)."""
    with running_copy(db, folder) as (server, conn):
        yield server.url, conn


@contextlib.contextmanager
def running_copy(db, folder):
    """(Server, psycopg2 connection) of a server on a copy of ``db``, as ``server_on_a_copy``,
    for a test that needs more of the server than its URL (its long-polling port, its log)."""
    name = DatabaseName()
    copy_database(db, name.name)
    server = conn = None
    try:
        server = Server(name.name, folder)
        server.wait()
        conn = connect(name.name)
        yield server, conn
    finally:
        if conn is not None:
            conn.close()
        if server is not None:
            server.stop()
        drop_database(name.name)
        name.release()


def admin_call(session, base, model, method, args):
    """``model.method(*args)`` on the server at ``base``, through the backend's RPC as the user
    of ``session`` (the supplier's administrator); its result."""
    answer = session.post("%s/web/dataset/call_kw/%s/%s" % (base, model, method), json={
        "jsonrpc": "2.0", "method": "call",
        "params": {"model": model, "method": method, "args": args, "kwargs": {}}}, timeout=120)
    body = answer.json()
    assert "error" not in body, body["error"]
    return body["result"]
