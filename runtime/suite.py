"""What `make run`, `make test`, `make shell` and `make stop` do, once the virtualenv exists.

run    start PostgreSQL; create database ``b2b`` with the suite's addons and demo data if it does
       not exist (built under a temporary name and renamed when complete, so a failed build leaves
       nothing behind), upgrade the addons if their files changed since the last run; start the
       Bitrix24 stand-in in the background (127.0.0.1:8075) and connect the database to it, unless
       the database is connected to another Bitrix24; then serve Odoo in the foreground (workers
       and ports from odoo.conf).
test   start PostgreSQL; a fresh throw-away database copied from a cached template that holds the
       stock Odoo modules the suite depends on (keyed on requirements.txt and those modules); install
       the suite's addons with Odoo's test runner; run pytest on the plain-Python tests; print one
       line ``N passed, M failed`` (a skipped test counts as failed); exit non-zero when anything
       failed. Before the tests, the lint
       step: pylint-odoo with OCA's checks for Odoo 11 (.pylintrc) over the addons, its messages
       printed and counted (``lint: K messages``); any message fails the run.
shell  an Odoo shell on ``b2b``.
lint   the lint step alone; exit non-zero on any message.
stop   stop the Odoo started by `run`, its Bitrix24 stand-in and the embedded PostgreSQL.
"""
import argparse
import ast
import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

RUNTIME = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(RUNTIME)
sys.path.insert(0, RUNTIME)

import pg  # noqa: E402
from launcher import render_config  # noqa: E402

CONF = os.path.join(ROOT, "odoo.conf")
RUN_DIR = os.path.join(ROOT, ".run")
ODOO = [sys.executable, os.path.join(RUNTIME, "launcher.py")]
PIDFILE = os.path.join(RUN_DIR, "odoo.pid")
LANGUAGES = "en_US,ru_RU"   # English by default, Russian installed for the dealers
COUNTRY = "RU"               # the supplier's country: company currency RUB, Russian chart of accounts
TEST_DB_PREFIX = "b2b_test_"
TEMPLATE_PREFIX = "b2b_tmpl_"
PYTEST_PATHS = ["runtime/tests", "*/lib/tests", "addons/*/lib/tests", "tests"]


def say(msg):
    print("[suite] %s" % msg, flush=True)


# ------------------------------------------------------------------------------------ addons
def addon_dirs():
    """The suite's own addons: folders with a manifest under addons/ and at the root."""
    found = {}
    for base in (os.path.join(ROOT, "addons"), ROOT):
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            path = os.path.join(base, name)
            if os.path.isfile(os.path.join(path, "__manifest__.py")):
                found.setdefault(name, path)
    return found


def manifest(path):
    with open(os.path.join(path, "__manifest__.py"), encoding="utf-8") as fh:
        return ast.literal_eval(fh.read())


def stock_dependencies(addons):
    """Modules outside the suite that the suite's addons depend on (directly)."""
    deps = set()
    for path in addons.values():
        deps.update(manifest(path).get("depends", []))
    return sorted(deps - set(addons))


def tree_hash(paths, extra=()):
    digest = hashlib.sha256()
    for item in extra:
        digest.update(item.encode())
    for top in paths:
        for folder, dirs, files in sorted(os.walk(top)):
            dirs[:] = sorted(d for d in dirs if d not in ("__pycache__",))
            for name in sorted(files):
                if name.endswith((".pyc", ".pyo")):
                    continue
                full = os.path.join(folder, name)
                digest.update(os.path.relpath(full, ROOT).encode())
                with open(full, "rb") as fh:
                    digest.update(fh.read())
    return digest.hexdigest()[:16]


# ------------------------------------------------------------------------------------ database
class Databases:
    def __init__(self):
        options = pg.read_options(CONF)
        self.options = options
        self.cluster = pg.Cluster(CONF)

    def start_server(self):
        if self.cluster.embedded:
            if self.cluster.start():
                say("PostgreSQL started on 127.0.0.1:%d (.run/pg)" % self.cluster.port)
            self.cluster.wait_ready()

    def sql(self, query, params=None):
        """Run ``query`` outside any transaction (CREATE/DROP DATABASE need that); return rows."""
        conn = self.connect()
        try:
            with conn.cursor() as cr:
                cr.execute(query, params)
                return cr.fetchall() if cr.description else []
        finally:
            conn.close()

    def connect(self, dbname="postgres"):
        import psycopg2
        conn = psycopg2.connect(host=self.options.get("db_host") or "127.0.0.1",
                                port=int(self.options.get("db_port") or pg.DEFAULT_PORT),
                                user=self.options.get("db_user") or "odoo",
                                password=self.options.get("db_password") or "odoo",
                                dbname=dbname)
        conn.autocommit = True
        return conn

    def list(self, prefix=""):
        rows = self.sql("SELECT datname FROM pg_database WHERE datname LIKE %s", (prefix + "%",))
        return sorted(r[0] for r in rows)

    def list_by_age(self, prefix):
        rows = self.sql("SELECT datname FROM pg_database WHERE datname LIKE %s ORDER BY oid",
                        (prefix + "%",))
        return [r[0] for r in rows]

    def exists(self, name):
        return name in self.list(name)

    def filestore(self, name):
        return os.path.join(RUN_DIR, "data", "filestore", name)

    def drop(self, name):
        # our own sessions only: an autovacuum worker (a superuser's process, which this role may
        # not end) is stopped by DROP DATABASE itself
        self.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                 "WHERE datname = %s AND usename = current_user", (name,))
        self.sql('DROP DATABASE IF EXISTS "%s"' % name)
        shutil.rmtree(self.filestore(name), ignore_errors=True)

    def rename(self, old, new):
        self.sql('ALTER DATABASE "%s" RENAME TO "%s"' % (old, new))
        if os.path.isdir(self.filestore(old)):
            shutil.rmtree(self.filestore(new), ignore_errors=True)
            os.rename(self.filestore(old), self.filestore(new))

    def copy(self, template, new):
        self.sql('CREATE DATABASE "%s" TEMPLATE "%s"' % (new, template))
        if os.path.isdir(self.filestore(template)):
            shutil.copytree(self.filestore(template), self.filestore(new))


def odoo(args, log=None, check=True):
    """Run the launcher with ``args``; stream its output (and keep it in ``log``)."""
    cmd = ODOO + list(args)
    if log is None:
        proc = subprocess.run(cmd)
        if check and proc.returncode:
            raise SystemExit("odoo %s failed (exit %d)" % (" ".join(args), proc.returncode))
        return proc.returncode
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                errors="replace")
        for line in proc.stdout:
            out.write(line)
            if not os.environ.get("B2B_QUIET") or re.search(r" (ERROR|CRITICAL|WARNING) ", line):
                sys.stdout.write(line)
        proc.wait()
    if check and proc.returncode:
        raise SystemExit("odoo %s failed (exit %d), log: %s" % (" ".join(args), proc.returncode, log))
    return proc.returncode


def build_database(dbs, name, modules, extra_args=(), prepare=None):
    """Create database ``name`` with ``modules`` (and demo data) atomically; ``prepare(part)``
    completes the database under its temporary name before it is renamed."""
    part = "%s_part" % name
    dbs.drop(part)
    log = os.path.join(RUN_DIR, "%s.log" % part)
    try:
        rendered = render_config(CONF, os.path.join(RUN_DIR, "odoo.conf"))
        create_log = os.path.join(RUN_DIR, "%s.create.log" % part)
        with open(create_log, "w") as out:
            code = subprocess.run([sys.executable, os.path.join(RUNTIME, "createdb.py"), rendered, part,
                                   COUNTRY], stdout=out, stderr=subprocess.STDOUT).returncode
        if code:
            raise SystemExit("creating database %s failed (exit %d); log: %s" % (name, code, create_log))
        code = odoo(["-d", part, "-i", ",".join(modules), "--stop-after-init", "--max-cron-threads=0",
                     "--workers=0", "--load-language=%s" % LANGUAGES, "--db-filter=^%s$" % part]
                    + list(extra_args), log=log, check=False)
        errors = [l for l in open(log, encoding="utf-8") if re.search(r"\d (ERROR|CRITICAL) ", l)]
        if code or errors:
            raise SystemExit("building database %s failed (exit %d, %d errors); log: %s"
                             % (name, code, len(errors), log))
        if prepare:
            prepare(part)
    except BaseException:
        dbs.drop(part)
        raise
    dbs.rename(part, name)


# ------------------------------------------------------------------------------------ demo exchange
DEMO_EXCHANGE_LOGIN = "1c-exchange"
DEMO_EXCHANGE_PASSWORD = "1c-exchange"  # demo users' passwords are their logins
DEMO_SETUP = """
env["b2b.onec.exchange.session"]._onec_demo_setup(%r, %r)
env.cr.commit()
"""
# the demo B2B exchanges (b2b_1c_bridge/lib/demo_b2b.py) as of the supplier's today, written by
# Odoo (the module reads the supplier's date and other addons' rules) as one folder per exchange
# and a plan [[exchange type, folder, [names to import]]]
DEMO_B2B_WRITE = """
import json, os
from odoo.addons.b2b_1c_bridge.lib import demo_b2b, demo_package
from odoo.addons.b2b_base.tools import business_date
today = business_date.today(env)
exchanges = demo_b2b.exchanges(today)
if env["ir.module.module"].search_count([("name", "=", "b2b_1c_bridge_bonus"),
                                         ("state", "=", "installed")]):
    from odoo.addons.b2b_1c_bridge_bonus.lib import demo_bonus
    exchanges += demo_bonus.exchanges(today)
if env["ir.module.module"].search_count([("name", "=", "b2b_1c_bridge_commission"),
                                         ("state", "=", "installed")]):
    from odoo.addons.b2b_1c_bridge_commission.lib import demo_commission
    exchanges += demo_commission.exchanges(today, demo_commission.prepare(env, today))
    env.cr.commit()
plan = []
for number, (kind, files, imports) in enumerate(exchanges, 1):
    folder = os.path.join(%(folder)r, "%%d-%%s" %% (number, kind))
    demo_package.write_package(folder, files)
    plan.append([kind, folder, imports])
with open(os.path.join(%(folder)r, "exchanges.json"), "w") as fh:
    json.dump(plan, fh)
"""


def load_by_path(name, path):
    """A module of the checkout loaded from its file (addons are not importable outside Odoo)."""
    import importlib.util
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def demo_package():
    """The demo catalog as 1C sends it: [(name, bytes)] (b2b_1c_bridge/lib/demo_package.py)."""
    addons = addon_dirs()
    democatalog = load_by_path("b2b_demo_democatalog",
                               os.path.join(addons["b2b_base"], "lib", "democatalog.py"))
    package = load_by_path("b2b_demo_package",
                           os.path.join(addons["b2b_1c_bridge"], "lib", "demo_package.py"))
    return package.catalog_package(democatalog)


def wait_http(url, proc, seconds=180):
    import urllib.error
    import urllib.request
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            return False
        try:
            urllib.request.urlopen(url, timeout=5)
            return True
        except urllib.error.HTTPError:
            return True  # the server answers (a refusal is an answer)
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    return False


def demo_exchange(part):
    """Load the demo catalog and the demo B2B data into database ``part`` the way 1C does it:
    create the exchange user (and bind the demo goods to their 1C ids), write the demo B2B
    packages as of the supplier's today (lib/demo_b2b.py), start Odoo on a free local port,
    replay the demo catalog, then the B2B exchanges (counterparties, ledger and overdue summary;
    orders taken in 1C; printed forms) through /b2b/1c/exchange with the 1C stand-in, and stop
    Odoo. Any refusal fails the demo exchange (the caller reports it)."""
    import json
    log = os.path.join(RUN_DIR, "%s.demo-exchange.log" % part)
    b2b_folder = os.path.join(RUN_DIR, "%s.demo-b2b" % part)
    shutil.rmtree(b2b_folder, ignore_errors=True)
    os.makedirs(b2b_folder)
    say("demo data: exchange user %s, then the demo catalog and the demo B2B exchange (dealers, "
        "ledger, overdue debt, orders taken in 1C, printed forms) through the 1C exchange endpoint"
        % DEMO_EXCHANGE_LOGIN)
    with open(log, "w", encoding="utf-8") as out:
        setup = subprocess.run(ODOO + ["shell", "-d", part, "--no-http",
                                       "--workers=0", "--max-cron-threads=0"],
                               input=DEMO_SETUP % (DEMO_EXCHANGE_LOGIN, DEMO_EXCHANGE_PASSWORD)
                               + DEMO_B2B_WRITE % {"folder": b2b_folder},
                               stdout=out, stderr=subprocess.STDOUT, text=True)
    if setup.returncode:
        raise SystemExit("demo exchange set-up failed (exit %d); log: %s" % (setup.returncode, log))
    port = free_port()
    with open(log, "a", encoding="utf-8") as out:
        server = subprocess.Popen(ODOO + ["-d", part, "--db-filter=^%s$" % part,
                                          "--http-interface=127.0.0.1", "--http-port=%d" % port,
                                          "--workers=0", "--max-cron-threads=0"],
                                  stdout=out, stderr=subprocess.STDOUT)
    try:
        base = "http://127.0.0.1:%d" % port
        if not wait_http(base + "/b2b/1c/exchange?type=catalog&mode=init", server):
            raise SystemExit("demo exchange: Odoo did not start; log: %s" % log)
        onec = load_by_path("b2b_standins_onec_client",
                            os.path.join(ROOT, "tests", "standins", "onec_client.py"))
        client = onec.OnecExchangeClient(base, DEMO_EXCHANGE_LOGIN, DEMO_EXCHANGE_PASSWORD,
                                         timeout=600, progress_pause=0.5, progress_limit=1200)
        started = time.time()
        try:
            client.exchange(demo_package(), exchange_type="catalog", zip_name="demo_exchange.zip")
            client.complete()
            with open(os.path.join(b2b_folder, "exchanges.json"), encoding="utf-8") as fh:
                plan = json.load(fh)
            for exchange_type, folder, names in plan:
                client.exchange(onec.read_package(folder), exchange_type=exchange_type,
                                zip_name="demo_%s.zip" % os.path.basename(folder), imports=names)
        except (OSError, ValueError) as exc:
            raise SystemExit("demo exchange: the demo B2B packages were not written (%s); log: %s"
                             % (exc, log))
        except (onec.ExchangeStopped, onec.ExchangeTimeout) as exc:
            raise SystemExit("demo exchange refused: %s; log: %s" % (exc, log))
        imports = ["%s %s" % (a.filename, a.verdict) for a in client.answers if a.mode == "import"
                   and a.verdict != "progress"]
        say("demo exchange done in %.0f s (%s)" % (time.time() - started, ", ".join(imports)))
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def demo_exchange_or_warn(part):
    """The demo exchange; when it fails the database is kept with the demo data of the addons
    and the failure is reported (the portal still starts)."""
    try:
        demo_exchange(part)
    except SystemExit as exc:
        say("WARNING: the demo exchange failed; the database keeps the demo data and what the "
            "exchange loaded before the failure: %s" % exc)


# ------------------------------------------------------------------------------------ Bitrix24 demo
# `make run` plays the supplier's Bitrix24 with the stand-in (tests/standins/bitrix24.py) as a
# background process of its own; its operator, the demo manager Иван, answers each dealer chat's
# first message. The stand-in keeps its portal in memory: each `make run` starts a fresh one and
# points the database at it again, unless the database is connected to another Bitrix24.
BITRIX_PORT = 8075
BITRIX_PIDFILE = os.path.join(RUN_DIR, "bitrix24.pid")
BITRIX_INFO = os.path.join(RUN_DIR, "bitrix24.json")
BITRIX_LOG = os.path.join(RUN_DIR, "bitrix24.log")
BITRIX_STANDIN = os.path.join(ROOT, "tests", "standins", "bitrix24.py")
BITRIX_AUTO_ANSWER = ("Здравствуйте! Это Иван, ваш менеджер. Посмотрю и отвечу в течение часа.")
BITRIX_MANAGER_XMLID = "b2b_base.demo_user_manager_ivan"
BITRIX_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# what the database knew of the previous stand-in's portal (its records are gone with it):
# model -> fields holding Bitrix24 ids, emptied when a fresh stand-in replaces it
BITRIX_FORGET = (
    ("sale.order", ("b2b_bitrix_deal_id", "b2b_bitrix_sent_hash", "b2b_bitrix_signature")),
    ("res.partner", ("b2b_bitrix_company_id", "b2b_bitrix_contact_id")),
    ("b2b.merch.request", ("bitrix_id",)),
    ("mail.message", ("b2b_bitrix_im_message_id", "b2b_bitrix_im_chat_id")),
)
BITRIX_DEMO_SETUP = """
import json
cfg = json.loads(%r)
ICP = env["ir.config_parameter"].sudo()
for key, value in sorted(cfg["params"].items()):
    ICP.set_param(key, value)
env["b2b.bitrix.token"]._b2b_install(cfg["install"])
for model, names in cfg["forget"]:
    if model in env:
        for name in names:
            if name in env[model]._fields and env[model]._fields[name].store:
                env.cr.execute('UPDATE "%%s" SET "%%s" = NULL WHERE "%%s" IS NOT NULL'
                               %% (env[model]._table, name, name))
env["res.users"].invalidate_cache()  # every model's cache
manager = env.ref(cfg["manager_xmlid"], raise_if_not_found=False)
if manager:
    env["res.users"].sudo().search([("b2b_bitrix_user_id", "=", cfg["manager_id"]),
                                    ("id", "!=", manager.id)]).write({"b2b_bitrix_user_id": 0})
    manager.sudo().write({"b2b_bitrix_user_id": cfg["manager_id"]})
env.cr.commit()
outcome = env["b2b.bitrix.api"]._b2b_subscribe()
# the open orders (the demo's and those 1C's exchange brought) become deals of the fresh portal
queued = env["sale.order"]._b2b_bitrix_send_existing()
env.cr.commit()
print("BITRIX24-DEMO " + json.dumps({"manager": manager.login if manager else None,
                                      "outcome": [[w, ok, d] for w, ok, d in outcome],
                                      "orders": queued}))
"""


def bitrix_demo_wanted(webhook_url):
    """Whether `make run` plays Bitrix24 for a database whose webhook URL is ``webhook_url``: it
    does unless the database is connected to a Bitrix24 elsewhere than on this machine."""
    if not webhook_url:
        return True
    from urllib.parse import urlsplit
    return (urlsplit(webhook_url).hostname or "") in BITRIX_LOCAL_HOSTS


def odoo_base_url(options, current=""):
    """The address the stand-in posts its events to: web.base.url unless it is missing or local
    (Odoo writes http://localhost:8069 itself), else the HTTP port `make run` serves on."""
    from urllib.parse import urlsplit
    if current and (urlsplit(current).hostname or "") not in BITRIX_LOCAL_HOSTS:
        return current.rstrip("/")
    interface = options.get("http_interface") or "127.0.0.1"
    if interface in ("0.0.0.0", "::"):
        interface = "127.0.0.1"
    return "http://%s:%s" % (interface, options.get("http_port") or 8069)


def bitrix_demo_config(info, base_url, forget=True):
    """What the database is given to work with the stand-in ``info`` (the JSON line the
    stand-in prints): the bridge's settings, the installation's tokens, the demo manager's
    Bitrix24 user and the ids of an earlier portal to forget."""
    rate = float(info.get("rate") or 0)
    params = {
        "b2b_bitrix_bridge.webhook_url": info["webhook_url"],
        "b2b_bitrix_bridge.client_id": info["client_id"],
        "b2b_bitrix_bridge.client_secret": info["client_secret"],
        "b2b_bitrix_bridge.oauth_url": info["oauth_url"],
        "b2b_bitrix_bridge.application_token": info["application_token"],
        "b2b_bitrix_bridge.line_id": str(info["line_id"]),
        # the portal's limit (no limit: a rate the client never reaches)
        "b2b_bitrix_bridge.rate": repr(rate) if rate > 0 else "1000.0",
        "b2b_bitrix_bridge.burst": str(int(info.get("burst") or 50)),
        "web.base.url": base_url,
    }
    return {"params": params, "install": info["install"], "manager_id": int(info["manager_id"]),
            "manager_xmlid": BITRIX_MANAGER_XMLID,
            "forget": [[model, list(names)] for model, names in BITRIX_FORGET] if forget else []}


def _standin_pid(pidfile=BITRIX_PIDFILE):
    """The pid of the running stand-in ``pidfile`` names, else None."""
    try:
        pid = int(open(pidfile).read().strip())
        with open("/proc/%d/cmdline" % pid, "rb") as fh:
            if b"bitrix24.py" not in fh.read():
                return None
        return pid
    except (OSError, ValueError):
        return None


def stop_bitrix_standin(pidfile=BITRIX_PIDFILE):
    """Stop the stand-in whose pid ``pidfile`` holds (by default `make run`'s); True if one ran."""
    pid = _standin_pid(pidfile)
    if pid:
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if _standin_pid(pidfile) is None:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
    if os.path.exists(pidfile):
        os.remove(pidfile)
    return bool(pid)


def _port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def start_bitrix_standin(port=BITRIX_PORT, run_dir=RUN_DIR, answer=BITRIX_AUTO_ANSWER,
                         operator_id=7, seconds=30):
    """Start the stand-in in the background (a session of its own: Ctrl+C on Odoo leaves it) on
    ``port``, or on a free port when that one is taken; its pid, the JSON line it prints and its
    log go to ``run_dir``. Returns that JSON line as a dict."""
    pidfile = os.path.join(run_dir, "bitrix24.pid")
    log = os.path.join(run_dir, "bitrix24.log")
    if not _port_free(port):
        port = free_port()
    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen(
            [sys.executable, BITRIX_STANDIN, "--port", str(port), "--auto-answer", answer,
             "--operator-id", str(operator_id)],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    with open(pidfile, "w") as fh:
        fh.write(str(proc.pid))
    import json
    deadline = time.time() + seconds
    while time.time() < deadline:
        with open(log, encoding="utf-8") as fh:
            first = fh.readline()
        if first.endswith("\n"):
            info = json.loads(first)
            info["pid"] = proc.pid
            with open(os.path.join(run_dir, "bitrix24.json"), "w", encoding="utf-8") as fh:
                json.dump(info, fh, ensure_ascii=False, indent=1)
            return info
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    proc.wait()
    raise SystemExit("the Bitrix24 stand-in did not start; log: %s" % log)


def _param(dbs, dbname, key):
    conn = dbs.connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", (key,))
            row = cr.fetchone()
            return row[0] if row else ""
    finally:
        conn.close()


def bitrix_demo(dbs, dbname):
    """Start a fresh Bitrix24 stand-in and connect database ``dbname`` to it (settings, the
    application's installation, the demo manager, the events bound to Odoo's address, the chat
    connector on the open line); nothing when the database is connected to another Bitrix24."""
    import json
    webhook = _param(dbs, dbname, "b2b_bitrix_bridge.webhook_url")
    if not bitrix_demo_wanted(webhook):
        stop_bitrix_standin()
        say("Bitrix24: %s (set in the database; no stand-in started)" % webhook)
        return None
    stop_bitrix_standin()
    info = start_bitrix_standin()
    base_url = odoo_base_url(dbs.options, _param(dbs, dbname, "web.base.url"))
    config = bitrix_demo_config(info, base_url)
    log = os.path.join(RUN_DIR, "%s.bitrix24-setup.log" % dbname)
    with open(log, "w", encoding="utf-8") as out:
        setup = subprocess.run(ODOO + ["shell", "-d", dbname, "--no-http", "--workers=0",
                                       "--max-cron-threads=0"],
                               input=BITRIX_DEMO_SETUP % json.dumps(config), stdout=subprocess.PIPE,
                               stderr=out, text=True)
        out.write(setup.stdout)
    report = [l for l in setup.stdout.splitlines() if l.startswith("BITRIX24-DEMO ")]
    if setup.returncode or not report:
        raise SystemExit("connecting database %s to the Bitrix24 stand-in failed; log: %s"
                         % (dbname, log))
    done = json.loads(report[-1][len("BITRIX24-DEMO "):])
    failed = ["%s: %s" % (what, detail) for what, ok, detail in done["outcome"] if not ok]
    say("Bitrix24 stand-in on %s (pid %d, log .run/bitrix24.log): events to %s, %s answers "
        "a dealer chat's first message, %d open orders queued to become deals%s" % (
            info["webhook_url"].split("/rest/")[0], info["pid"], base_url + "/b2b/bitrix/event",
            done["manager"] or "the portal's admin", done.get("orders") or 0,
            "; NOT DONE: " + "; ".join(failed) if failed else ""))
    return info


def bitrix_demo_or_warn(dbs, dbname):
    try:
        return bitrix_demo(dbs, dbname)
    except SystemExit as exc:
        say("WARNING: the Bitrix24 demo is not connected: %s" % exc)
        return None


# ------------------------------------------------------------------------------------ run
def installed_addons(dbs, dbname, names):
    """Which of ``names`` are installed in database ``dbname``."""
    conn = dbs.connect(dbname)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT name FROM ir_module_module WHERE state = 'installed' AND name = ANY(%s)",
                       (list(names),))
            return {row[0] for row in cr.fetchall()}
    finally:
        conn.close()


def cmd_run(args):
    dbs = Databases()
    dbs.start_server()
    addons = addon_dirs()
    dbname = dbs.options.get("db_name") or "b2b"
    stamp_file = os.path.join(RUN_DIR, "%s.addons-hash" % dbname)
    current = tree_hash(addons.values())
    if not dbs.exists(dbname):
        say("creating database %s with %s and demo data" % (dbname, ", ".join(addons)))
        build_database(dbs, dbname, list(addons),
                       prepare=demo_exchange_or_warn if "b2b_1c_bridge" in addons else None)
    elif not os.path.isfile(stamp_file) or open(stamp_file).read().strip() != current:
        say("upgrading %s in database %s" % (", ".join(addons), dbname))
        # an addon new in the checkout (e.g. a glue addon) is installed; -u alone would skip it
        new = sorted(set(addons) - installed_addons(dbs, dbname, addons))
        odoo(["-d", dbname, "-u", ",".join(addons)] + (["-i", ",".join(new)] if new else [])
             + ["--stop-after-init", "--workers=0", "--max-cron-threads=0"])
    with open(stamp_file, "w") as fh:
        fh.write(current)
    # after the demo exchange (its Odoo queues nothing for Bitrix24 while no webhook is set)
    if installed_addons(dbs, dbname, ["b2b_bitrix_bridge"]):
        bitrix_demo_or_warn(dbs, dbname)
    if args.no_serve:
        return 0
    say("serving Odoo on http://%s:%s (database %s; Ctrl+C stops it)"
        % (dbs.options.get("http_interface") or "127.0.0.1", dbs.options.get("http_port") or 8069, dbname))
    rendered = render_config(CONF, os.path.join(RUN_DIR, "odoo.conf"))
    os.execv(sys.executable, ODOO + ["-c", rendered, "-d", dbname, "--pidfile", PIDFILE])


# ------------------------------------------------------------------------------------ lint
# pylint-odoo with OCA's checks for Odoo 11 (.pylintrc) over the addons; its messages are printed by
# every `make test`, and any message fails it.
LINT_MESSAGE_RE = re.compile(r"^\S+:\d+: \[[A-Z]\d{4}\(([a-z0-9-]+)\)")


def run_lint(paths):
    """Lint the addon folders ``paths``; print each message and one line ``lint: K messages``.
    Returns (K, summary line); K is None when pylint itself could not run."""
    started = time.time()
    cmd = [sys.executable, "-m", "pylint", "--rcfile=%s" % os.path.join(ROOT, ".pylintrc")]
    proc = subprocess.run(cmd + [os.path.relpath(p, ROOT) for p in paths], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    by_check = {}
    for line in proc.stdout.splitlines():
        m = LINT_MESSAGE_RE.match(line)
        if m:
            by_check[m.group(1)] = by_check.get(m.group(1), 0) + 1
            print(line, flush=True)
    count = sum(by_check.values())
    if proc.returncode & (1 | 32) or (proc.returncode and not count):  # fatal or usage error
        print(proc.stdout[-3000:], flush=True)
        summary = "lint: pylint did not run through (exit %d)" % proc.returncode
        count = None
    else:
        summary = "lint: %d messages%s (%.0f s)" % (count, " (%s)" % ", ".join(
            "%s %d" % item for item in sorted(by_check.items(), key=lambda i: (-i[1], i[0])))
            if count else "", time.time() - started)
    say(summary)
    return count, summary


def cmd_lint(args):
    """The lint step alone, over every addon; fails on any message."""
    count, _summary = run_lint(list(addon_dirs().values()))
    return 0 if count == 0 else 1


def lint_failures(count):
    """What the lint step adds to the failures of `make test`: 1 unless it ran with no message."""
    return 0 if count == 0 else 1


# ------------------------------------------------------------------------------------ test
RAN_RE = re.compile(r"\bRan (\d+) tests? in ")
MODULE_FAIL_RE = re.compile(r"Module (\S+): (\d+) failures, (\d+) errors")
LOG_ERROR_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (ERROR|CRITICAL) ")
LOG_LINE_RE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ ")


TRACE_LINE_RE = re.compile(r"odoo\.addons\.[\w.]+\.tests\.[\w.]+: (?:` )?(.*)$")
TEST_REPORT_RE = re.compile(r"odoo\.addons\.[\w.]+\.tests\.[\w.]+: (FAIL|ERROR): (\S+ \([\w.]+\))")
# unittest's runner (verbosity 2) names each test as it starts ("test_x (module.Class.test_x)", or
# "setUpClass (module.Class)" for a class that skips whole) and says "skipped 'reason'" when it
# skipped; Odoo logs both through the test module's logger
TEST_START_RE = re.compile(r"(odoo\.addons\.[\w.]+\.tests\.[\w.]+): (\w+ \([\w.]+\))\s*$")
TEST_SKIP_RE = re.compile(r"(odoo\.addons\.[\w.]+\.tests\.[\w.]+): skipped (.*)$")


def _skip_reason(text):
    """The reason of a skip as unittest writes it (the repr of a string), as plain text."""
    try:
        reason = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        return text.strip()
    return reason if isinstance(reason, str) else text.strip()


def parse_odoo_test_log(path, reports=None, skips=None):
    """(tests run, tests failed or errored, other error lines) of an Odoo test run log.

    ``reports``, when a list, receives (test, last lines of its traceback) of each failing test;
    ``skips``, when a list, receives (test, reason) of each skipped test (unittest counts a skipped
    test among those it ran)."""
    ran = failed = 0
    other_errors = []
    current = None
    started = {}    # the test each test module's logger named last
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if current is not None:
                # the traceback follows, as lines of its own or as log records "...: ` text"
                quoted = TRACE_LINE_RE.search(line)
                if quoted and LOG_ERROR_RE.match(line) and not TEST_REPORT_RE.search(line):
                    current[1].append(quoted.group(1).rstrip())
                    continue
                if LOG_LINE_RE.match(line):
                    current = None
                else:
                    if line.strip():
                        current[1].append(line.rstrip())
                    continue
            m = TEST_REPORT_RE.search(line)
            if m and reports is not None:
                current = ("%s %s" % (m.group(1), m.group(2)), [])
                reports.append(current)
            m = TEST_START_RE.search(line)
            if m:
                started[m.group(1)] = m.group(2)
            m = TEST_SKIP_RE.search(line)
            if m and skips is not None:
                skips.append((started.get(m.group(1), m.group(1)), _skip_reason(m.group(2))))
            m = RAN_RE.search(line)
            if m:
                ran += int(m.group(1))
            m = MODULE_FAIL_RE.search(line)
            if m:
                failed += int(m.group(2)) + int(m.group(3))
                continue
            if LOG_ERROR_RE.match(line):
                # lines of a failing test's report are logged at ERROR by the test module's logger
                # ("FAIL: ...", "ERROR: ...", tracebacks); other ERROR lines break the install
                text = line.split(" ", 5)[-1]
                if re.search(r"odoo\.addons\.[\w.]+\.tests\.", line):
                    continue
                other_errors.append(text.strip())
    return ran, failed, other_errors


def parse_junit(path, skips=None):
    """(passed, failed or errored, skipped) of pytest's JUnit XML report; ``skips``, when a list,
    receives (test, reason) of each skipped test."""
    if not os.path.isfile(path):
        return 0, 0, 0
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    total = sum(int(s.get("tests", 0)) for s in suites)
    bad = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    if skips is not None:
        for suite in suites:
            for case in suite.iter("testcase"):
                for skip in case.findall("skipped"):
                    name = "%s::%s" % (case.get("classname", ""), case.get("name", ""))
                    skips.append((name, skip.get("message") or (skip.text or "").strip()))
    return total - bad - skipped, bad, skipped


def count_results(ran, failed, odoo_failed, odoo_skips, py_passed, py_failed, py_skips):
    """(passed, failed) of the closing line. A skipped test proves nothing: each one, of Odoo's
    tests or of pytest's, counts as failed (and is named with its reason above that line).
    ``ran`` and ``failed`` are unittest's counts; ``odoo_failed`` the Odoo side's failures
    (tests, and errors outside them); a skip of a whole class ("setUpClass (...)") is not among
    the tests unittest ran."""
    skipped_tests = sum(1 for test, _reason in odoo_skips
                        if not test.startswith(("setUpClass ", "setUpModule ")))
    passed = (ran - failed - skipped_tests) + py_passed
    return passed, odoo_failed + len(odoo_skips) + py_failed + len(py_skips)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def template_database(dbs, modules):
    """The cached template, built once even when several test runs start together."""
    import fcntl
    with open(os.path.join(RUN_DIR, "template.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _template_database(dbs, modules)


def _template_database(dbs, modules):
    key = tree_hash([], extra=[open(os.path.join(ROOT, "requirements.txt")).read(), ",".join(modules),
                               LANGUAGES, COUNTRY])[:10]
    name = TEMPLATE_PREFIX + key
    if dbs.exists(name):
        return name
    # keep the newest other template (another checkout state may still use it), drop older ones
    for old in dbs.list_by_age(TEMPLATE_PREFIX)[:-1]:
        if not old.endswith("_part"):
            dbs.drop(old)
    say("building the template database %s (%s); it is reused while requirements.txt and these "
        "modules stay the same" % (name, ", ".join(modules)))
    started = time.time()
    build_database(dbs, name, modules)
    say("template database built in %.0f s" % (time.time() - started))
    return name


def cmd_test(args):
    started = time.time()
    dbs = Databases()
    dbs.start_server()
    addons = addon_dirs()
    selected = args.addons.split(",") if args.addons else list(addons)
    lint = None if args.skip_lint else run_lint([addons[name] for name in selected])
    template = template_database(dbs, stock_dependencies(addons))
    for old in dbs.list(TEST_DB_PREFIX):
        if not _pid_alive(old[len(TEST_DB_PREFIX):]):  # a run still going on keeps its database
            dbs.drop(old)
    testdb = "%s%d" % (TEST_DB_PREFIX, os.getpid())
    dbs.copy(template, testdb)
    log_dir = os.path.join(RUN_DIR, "test-logs")
    os.makedirs(log_dir, exist_ok=True)
    for name in os.listdir(log_dir):  # logs of earlier runs that have ended
        if not _pid_alive(name[len(TEST_DB_PREFIX):].split(".")[0]):
            try:
                os.remove(os.path.join(log_dir, name))
            except FileNotFoundError:  # another run cleaned it at the same moment
                pass
    log = os.path.join(log_dir, "%s.log" % testdb)
    port = free_port()
    say("installing %s on %s with Odoo's test runner" % (", ".join(selected), testdb))
    if args.only:
        os.environ["B2B_TEST_ONLY"] = args.only
    t0 = time.time()
    code = odoo(["-d", testdb, "-i", ",".join(selected), "--test-enable", "--stop-after-init",
                 "--workers=0", "--max-cron-threads=0", "--http-port=%d" % port,
                 "--db-filter=^%s$" % testdb, "--log-level=test"], log=log, check=False)
    odoo_time = time.time() - t0
    reports = []
    odoo_skips = []
    ran, failed, other_errors = parse_odoo_test_log(log, reports, odoo_skips)
    odoo_failed = failed + (1 if other_errors and not failed else 0) + (1 if code and not failed else 0)
    if ran == 0:
        say("Odoo ran no test: that is a failure of the test set-up (is demo data loaded?)")
        odoo_failed += 1
    for err in other_errors[:20]:
        say("error outside tests: %s" % err)

    junit = os.path.join(RUN_DIR, "pytest.xml")
    if os.path.exists(junit):
        os.remove(junit)
    env = dict(os.environ, B2B_TEST_DB=testdb, PYTHONDONTWRITEBYTECODE="1")
    paths = [] if args.skip_pytest else [p for pattern in PYTEST_PATHS for p in sorted(_glob(pattern))]
    t0 = time.time()
    py_code = 0
    if paths:
        py_code = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                                  "--junitxml", junit] + paths, cwd=ROOT, env=env).returncode
    py_skips = []
    py_passed, py_failed, py_skipped = parse_junit(junit, py_skips)
    if py_code not in (0, 5) and not py_failed:
        py_failed = 1  # pytest itself broke (collection or usage error)
    pytest_time = time.time() - t0
    if not args.keep:
        dbs.drop(testdb)

    passed, total_failed = count_results(ran, failed, odoo_failed, odoo_skips, py_passed, py_failed,
                                         py_skips)
    say("Odoo's log: %s" % os.path.relpath(log, ROOT))
    for test, trace in reports[:20]:  # the end of the output is what a CI page shows
        say("%s" % test)
        for text in trace[-4:]:
            print("    " + text[:300], flush=True)
    for test, reason in (odoo_skips + py_skips)[:20]:
        say("SKIPPED (counted as failed) %s: %s" % (test, reason))
    say("Odoo: %d tests, %d failed, %d skipped, %.0f s; pytest: %d passed, %d failed, %d skipped, "
        "%.0f s; total %.0f s" % (ran, odoo_failed, len(odoo_skips), odoo_time, py_passed, py_failed,
                                  py_skipped, pytest_time, time.time() - started))
    if lint:  # the lint step's line again, beside the closing one
        say(lint[1])
        total_failed += lint_failures(lint[0])
    print("%d passed, %d failed" % (passed, total_failed), flush=True)
    return 1 if total_failed else 0


def _pid_alive(text):
    try:
        os.kill(int(text), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def _glob(pattern):
    import glob
    return [p for p in glob.glob(os.path.join(ROOT, pattern)) if os.path.isdir(p)]


# ------------------------------------------------------------------------------------ shell, stop
def cmd_shell(args):
    dbs = Databases()
    dbs.start_server()
    dbname = dbs.options.get("db_name") or "b2b"
    os.execv(sys.executable, ODOO + ["shell", "-d", dbname, "--workers=0", "--no-http"])


def cmd_stop(args):
    if os.path.isfile(PIDFILE):
        try:
            pid = int(open(PIDFILE).read().strip())
            os.kill(pid, signal.SIGTERM)
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.1)
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, ValueError):
            pass
        say("Odoo stopped")
        if os.path.exists(PIDFILE):  # Odoo removes it itself when it stops in time
            os.remove(PIDFILE)
    if stop_bitrix_standin():
        say("Bitrix24 stand-in stopped")
    cluster = pg.Cluster(CONF)
    if cluster.stop():
        say("PostgreSQL stopped")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--no-serve", action="store_true", help="prepare the database, do not serve")
    test = sub.add_parser("test")
    test.add_argument("--addons", help="comma-separated subset of the suite's addons to test")
    test.add_argument("--keep", action="store_true", help="keep the test database afterwards")
    test.add_argument("--skip-pytest", action="store_true", help="run only Odoo's tests")
    test.add_argument("--only", help="comma-separated Odoo test modules to run (e.g. test_cart)")
    test.add_argument("--skip-lint", action="store_true", help="do not run the lint step (pylint-odoo)")
    sub.add_parser("shell")
    sub.add_parser("stop")
    sub.add_parser("lint")
    args = parser.parse_args(argv)
    os.makedirs(RUN_DIR, exist_ok=True)
    return {"run": cmd_run, "test": cmd_test, "shell": cmd_shell, "stop": cmd_stop,
            "lint": cmd_lint}[args.command](args) or 0


if __name__ == "__main__":
    sys.exit(main())
