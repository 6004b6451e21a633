"""The PostgreSQL side of the cross-addon tests: connections with odoo.conf's db options, and
copies of the database `make test` has just built (B2B_TEST_DB) that a test may change and drops
at the end.

It stands on runtime/suite.py's ``Databases`` (odoo.conf's ``db_host``, ``db_port``, ``db_user``,
``db_password``, the filestore folder, dropping a database) and runtime/pg.py (the PostgreSQL
binaries), so the tests reach the PostgreSQL `make test` uses, embedded or not.
"""
import contextlib
import os
import shutil
import subprocess
import sys

import psycopg2
import psycopg2.errors

from b2b_http import ROOT

sys.path.insert(0, os.path.join(ROOT, "runtime"))
import pg  # noqa: E402  (runtime/pg.py: the PostgreSQL binaries)
from suite import Databases  # noqa: E402  (odoo.conf's db options, filestores, dropping)

DATABASES = Databases()


def connect(dbname="postgres"):
    """A connection to ``dbname`` in autocommit."""
    return DATABASES.connect(dbname)


def sql(dbname, query, params=None):
    """Run ``query`` on ``dbname`` in its own transaction (autocommit); the rows it returns."""
    with contextlib.closing(connect(dbname)) as conn, conn.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall() if cr.description else []


def filestore(name):
    """The filestore of database ``name`` under odoo.conf's data_dir."""
    return DATABASES.filestore(name)


def drop_database(name):
    """Drop ``name`` (ending this role's sessions on it) and its filestore under data_dir."""
    DATABASES.drop(name)


def copy_database(source, target, filestore_to=None):
    """``target``: a copy of database ``source`` and of its filestore, which goes to the folder
    ``filestore_to`` (by default ``target``'s filestore under odoo.conf's data_dir).

    CREATE DATABASE ... TEMPLATE needs ``source`` without connections; while a server of another
    test is on it, the copy is made with pg_dump | pg_restore (a few seconds) into a database of
    the same collation and character classes as ``source``."""
    drop_database(target)
    try:
        sql("postgres", 'CREATE DATABASE "%s" TEMPLATE "%s"' % (target, source))
    except psycopg2.errors.ObjectInUse:
        (collate, ctype), = sql("postgres", "SELECT datcollate, datctype FROM pg_database "
                                            "WHERE datname = %s", (source,))
        sql("postgres", 'CREATE DATABASE "%s" TEMPLATE template0 ENCODING \'UTF8\' '
                        "LC_COLLATE %%s LC_CTYPE %%s" % target, (collate, ctype))
        options = DATABASES.options
        env = dict(os.environ, PGPASSWORD=options.get("db_password") or "odoo")
        conn = ["-h", options.get("db_host") or "127.0.0.1",
                "-p", str(options.get("db_port") or pg.DEFAULT_PORT),
                "-U", options.get("db_user") or "odoo"]
        dump = subprocess.Popen([pg.pg_bin("pg_dump")] + conn + ["-Fc", "-Z0", source],
                                stdout=subprocess.PIPE, env=env)
        restore = subprocess.run([pg.pg_bin("pg_restore")] + conn + ["--no-owner", "-d", target],
                                 stdin=dump.stdout, env=env, capture_output=True, text=True)
        dump.stdout.close()
        if dump.wait() or restore.returncode:
            raise RuntimeError("copying database %s failed: %s" % (source, restore.stderr[-2000:]))
    if os.path.isdir(filestore(source)):
        shutil.copytree(filestore(source), filestore_to or filestore(target))


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
