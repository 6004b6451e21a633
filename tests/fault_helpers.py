"""What the fault tests share: a database of their own (a copy of B2B_TEST_DB), the real server on
it (launcher, workers=2, the queue job runner in its main process), the Odoo worker running a queue
job, and fingerprints of the tables an exchange writes."""
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xmlrpc.client

import psutil
import psycopg2
import psycopg2.errors
import pytest
import requests

from b2b_http import ROOT

PG = {"host": "127.0.0.1", "port": 55432, "user": "odoo", "password": "odoo"}
FILESTORE = os.path.join(ROOT, ".run", "data", "filestore")
EXCHANGE_LOGIN = "1c-exchange"


def connect(dbname):
    conn = psycopg2.connect(dbname=dbname, **PG)
    conn.autocommit = True
    return conn


def sql(dbname, query, params=None):
    """Rows of ``query`` on ``dbname`` (autocommit, a connection of its own)."""
    conn = connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else []
    finally:
        conn.close()


class DatabaseName:
    """A name for a copy of the test database, ``b2b_test_<pid>`` as runtime/suite.py names its
    test databases: a ``make test`` started meanwhile keeps a database whose pid is alive, and
    drops it once the pid has ended. The pid is that of a small process of this test that ends
    with it (it waits for its standard input to close), so a run killed midway leaves nothing
    behind for long, and the name differs from the other tests' copies."""

    def __init__(self):
        self.keeper = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                                       stdin=subprocess.PIPE)
        self.name = "b2b_test_%d" % self.keeper.pid

    def release(self):
        self.keeper.stdin.close()
        self.keeper.wait()


def copy_database(source, target):
    """``target``: a copy of ``source`` and of its filestore. A template copy needs ``source``
    without connections; while a server of the other tests is on it, pg_dump | pg_restore."""
    drop_database(target)
    try:
        sql("postgres", 'CREATE DATABASE "%s" TEMPLATE "%s"' % (target, source))
    except psycopg2.errors.ObjectInUse:
        sql("postgres", 'CREATE DATABASE "%s"' % target)
        env = dict(os.environ, PGPASSWORD=PG["password"])
        args = ["-h", PG["host"], "-p", str(PG["port"]), "-U", PG["user"]]
        dump = subprocess.Popen(["pg_dump", "-Fc"] + args + [source], stdout=subprocess.PIPE,
                                env=env)
        subprocess.run(["pg_restore", "--no-owner", "-d", target] + args, stdin=dump.stdout,
                       env=env, check=True)
        dump.stdout.close()
        assert dump.wait() == 0
    if os.path.isdir(os.path.join(FILESTORE, source)):
        shutil.copytree(os.path.join(FILESTORE, source), os.path.join(FILESTORE, target))


def drop_database(name):
    sql("postgres", 'DROP DATABASE IF EXISTS "%s"' % name)
    shutil.rmtree(os.path.join(FILESTORE, name), ignore_errors=True)


def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """The real server (runtime/launcher.py, workers=2) on ``db``, as tests/conftest.py starts it;
    its log is kept to count what the job runner did."""

    def __init__(self, db, folder):
        self.db = db
        self.port, self.longpolling = free_port(), free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.log_path = os.path.join(folder, "odoo.log")
        self.log = open(self.log_path, "w")
        self.killed_jobs = []
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, "runtime", "launcher.py"), "-d", db,
             "--db-filter=^%s$" % db, "--http-port=%d" % self.port,
             "--longpolling-port=%d" % self.longpolling, "--workers=2", "--max-cron-threads=0",
             "--pidfile=%s" % os.path.join(folder, "odoo.pid")],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.time() + 90
        while True:
            if self.proc.poll() is not None:
                pytest.fail("the server exited (%s):\n%s"
                            % (self.proc.returncode, self.text()[-3000:]))
            if time.time() > deadline:
                pytest.fail("the server did not answer within 90 s:\n%s" % self.text()[-3000:])
            try:
                requests.get(self.base + "/web/login", timeout=30)
                break
            except (requests.ConnectionError, requests.Timeout):
                time.sleep(0.3)

    def text(self):
        with open(self.log_path, encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def errors(self):
        """The ERROR and CRITICAL lines of the log, but the job runner's report that the worker
        it had asked to run a job the test killed closed the connection (a worker killed within
        the runner's 1 s wait for its answer)."""
        lost = tuple("exception in GET %s/queue_job/runjob?db=%s&job_uuid=%s"
                     % (self.base, self.db, uuid) for uuid in self.killed_jobs)
        return [line for line in self.text().splitlines()
                if re.search(r"\d (ERROR|CRITICAL) ", line)
                and not (lost and line.endswith(lost))]

    def stop(self):
        """Stop the server; its workers too, also one still busy with a job (a worker outlives
        a master that is gone until its request ends)."""
        children = psutil.Process(self.proc.pid).children(recursive=True)
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
        self.log.close()

    def wait_job_runner(self, seconds=30):
        """The job runner listens on the database (it starts 5 s after the server)."""
        deadline = time.time() + seconds
        while "queue job runner ready for db %s" % self.db not in self.text():
            assert time.time() < deadline, "the job runner did not start:\n" + self.text()[-3000:]
            time.sleep(0.2)

    def rpc(self, model, method, *args, **kwargs):
        proxy = xmlrpc.client.ServerProxy(self.base + "/xmlrpc/2/object", allow_none=True)
        uid = xmlrpc.client.ServerProxy(self.base + "/xmlrpc/2/common").authenticate(
            self.db, "admin", "admin", {})
        return proxy.execute_kw(self.db, uid, "admin", model, method, list(args), kwargs)

    def worker_running(self, job_uuid, table, seconds=30):
        """(OS pid of the server's worker running the job ``job_uuid``, its PostgreSQL backend
        pid), once the job is started and its transaction is writing ``table`` (it holds the
        table's RowExclusiveLock, taken by its first INSERT or UPDATE there, until it ends)."""
        deadline = time.time() + seconds
        conn = connect(self.db)
        try:
            with conn.cursor() as cr:
                while time.time() < deadline:
                    cr.execute("SELECT state FROM queue_job WHERE uuid = %s", [job_uuid])
                    state = cr.fetchone()[0]
                    assert state in ("pending", "enqueued", "started"), \
                        "job %s ended (%s) before the fault" % (job_uuid, state)
                    cr.execute("""SELECT a.pid, a.client_port FROM pg_stat_activity a
                                    JOIN pg_locks l ON l.pid = a.pid AND l.granted
                                     AND l.mode = 'RowExclusiveLock'
                                    JOIN pg_class c ON c.oid = l.relation AND c.relname = %s
                                   WHERE a.datname = current_database()
                                     AND a.pid <> pg_backend_pid()""", [table])
                    rows = cr.fetchall()
                    if state == "started" and len(rows) == 1:
                        backend, port = rows[0]
                        for child in psutil.Process(self.proc.pid).children(recursive=True):
                            if any(c.laddr and c.laddr.port == port
                                   for c in child.connections("tcp")):
                                return child.pid, backend
                    time.sleep(0.02)
        finally:
            conn.close()
        pytest.fail("no worker was seen running job %s:\n%s" % (job_uuid, self.text()[-3000:]))

    def kill_worker(self, pid, backend, job_uuid):
        """SIGKILL the worker ``pid`` running ``job_uuid``; returns once PostgreSQL ended its
        backend (the job's transaction is rolled back)."""
        self.killed_jobs.append(job_uuid)
        os.kill(pid, signal.SIGKILL)
        deadline = time.time() + 30
        while sql(self.db, "SELECT 1 FROM pg_stat_activity WHERE pid = %s", [backend]):
            assert time.time() < deadline, "the killed worker's backend is still there"
            time.sleep(0.02)

    def runs_of(self, job_uuid):
        """How many times the job runner asked a worker to run ``job_uuid``."""
        return self.text().count("asking Odoo to run job %s " % job_uuid)


# the tables a 1C exchange writes: catalog, prices, stock, orders
TABLES = ["product_template", "product_product", "product_category", "product_uom",
          "b2b_price", "b2b_price_type", "b2b_product_stock", "b2b_warehouse",
          "b2b_product_property", "b2b_product_property_value", "sale_order", "sale_order_line"]


def fingerprint(db):
    """{table: (rows, md5 of every row in id order)} of TABLES."""
    result = {}
    conn = connect(db)
    try:
        with conn.cursor() as cr:
            for table in TABLES:
                cr.execute('SELECT count(*), md5(coalesce(string_agg(t::text, E\'\\n\' ORDER BY '
                           't.id), \'\')) FROM "%s" t' % table)  # pylint: disable=sql-injection
                result[table] = cr.fetchone()
    finally:
        conn.close()
    return result
