"""Faults during 1C exchanges: the server's worker importing a file 1C sent is killed (SIGKILL, as
the OOM killer or an administrator's kill -9 does) in the middle of the import.

On the real server (launcher, workers=2, queue_job's runner in the main process) on a copy of
B2B_TEST_DB, 1C's stand-in client runs a catalog exchange (goods, then offers: prices and stock)
and an orders exchange (1C's orders document); each file is imported by a queue job, and the
worker running it is killed while its transaction is writing. Then, for each file:

* the database is exactly as before the file: products, variants, categories, units, prices,
  price types, stock, warehouses, properties, orders and order lines, row for row;
* the job is left ``started``, as queue_job leaves it;
* 1C, which only ever sees ``progress``, goes on calling ``import`` as it does (the offers), or
  gives the exchange up and sends it whole again in a new session (the goods, the orders): the
  server has respawned the worker, the job runner requeues the dead job and runs it once more
  (after the new session's import of the same file, never beside it), and the imports end
  ``success``;
* every good, price, stock row and order is there once, by its 1C id.

Without the requeue (runtime/b2b_compat/queue_job_requeue.py) the dead job stays ``started`` and
1C is told ``progress`` for ever; without one reader at a time (b2b_1c_bridge's exchange files)
the two imports of one file run together: the goods' second import is refused for the category
the first created, and the orders are created twice.
"""
import datetime
import importlib.util
import json
import os
import subprocess
import sys
import time
import uuid

import pytest

from b2b_http import ROOT
from b2b_db import DATABASES, DatabaseName, connect, copy_database, drop_database, sql
from fault_helpers import EXCHANGE_LOGIN, Server, fingerprint

sys.path.insert(0, os.path.join(ROOT, "tests", "standins"))
from onec_client import OnecExchangeClient  # noqa: E402

DB = os.environ.get("B2B_TEST_DB")
GOODS = 6000    # goods of the catalog: their import takes a few seconds on 2 cores
ORDERS = 6     # orders of 1C's orders document, 4 lines each
CONTRACT = ("c0a1b2c3-0001-4000-8000-000000000001", "А-001/2026")  # a demo dealer's contract

pytestmark = pytest.mark.skipif(not DB, reason="B2B_TEST_DB is not set (make test sets it)")


def bench_onec():
    """bench/onec.py, the generator of 1C's catalog packages, making GOODS goods."""
    sys.path.insert(0, os.path.join(ROOT, "bench"))
    spec = importlib.util.spec_from_file_location("bench_onec",
                                                  os.path.join(ROOT, "bench", "onec.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.N = GOODS
    return module


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The server on a database of its own, with the demo 1C exchange user; every 1C file is
    imported by a queue job (as files over 1 MB are)."""
    name = DatabaseName()
    db, running, errors = name.name, None, []
    try:
        copy_database(DB, db)
        sql(db, "INSERT INTO ir_config_parameter (key, value, create_date, write_date) "
                "VALUES ('b2b_1c_bridge.import_inline_size', '0', now(), now()) "
                "ON CONFLICT (key) DO UPDATE SET value = '0'")
        running = Server(db, str(tmp_path_factory.mktemp("faults")))
        running.wait()
        groups = [running.rpc("ir.model.data", "xmlid_to_res_id", xmlid)
                  for xmlid in ("base.group_user", "b2b_1c_bridge.group_onec_exchange")]
        running.rpc("res.users", "create", {"name": "1C", "login": EXCHANGE_LOGIN,
                                            "password": EXCHANGE_LOGIN,
                                            "groups_id": [(6, 0, groups)]})
        running.wait_job_runner()
        yield running
    finally:
        if running is not None:
            running.stop()
            errors = running.errors()
        drop_database(db)
        name.release()
    assert not errors, "the server logged errors:\n" + "\n".join(errors[:20])


def client(server, exchange_type):
    onec = OnecExchangeClient(server.url, EXCHANGE_LOGIN, EXCHANGE_LOGIN, progress_pause=0.3,
                              progress_limit=60)
    assert onec.checkauth(exchange_type).verdict == "success"
    assert onec.init(exchange_type).status == 200
    return onec


def kill_during_import(server, onec, exchange_type, filename, table):
    """1C asks to import ``filename``; the worker running its job is killed while it writes
    ``table``. Checks the database is as before and the job left started (or, when the job
    runner has already seen its worker gone, requeued); returns the job's uuid."""
    before = fingerprint(server.db)
    first = onec.call(exchange_type, "import", filename)
    assert (first.status, first.verdict) == (200, "progress"), first
    (job_uuid,) = sql(server.db, """
        SELECT j.uuid FROM b2b_onec_exchange_file f JOIN queue_job j ON j.id = f.job_id
         WHERE f.name = %s ORDER BY f.id DESC LIMIT 1""", [filename])[0]
    pid, backend = server.worker_running(job_uuid, table)
    server.kill_worker(pid, backend, job_uuid)
    assert fingerprint(server.db) == before, "the killed import left some of its writes"
    # queue_job leaves the job started (its try rolled back with the rest); the job runner looks
    # for dead jobs every few seconds and, on a busy machine, may already have set it back to
    # pending, its death counted as a try, or even handed it to a worker again
    assert sql(server.db, "SELECT state, retry FROM queue_job WHERE uuid = %s", [job_uuid])[0] \
        in (("started", 0), ("pending", 1), ("enqueued", 1), ("started", 1))
    return job_uuid


def finish_import(server, onec, exchange_type, filename, job_uuid):
    """1C goes on calling import, as after any ``progress``: the import completes, the dead job
    having been run once more."""
    answers = onec.import_file(exchange_type, filename)
    assert (answers[-1].status, answers[-1].verdict) == (200, "success"), answers[-1]
    # two tries: the killed run and its one rerun
    assert sql(server.db, "SELECT state, retry FROM queue_job WHERE uuid = %s", [job_uuid]) == \
        [("done", 2)]
    assert server.runs_of(job_uuid) == 2
    assert server.text().count("job %s: its worker died; requeued" % job_uuid) == 1
    assert sql(server.db, "SELECT state FROM b2b_onec_exchange_file WHERE name = %s "
                          "ORDER BY id DESC LIMIT 1", [filename]) == [("imported",)]


def exchange_again(server, exchange_type, files, filename, lost, table):
    """1C gives the exchange up and runs it again whole, in a new session (its next scheduled
    exchange), and asks to import the file while the job runner's rerun of the dead job ``lost``
    of the first one is writing ``table``: both complete, one after the other, and the file is
    read once by each (the first read writes, the second finds everything done). Returns the new
    session's client and what the first read created."""
    onec = client(server, exchange_type)
    for name, data in files:
        for answer in onec.upload(exchange_type, name, data):
            assert answer.verdict == "success", answer
    server.worker_running(lost, table)  # the runner has requeued the job, a worker runs it
    answers = onec.import_file(exchange_type, filename)
    assert (answers[-1].status, answers[-1].verdict) == (200, "success"), answers[-1]
    deadline = time.time() + 60
    while sql(server.db, "SELECT state FROM queue_job WHERE uuid = %s", [lost]) != [("done",)]:
        assert time.time() < deadline, "the dead job of the first exchange was not run again"
        time.sleep(0.3)
    # two tries: the killed one and the one that ended (waiting for the other session's import
    # is not a try)
    assert sql(server.db, "SELECT retry FROM queue_job WHERE uuid = %s", [lost]) == [(2,)]
    assert server.text().count("job %s: its worker died; requeued" % lost) == 1
    created = sql(server.db, """SELECT records_created FROM b2b_onec_exchange_file
                                 WHERE name = %s AND state = 'imported'
                                 ORDER BY records_created""", [filename])
    assert len(created) == 2 and created[0] == (0,), created
    return onec, created[1][0]


def test_catalog_import_killed_in_the_middle(server):
    onec_bench = bench_onec()
    folder = os.path.join(os.path.dirname(server.log_path), "catalog")
    os.makedirs(folder)
    onec_bench.write_package(folder)
    files = []
    for name in ("import.xml", "offers.xml"):
        with open(os.path.join(folder, name), "rb") as fh:
            files.append((name, fh.read()))
    onec = client(server, "catalog")
    for answer in onec.upload("catalog", "import.xml", files[0][1]):
        assert answer.verdict == "success", answer
    lost = kill_during_import(server, onec, "catalog", "import.xml", "product_template")
    onec, created = exchange_again(server, "catalog", files, "import.xml", lost,
                                   "product_template")
    assert created == GOODS + onec_bench.GROUPS * 5  # the goods, each top group, 4 subgroups each
    # the offers: killed, then 1C calls import again in the same session
    job_uuid = kill_during_import(server, onec, "catalog", "offers.xml", "b2b_price")
    finish_import(server, onec, "catalog", "offers.xml", job_uuid)
    onec.complete()

    ids = [onec_bench.product_id(i) for i in range(GOODS)]
    assert sql(server.db, """SELECT count(*), count(DISTINCT b2b_onec_id) FROM product_template
                              WHERE b2b_onec_id = ANY(%s)""", [ids]) == [(GOODS, GOODS)]
    prices = sql(server.db, """
        SELECT count(*), count(DISTINCT (p.product_id, p.price_type_id)) FROM b2b_price p
          JOIN product_product v ON v.id = p.product_id
          JOIN product_template t ON t.id = v.product_tmpl_id WHERE t.b2b_onec_id = ANY(%s)""",
                 [ids])
    assert prices == [(3 * GOODS, 3 * GOODS)]
    stock = sql(server.db, """
        SELECT count(*), count(DISTINCT s.product_id) FROM b2b_product_stock s
          JOIN product_product v ON v.id = s.product_id
          JOIN product_template t ON t.id = v.product_tmpl_id WHERE t.b2b_onec_id = ANY(%s)""",
                [ids])
    assert stock == [(GOODS, GOODS)]


def orders_document(goods):
    """1C's orders document: ORDERS orders 1C took by phone on a demo dealer's contract, 4 lines
    each of ``goods`` [(1C id, SKU, name)]."""
    sys.path.insert(0, ROOT)
    from b2b_1c_bridge.lib import orders as cml  # a plain-Python module of the bridge
    (party_id, party_name), = sql(DB, """
        SELECT p.b2b_onec_id, p.name FROM b2b_contract c JOIN res_partner p ON p.id = c.partner_id
         WHERE c.b2b_onec_id = %s""", [CONTRACT[0]])
    today = datetime.datetime(2026, 12, 1, 10, 0)
    documents = []
    for n in range(ORDERS):
        lines = [cml.Line(goods[(n * 4 + k) % len(goods)][0], goods[(n * 4 + k) % len(goods)][1],
                          goods[(n * 4 + k) % len(goods)][2], "796", "шт", 100.0 + k, 2.0,
                          2 * (100.0 + k)) for k in range(4)]
        documents.append(cml.Order(
            guid=str(uuid.uuid5(uuid.NAMESPACE_URL, "faults-order-%d" % n)),
            number="ФТ-%05d" % n, date=today, currency="RUB", rate=1.0,
            amount=sum(line.amount for line in lines), tax_amount=0.0, tax_included=True,
            counterparty_id=party_id, counterparty_name=party_name, counterparty_full_name=None,
            inn=None, contract_id=CONTRACT[0], contract_number=CONTRACT[1],
            comment="Заказ по телефону %d" % n, desired_date=None, state="Согласован",
            lines=lines))
    return cml.orders_document(today, documents), [d.guid for d in documents]


def test_orders_import_killed_in_the_middle(server):
    goods = sql(server.db, """SELECT b2b_onec_id, default_code, name FROM product_template
                               WHERE b2b_onec_id IS NOT NULL AND active ORDER BY id LIMIT 40""")
    if len(goods) < 40:  # this test alone: the catalog comes first
        test_catalog_import_killed_in_the_middle(server)
        goods = sql(server.db, """SELECT b2b_onec_id, default_code, name FROM product_template
                                   WHERE b2b_onec_id IS NOT NULL AND active ORDER BY id LIMIT 40""")
    data, guids = orders_document(goods)
    onec = client(server, "sale")
    for answer in onec.upload("sale", "orders.xml", data):
        assert answer.verdict == "success", answer
    lost = kill_during_import(server, onec, "sale", "orders.xml", "sale_order_line")
    onec, created = exchange_again(server, "sale", [("orders.xml", data)], "orders.xml", lost,
                                   "sale_order_line")
    assert created == ORDERS
    # the rest of 1C's orders exchange
    assert onec.call("sale", "query").status == 200
    assert onec.call("sale", "success").verdict == "success"

    assert sql(server.db, """SELECT count(*), count(DISTINCT b2b_onec_guid) FROM sale_order
                              WHERE b2b_onec_guid = ANY(%s)""", [guids]) == [(ORDERS, ORDERS)]
    assert sql(server.db, """SELECT count(*) FROM sale_order_line l JOIN sale_order o
                              ON o.id = l.order_id WHERE o.b2b_onec_guid = ANY(%s)""",
               [guids]) == [(4 * ORDERS,)]


def requeue_module():
    """runtime/b2b_compat/queue_job_requeue.py (its lock's key and the runner's pace)."""
    path = os.path.join(ROOT, "runtime", "b2b_compat", "queue_job_requeue.py")
    spec = importlib.util.spec_from_file_location("queue_job_requeue", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_running_job_is_left_alone_and_one_dying_each_time_is_failed(server):
    """The job runner tells a running job from a dead one by the lock its worker holds: a started
    job whose worker holds its lock is left running however long it runs; a job whose worker died
    on the last of its tries (3) is failed, saying why, instead of being run for ever."""
    requeue = requeue_module()
    conn = connect(server.db)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT nextval('queue_job_id_seq'), nextval('queue_job_id_seq')")
            running, dying = cr.fetchone()
            # this connection plays the worker running the first job
            cr.execute("SELECT pg_advisory_lock(%s, %s)", (requeue.LOCK_CLASS, running))
            started = time.time()
            for job_id, name, retry in ((running, "a long job", 0), (dying, "a job killing its "
                                                                      "worker", 2)):
                cr.execute("""INSERT INTO queue_job (id, uuid, user_id, state, retry, max_retries,
                                  channel, priority, name, date_created, date_started)
                              VALUES (%s, %s, 1, 'started', %s, 3, 'root', 10, %s,
                                      now() at time zone 'utc', now() at time zone 'utc')""",
                           (job_id, str(uuid.uuid4()), retry, name))
            deadline = started + 4 * requeue.REQUEUE_INTERVAL
            while sql(server.db, "SELECT state FROM queue_job WHERE id = %s", [dying]) == \
                    [("started",)]:
                assert time.time() < deadline, "the dead job was not seen"
                time.sleep(0.2)
            (state, retry, exc_info), = sql(server.db, "SELECT state, retry, exc_info FROM "
                                                       "queue_job WHERE id = %s", [dying])
            assert (state, retry) == ("failed", 3)
            assert exc_info.startswith("The worker running this job died 3 times")
            time.sleep(max(0.0, started + 2.5 * requeue.REQUEUE_INTERVAL - time.time()))
            assert sql(server.db, "SELECT state, retry FROM queue_job WHERE id = %s",
                       [running]) == [("started", 0)]
            # the long job ends (its worker would mark it done) before its lock goes
            cr.execute("DELETE FROM queue_job WHERE id IN %s", [(running, dying)])
            cr.execute("SELECT pg_advisory_unlock(%s, %s)", (requeue.LOCK_CLASS, running))
    finally:
        conn.close()



# A server's main process as queue_job's job runner makes it: the compatibility layer applied, the
# runner opening a PostgreSQL connection in a thread of its own (as it does one second after each
# job it hands to a worker) while the main thread forks a worker, whose first connection goes
# through Odoo's pool, as a worker's first request does. libpq looks for GSSAPI credentials under
# a mutex of the GSSAPI library; the GSSAPI configuration file read under that mutex is here a
# FIFO, so that a connection which enters the GSSAPI library holds the mutex as long as no one
# writes to the FIFO, instead of for the few microseconds that made the fork meet it now and then.
# 1. as configured: the runner's connection does not enter the GSSAPI library; a worker forked at
#    once connects;
# 2. an administrator asked for GSSAPI (PGGSSENCMODE=prefer), the FIFO is written to after one
#    second: Odoo's prefork server forks the worker once the runner's connection is made.
# Prints what each worker did ("connected", or "hung": still waiting after 5 s).
FORKING_SERVER = """
import json, os, signal, sys, tempfile, threading, time
import b2b_compat
b2b_compat.apply()
from b2b_compat import queue_job_requeue
import odoo
from odoo.addons.queue_job.jobrunner import runner
from odoo.service import server

for key, value in json.loads(sys.argv[1]).items():
    odoo.tools.config[key] = value
result = {}


def gssapi_configuration():
    fifo = os.path.join(tempfile.mkdtemp(), "mech")
    os.mkfifo(fifo)
    os.environ["GSS_MECH_CONFIG"] = fifo
    return fifo


class Worker(object):
    def __init__(self, multi):
        self.multi = multi

    def run(self):
        del os.environ["GSS_MECH_CONFIG"]
        signal.alarm(5)
        cr = odoo.sql_db.db_connect("postgres").cursor()
        cr.execute("SELECT 1")
        cr.close()
        os._exit(0)


def outcome(pid):
    status = os.waitpid(pid, 0)[1]
    return "connected" if status == 0 else "hung" if os.WIFSIGNALED(status) and \\
        os.WTERMSIG(status) == signal.SIGALRM else "exit status %d" % status


def runner_connects(connected):
    runner.psycopg2.connect(**runner._connection_info_for("postgres")).close()
    connected.append(time.time())


def feed(fifo, delay):
    time.sleep(delay)
    while True:
        os.close(os.open(fifo, os.O_WRONLY))


def waited_for(condition, seconds=30):
    deadline = time.time() + seconds
    while not condition() and time.time() < deadline:
        time.sleep(0.01)
    return condition()


# the runner's connection does not enter the GSSAPI library: nothing of it blocks on the
# configuration that never comes, so a worker forked while it connects connects too
gssapi_configuration()
connected = []
threading.Thread(target=runner_connects, args=(connected,), daemon=True).start()
time.sleep(0.5)
pid = os.fork()
if pid == 0:
    Worker(None).run()
result["worker forked at once"] = outcome(pid)
result["runner connected"] = waited_for(lambda: bool(connected))

# GSSAPI asked for by the administrator: the runner's connection holds the library's lock until
# the configuration comes (one second after the runner is seen connecting); the prefork server
# waits for the connection before it forks
os.environ["PGGSSENCMODE"] = "prefer"
fifo = gssapi_configuration()
connected = []
threading.Thread(target=runner_connects, args=(connected,), daemon=True).start()
result["runner seen connecting"] = waited_for(queue_job_requeue.CONNECTING.locked)
threading.Thread(target=feed, args=(fifo, 1.0), daemon=True).start()
workers = {}
started = time.time()
server.PreforkServer(None).worker_spawn(Worker, workers)
result["the fork waited for the runner's connection"] = time.time() - started >= 0.5
result["worker forked by the prefork server"] = outcome(list(workers)[0])
print(json.dumps(result))
"""


def test_a_worker_started_while_the_job_runner_connects_reaches_the_database():
    """The server starts a worker in place of a dead one at once, also while its job runner (a
    thread of the main process) opens a PostgreSQL connection, as it does one second after handing
    a job to a worker: the kill of the orders import may fall there when the import reaches its
    orders' lines in about a second. The new worker's first connection must not wait for ever;
    when it did, the worker took 1C's next call (``init`` of its new exchange) and never answered
    it (libpq's locks, see runtime/b2b_compat/queue_job_requeue.py)."""
    options = {key: value for key, value in DATABASES.options.items()
               if key in ("db_host", "db_port", "db_user", "db_password", "db_sslmode")}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [os.path.join(ROOT, "runtime"), os.environ.get("PYTHONPATH")])))
    env.pop("PGGSSENCMODE", None)
    proc = subprocess.run([sys.executable, "-W", "ignore", "-c", FORKING_SERVER,
                           json.dumps(options)], capture_output=True, text=True, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.splitlines()[-1]) == {
        "worker forked at once": "connected", "runner connected": True,
        "runner seen connecting": True, "the fork waited for the runner's connection": True,
        "worker forked by the prefork server": "connected"}
