"""Several Odoo nodes on one PostgreSQL, as a reverse proxy would have them behind it: each node is
the real server (runtime/launcher.py, odoo.conf, its own HTTP and long-polling ports), all of them
on the same database and the same data_dir (sessions and filestore).

The database is a copy of the one `make test` has just built (B2B_TEST_DB), so the tests may change
it; it is dropped at the end. PostgreSQL copies a database with CREATE DATABASE ... TEMPLATE only
while nobody is connected to the source; when another test's server is already on B2B_TEST_DB the
copy is made with pg_dump | pg_restore instead (a few seconds).
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

import psycopg2
import requests

from b2b_http import ROOT

sys.path.insert(0, os.path.join(ROOT, "runtime"))
import pg  # noqa: E402  (runtime/pg.py: the PostgreSQL binaries and odoo.conf's db options)

OPTIONS = pg.read_options(os.path.join(ROOT, "odoo.conf"))
PG = {"host": OPTIONS.get("db_host") or "127.0.0.1", "port": int(OPTIONS.get("db_port") or 55432),
      "user": OPTIONS.get("db_user") or "odoo", "password": OPTIONS.get("db_password") or "odoo"}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def connect(dbname="postgres"):
    conn = psycopg2.connect(dbname=dbname, **PG)
    conn.autocommit = True
    return conn


def sql(dbname, query, params=None):
    """Run ``query`` on ``dbname`` in its own transaction (autocommit); the rows it returns."""
    conn = connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else []
    finally:
        conn.close()


def copy_database(source, target, data_dir):
    """``target``: a copy of database ``source``, with its filestore under ``data_dir``."""
    drop_database(target)
    try:
        sql("postgres", 'CREATE DATABASE "%s" TEMPLATE "%s"' % (target, source))
    except psycopg2.errors.ObjectInUse:
        # the source is in use (another test's server): dump and restore instead
        (collate, ctype), = sql("postgres", "SELECT datcollate, datctype FROM pg_database "
                                            "WHERE datname = %s", (source,))
        sql("postgres", 'CREATE DATABASE "%s" TEMPLATE template0 ENCODING \'UTF8\' '
                        "LC_COLLATE %%s LC_CTYPE %%s" % target, (collate, ctype))
        env = dict(os.environ, PGPASSWORD=PG["password"])
        conn = ["-h", PG["host"], "-p", str(PG["port"]), "-U", PG["user"]]
        dump = subprocess.Popen([pg.pg_bin("pg_dump")] + conn + ["-Fc", "-Z0", source],
                                stdout=subprocess.PIPE, env=env)
        restore = subprocess.run([pg.pg_bin("pg_restore")] + conn + ["--no-owner", "-d", target],
                                 stdin=dump.stdout, env=env, capture_output=True, text=True)
        dump.stdout.close()
        if dump.wait() or restore.returncode:
            raise RuntimeError("copying database %s failed: %s" % (source, restore.stderr[-2000:]))
    filestore = os.path.join(ROOT, ".run", "data", "filestore", source)
    if os.path.isdir(filestore):
        shutil.copytree(filestore, os.path.join(data_dir, "filestore", target))


COPY_PREFIX = "b2b_two_nodes_"     # + the pid of the test process that uses the copy


def copy_name():
    """The name of this process's copy; the copies of processes that have ended (killed before
    they dropped theirs) are dropped. Not ``b2b_test_...``: ``runtime/suite.py test`` drops those
    whose name does not end with the pid of a live process, and would drop this one in use."""
    for (name,) in sql("postgres", "SELECT datname FROM pg_database WHERE datname LIKE %s",
                       (COPY_PREFIX.replace("_", "\\_") + "%",)):
        pid = name[len(COPY_PREFIX):]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            drop_database(name)
        except PermissionError:
            pass
    return "%s%d" % (COPY_PREFIX, os.getpid())


def drop_database(name):
    sql("postgres", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = %s AND usename = current_user AND pid <> pg_backend_pid()",
        (name,))
    sql("postgres", 'DROP DATABASE IF EXISTS "%s"' % name)


class Node:
    """One Odoo server (the launcher with odoo.conf) on database ``db`` with ``data_dir``."""

    def __init__(self, name, db, data_dir, folder, workers=2, extra=()):
        self.name, self.db = name, db
        self.port, self.longpolling = free_port(), free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        self.log_path = os.path.join(folder, "%s.log" % name)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "runtime", "launcher.py"), "-d", db,
             "--db-filter=^%s$" % db, "--http-port=%d" % self.port,
             "--longpolling-port=%d" % self.longpolling, "--workers=%d" % workers,
             "--max-cron-threads=0", "--data-dir=%s" % data_dir,
             "--pidfile=%s" % os.path.join(folder, "%s.pid" % name)] + list(extra),
            stdout=self._log, stderr=subprocess.STDOUT, cwd=ROOT)

    def log(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def wait(self, timeout=90):
        """Until the node answers its login page; raises with the end of its log otherwise."""
        deadline = time.time() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError("node %s exited (%s):\n%s" % (self.name, self.proc.returncode,
                                                                  self.log()[-3000:]))
            if time.time() > deadline:
                raise RuntimeError("node %s did not answer within %d s:\n%s"
                                   % (self.name, timeout, self.log()[-3000:]))
            try:
                requests.get(self.url + "/web/login", timeout=30)
                return
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.5)

    def stop(self):
        """The server and its workers stop together (SIGTERM, then SIGKILL after 30 s)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def errors(self):
        return [line for line in self.log().splitlines()
                if re.search(r"\d (ERROR|CRITICAL) ", line)]


def jsonrpc(url, service, method, *args):
    """A call of Odoo's /jsonrpc (``service`` common / object); its result or an AssertionError
    with the server's error."""
    answer = requests.post(url + "/jsonrpc", timeout=120, json={
        "jsonrpc": "2.0", "method": "call", "id": 1,
        "params": {"service": service, "method": method, "args": list(args)}}).json()
    assert "error" not in answer, answer.get("error")
    return answer["result"]


class Rpc:
    """Odoo's external API as user ``login`` on ``url``: ``rpc("model", "method", *args, **kw)``."""

    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url, db, password
        self.uid = jsonrpc(url, "common", "login", db, login, password)
        assert self.uid, "%s could not log in" % login

    def __call__(self, model, method, *args, **kwargs):
        return jsonrpc(self.url, "object", "execute_kw", self.db, self.uid, self.password,
                       model, method, list(args), kwargs)
