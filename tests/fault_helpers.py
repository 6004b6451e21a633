"""What the fault tests share: a database of their own (a copy of B2B_TEST_DB, tests/b2b_db.py),
the real server on it (tests/b2b_server.py: workers=2, the queue job runner in its main process),
the Odoo worker running a queue job, and fingerprints of the tables an exchange writes."""
import os
import signal
import time
import xmlrpc.client

import psutil
import pytest

import b2b_server
from b2b_db import connect, sql

EXCHANGE_LOGIN = "1c-exchange"


class Server(b2b_server.Server):
    """The real server (workers=2) on ``db``, as tests/conftest.py starts it; its log is kept to
    count what the job runner did."""

    def __init__(self, db, folder):
        super().__init__(db, folder)
        self.killed_jobs = []

    def errors(self, ignore=()):
        """The ERROR and CRITICAL lines of the log, but the job runner's report that the worker
        it had asked to run a job the test killed closed the connection (a worker killed within
        the runner's 1 s wait for its answer)."""
        return super().errors(tuple(ignore) + tuple(
            "exception in GET %s/queue_job/runjob?db=%s&job_uuid=%s" % (self.url, self.db, uuid)
            for uuid in self.killed_jobs))

    def rpc(self, model, method, *args, **kwargs):
        proxy = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/object", allow_none=True)
        uid = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common").authenticate(
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
        """How many times a worker ran ``job_uuid``: the job runner's requests to run it but those
        a worker turned down because the job was no longer enqueued (on a busy machine the
        runner, after waiting a second for the worker to take the job, sets it back to pending
        and asks again; the worker that finally takes the first request runs it, the second
        finds it started or done)."""
        text = self.text()
        return text.count("asking Odoo to run job %s " % job_uuid) \
            - text.count("job %s is in state " % job_uuid) \
            - text.count("job %s is already run by another request" % job_uuid)


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
