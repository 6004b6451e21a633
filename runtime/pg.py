"""The embedded PostgreSQL 15 cluster of a checkout: initdb / start / stop / status.

The cluster lives in ``.run/pg`` (git-ignored; when the server's system user cannot reach the
checkout, as for a clone under /root, ``.run/pg`` links to a folder under /var/tmp), listens on 127.0.0.1 at the ``db_port`` of odoo.conf
(default 55432) and on a Unix socket that only its owner can reach. Odoo connects over TCP as the
non-superuser role of odoo.conf (``db_user``, with CREATEDB), never as ``postgres``, which Odoo refuses.

PostgreSQL refuses to run as root, as CI does: then the cluster belongs to the ``postgres`` system
user (created by Debian's package) and every server command runs as that user.

When odoo.conf points at another server (``db_host`` neither 127.0.0.1 nor localhost), nothing here
starts anything: that server and its role are the user's.

Usage: python pg.py init|start|stop|status [--conf odoo.conf]
"""
import argparse
import configparser
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CONF = os.path.join(ROOT, "odoo.conf")
DEFAULT_PORT = 55432
PG_BIN_CANDIDATES = ["/usr/lib/postgresql/15/bin"]


class PgError(RuntimeError):
    pass


def read_options(conf_path=DEFAULT_CONF):
    parser = configparser.RawConfigParser()
    parser.read(conf_path, encoding="utf-8")
    return dict(parser.items("options")) if parser.has_section("options") else {}


def pg_bin(name):
    for folder in PG_BIN_CANDIDATES:
        path = os.path.join(folder, name)
        if os.access(path, os.X_OK):
            return path
    found = shutil.which(name)
    if found:
        return found
    raise PgError("PostgreSQL 15 server programs not found (%s); run `make run` or install "
                  "the Debian package postgresql-15" % name)


class Cluster:
    """The cluster of one checkout."""

    def __init__(self, conf_path=DEFAULT_CONF, run_dir=None):
        options = read_options(conf_path)
        base = os.path.dirname(os.path.abspath(conf_path))
        self.host = options.get("db_host") or "127.0.0.1"
        self.port = int(options.get("db_port") or DEFAULT_PORT)
        self.role = options.get("db_user") or "odoo"
        self.password = options.get("db_password") or "odoo"
        self.run_dir = run_dir or os.path.join(base, ".run")

    # -- where the cluster lives: .run/pg, or (when the server's system user cannot reach the
    #    checkout, e.g. a clone under /root) a folder under /var/tmp that .run/pg links to
    @property
    def home(self):
        return os.path.realpath(os.path.join(self.run_dir, "pg"))

    @property
    def data(self):
        return os.path.join(self.home, "data")

    @property
    def log(self):
        return os.path.join(self.home, "postgresql.log")

    @property
    def socket_dir(self):
        return self._socket_dir()

    # -- who runs the server -------------------------------------------------------------------
    @property
    def embedded(self):
        return self.host in ("127.0.0.1", "localhost", "")

    @staticmethod
    def _as_root():
        return os.geteuid() == 0

    def _owner(self):
        """The system user owning the cluster: the caller, or ``postgres`` when the caller is root."""
        if not self._as_root():
            return None
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise PgError("running as root needs the system user 'postgres' (Debian's postgresql-15 "
                          "package creates it); initdb refuses to run as root")
        return "postgres"

    def _socket_dir(self):
        # a Unix socket path is limited to 107 bytes: fall back to a short private folder
        wanted = os.path.join(self.home, "sock")
        if len(wanted) + len("/.s.PGSQL.%d" % self.port) < 100:
            return wanted
        return os.path.join(tempfile.gettempdir(), "b2b-pg-%d" % self.port)

    def _run(self, args, check=True, capture=True, env=None):
        owner = self._owner()
        cmd = list(args)
        if owner:
            cmd = ["runuser", "-u", owner, "--"] + cmd
        proc = subprocess.run(cmd, capture_output=capture, text=True, env=env,
                              cwd=self.run_dir if os.path.isdir(self.run_dir) else "/")
        if check and proc.returncode:
            raise PgError("%s failed (%s):\n%s%s" % (os.path.basename(args[0]), proc.returncode,
                                                     proc.stdout or "", proc.stderr or ""))
        return proc

    def _chown(self, path):
        owner = self._owner()
        if owner:
            entry = pwd.getpwnam(owner)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def _make_dir(self, path, mode=0o700):
        os.makedirs(path, exist_ok=True)
        os.chmod(path, mode)
        self._chown(path)

    # -- commands -----------------------------------------------------------------------------
    @property
    def initialised(self):
        return os.path.isfile(os.path.join(self.data, "PG_VERSION"))

    def init(self):
        if not self.embedded or self.initialised:
            return False
        os.makedirs(self.run_dir, exist_ok=True)
        link = os.path.join(self.run_dir, "pg")
        if self._owner() and not os.path.exists(link) and not self._reachable(self.run_dir):
            elsewhere = os.path.join(tempfile.gettempdir().replace("/tmp", "/var/tmp"),
                                     "b2b-portal-pg-%s" % hashlib.sha1(
                                         os.path.realpath(self.run_dir).encode()).hexdigest()[:12])
            self._make_dir(elsewhere)
            os.symlink(elsewhere, link)
        self._make_dir(self.home)
        self._make_dir(self.socket_dir)
        if self._owner():
            # the server user must be able to reach its folder
            self._check_traversable(self.home)
        self._run([pg_bin("initdb"), "-D", self.data, "-U", "postgres", "-E", "UTF8",
                   "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256"])
        with open(os.path.join(self.data, "postgresql.auto.conf"), "a") as conf:
            conf.write("\n# written by runtime/pg.py\n"
                       "listen_addresses = '127.0.0.1'\n"
                       "unix_socket_permissions = 0700\n"
                       "shared_buffers = '256MB'\n"
                       "synchronous_commit = off\n"
                       "max_connections = 200\n")
        return True

    def _reachable(self, path):
        """Can the cluster's system user go through ``path``?"""
        probe = subprocess.run(["runuser", "-u", self._owner(), "--", "test", "-x", path])
        return probe.returncode == 0

    def _check_traversable(self, path):
        owner = pwd.getpwnam(self._owner())
        probe = subprocess.run(["runuser", "-u", owner.pw_name, "--", "test", "-w", path])
        if probe.returncode:
            raise PgError("the system user %s cannot reach %s; move the checkout to a folder other "
                          "users can traverse, or point odoo.conf at another PostgreSQL"
                          % (owner.pw_name, path))

    def status(self):
        if not self.embedded:
            return "external server %s:%s" % (self.host, self.port)
        if not self.initialised:
            return "not initialised"
        proc = self._run([pg_bin("pg_ctl"), "status", "-D", self.data], check=False)
        return "running on 127.0.0.1:%d" % self.port if proc.returncode == 0 else "stopped"

    def running(self):
        return self.status().startswith("running")

    def start(self):
        if not self.embedded:
            return False
        self.init()
        if self.running():
            self.ensure_role()
            self.tune()
            return False
        self._make_dir(self.socket_dir)
        # -o: the port and socket folder are given on every start, so a changed odoo.conf applies
        self._run([pg_bin("pg_ctl"), "start", "-w", "-t", "60", "-D", self.data, "-l", self.log,
                   "-o", "-p %d -k %s" % (self.port, self.socket_dir)])
        self.ensure_role()
        self.tune()
        return True

    # settings for Odoo's short queries, applied to clusters made before they were added too
    TUNING = {
        # JIT compiling costs 50-300 ms on a query the planner guesses is big (a catalog page over
        # 25,000 goods) and never pays back on queries of a few milliseconds
        "jit": "off",
    }

    def tune(self):
        for name, value in sorted(self.TUNING.items()):
            if self.psql("SHOW %s" % name) != value:
                self.psql("ALTER SYSTEM SET %s = '%s'" % (name, value))
                self.psql("SELECT pg_reload_conf()")

    def stop(self):
        if not self.embedded or not self.initialised or not self.running():
            return False
        self._run([pg_bin("pg_ctl"), "stop", "-w", "-m", "fast", "-D", self.data])
        return True

    def psql(self, sql, dbname="postgres"):
        """Run SQL as the cluster's superuser over the private socket; returns stdout."""
        proc = self._run([pg_bin("psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                          "-h", self.socket_dir, "-p", str(self.port), "-U", "postgres",
                          "-d", dbname, "-c", sql])
        return proc.stdout.strip()

    def ensure_role(self):
        """The non-superuser role Odoo uses, with CREATEDB and the password of odoo.conf."""
        quoted_pw = self.password.replace("'", "''")
        exists = self.psql("SELECT 1 FROM pg_roles WHERE rolname = '%s'" % self.role.replace("'", "''"))
        verb = "ALTER" if exists == "1" else "CREATE"
        self.psql('%s ROLE "%s" LOGIN CREATEDB NOSUPERUSER PASSWORD \'%s\'' % (verb, self.role, quoted_pw))

    def wait_ready(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            proc = subprocess.run([pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(self.port)],
                                  capture_output=True)
            if proc.returncode == 0:
                return True
            time.sleep(0.3)
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["init", "start", "stop", "status"])
    parser.add_argument("--conf", default=DEFAULT_CONF)
    args = parser.parse_args(argv)
    cluster = Cluster(args.conf)
    try:
        if args.command == "status":
            print(cluster.status())
        else:
            getattr(cluster, args.command)()
            print("PostgreSQL: %s" % cluster.status())
    except PgError as exc:
        print("PostgreSQL: %s" % exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
