"""Jobs whose worker died are run again (queue_job 11 leaves them ``started`` for ever).

queue_job 11's job runner asks an HTTP worker to run a job (``/queue_job/runjob``); the worker
commits the job as ``started``, runs it in the next transaction, and commits it ``done``. When the
worker dies in between — SIGKILL, the OOM killer, Odoo's own ``limit_time_real`` /
``limit_memory_hard`` — PostgreSQL rolls the job's work back, but the job stays ``started``: the
runner counts it as running for ever (README of queue_job, "Caveat": requeue them by hand), so it
holds a slot of its channel (two such jobs stop every job of ``root:2``), and a 1C import waiting
for it answers ``progress`` to 1C without end.

The fix tells a running job from a dead one without guessing by time:

* the worker running a job holds a PostgreSQL session advisory lock on the job's id from before
  the job is committed ``started`` until its end is committed (``done``, ``failed``, postponed),
  on the request's own connection, so the lock goes away with the worker's connection when the
  worker dies;
* the job runner, on start and every ``REQUEUE_INTERVAL`` seconds, tries that lock for each
  ``started`` job: a job whose lock is free has no worker any more. It is set back to ``pending``
  (its ``retry`` counted), so the runner runs it again, once; a job whose worker died
  ``max_retries`` times is set ``failed`` instead, saying so, so that a job that kills its worker
  every time is not run for ever. The lock is held by the runner while it requeues, so the check
  and the change cannot cross a worker taking the job.

Works across nodes sharing one database: the lock lives in PostgreSQL, not in a process.

A worker the server starts in place of a dead one must also reach the database. The job runner is a
thread of the server's main process, and it opens PostgreSQL connections at any moment (queue_job's
``set_job_pending``: a new connection one second after each job it hands to a worker, in another
thread; its own connection on start and after an error), while the main process forks the new
worker. libpq (12 and later, built with GSSAPI as Debian's is) starts every connection, by default
(``gssencmode=prefer``), by looking for Kerberos credentials under a mutex of the GSSAPI library;
a fork at that moment gives the child the mutex locked by a thread it does not have, and the
child's first connection waits for it for ever: the worker takes a request and never answers it
(pthread_mutex_lock < gss_indicate_mechs < gss_acquire_cred < PQconnectPoll). So the runner's
connections do not negotiate GSSAPI encryption (``gssencmode=disable``) unless the administrator
asks for it through libpq's ``PGGSSENCMODE``; the main process then never enters the GSSAPI library
(but for a server whose pg_hba.conf requires Kerberos authentication). And since libpq takes other
locks while it connects (its SSL set-up, OpenSSL for SCRAM or TLS, Kerberos authentication), the
main process does not fork a worker while the runner opens a connection: it waits for the
connection to be made (at most ``FORK_WAIT`` seconds, then forks all the same and says so).
"""
import functools
import logging
import os
import threading
import time
import zlib
from contextlib import closing

import psycopg2.extensions

_logger = logging.getLogger("odoo.addons.queue_job.jobrunner.runner")

# first key of the two-key advisory lock held while a job runs (second key: the job's id)
LOCK_CLASS = zlib.crc32(b"queue_job running") & 0x7FFFFFFF
REQUEUE_INTERVAL = 3.0  # seconds between two looks for started jobs whose worker died
FORK_WAIT = 10.0  # seconds the main process waits for the runner's connection before a fork
# held by the job runner's threads while they open a PostgreSQL connection, and by the main
# process while it forks a worker
CONNECTING = threading.Lock()
DIED = ("The worker running this job died %d times (killed, or stopped by the server's "
        "limit_time_* / limit_memory_* limits) before the job ended; it is not run again.")


def requeue_dead_jobs(conn):
    """Set back to pending the ``started`` jobs of ``conn``'s database (an autocommit
    connection) that no worker runs (their lock is free); returns [(uuid, new state)]."""
    changed = []
    with closing(conn.cursor()) as cr:
        cr.execute("SELECT id FROM queue_job WHERE state = 'started' ORDER BY id")
        for (job_id,) in cr.fetchall():
            cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_CLASS, job_id))
            if not cr.fetchone()[0]:
                continue  # a worker runs it
            try:
                cr.execute("""
                    UPDATE queue_job
                       SET retry = retry + 1,
                           state = CASE WHEN max_retries > 0 AND retry + 1 >= max_retries
                                        THEN 'failed' ELSE 'pending' END,
                           exc_info = CASE WHEN max_retries > 0 AND retry + 1 >= max_retries
                                           THEN %s ELSE exc_info END,
                           date_enqueued = NULL, date_started = NULL
                     WHERE id = %s AND state = 'started'
                 RETURNING uuid, state, retry, max_retries""",
                           (DIED % 0, job_id))
                row = cr.fetchone()
            finally:
                cr.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, job_id))
            if row:
                uuid, state, retry, max_retries = row
                if state == "failed":
                    cr.execute("UPDATE queue_job SET exc_info = %s WHERE id = %s",
                               (DIED % retry, job_id))
                    _logger.warning("job %s: its worker died %d times; set failed", uuid, retry)
                else:
                    _logger.warning("job %s: its worker died; requeued (attempt %d of %s)",
                                    uuid, retry + 1, max_retries or "unlimited")
                changed.append((uuid, state))
    return changed


def patch_runner_connections(module):
    """The job runner's connections (``_connection_info_for``, used for its own connection and by
    ``set_job_pending``) do not negotiate GSSAPI encryption, so that no thread of the server's
    main process holds a lock of the GSSAPI library when the main process forks a worker."""
    original = module._connection_info_for
    if getattr(original, "_b2b_compat", False):
        return

    def _connection_info_for(db_name):
        info = original(db_name)
        if psycopg2.extensions.libpq_version() >= 120000 and "gssencmode" not in info \
                and not os.environ.get("PGGSSENCMODE"):
            info = dict(info, gssencmode="disable")
        return info

    _connection_info_for._b2b_compat = True
    module._connection_info_for = _connection_info_for
    module.psycopg2 = _ConnectingPsycopg2()
    patch_worker_spawn()


class _ConnectingPsycopg2(object):
    """psycopg2 as the job runner's module sees it: ``connect`` holds CONNECTING."""

    _b2b_compat = True

    def __getattr__(self, name):
        return getattr(psycopg2, name)

    @staticmethod
    def connect(*args, **kwargs):
        with CONNECTING:
            return psycopg2.connect(*args, **kwargs)


def patch_worker_spawn():
    """Odoo's prefork server forks a worker only while no job runner thread is connecting."""
    from odoo.service import server
    original = server.PreforkServer.worker_spawn
    if getattr(original, "_b2b_compat", False):
        return

    def worker_spawn(self, klass, workers_registry):
        locked = CONNECTING.acquire(timeout=FORK_WAIT)
        if not locked:
            _logger.warning("the job runner has been opening a PostgreSQL connection for %d s; "
                            "forking a worker all the same", FORK_WAIT)
        try:
            return original(self, klass, workers_registry)
        finally:
            if locked:
                CONNECTING.release()

    worker_spawn._b2b_compat = True
    server.PreforkServer.worker_spawn = worker_spawn


def patch_runner(module):
    """The job runner requeues the jobs whose worker died, on start and every few seconds; its
    connections leave a worker the server forks meanwhile able to connect (see the module)."""
    patch_runner_connections(module)
    runner_class = module.QueueJobRunner
    if getattr(runner_class.run_jobs, "_b2b_compat", False):
        return
    original = runner_class.run_jobs

    def run_jobs(self):
        now = time.monotonic()
        if now >= getattr(self, "_b2b_next_requeue", 0.0):
            self._b2b_next_requeue = now + REQUEUE_INTERVAL
            for db in list(self.db_by_name.values()):
                requeue_dead_jobs(db.conn)
            # the changed jobs reach the channels through the queue_job notifications
            self.process_notifications()
        return original(self)

    run_jobs._b2b_compat = True
    runner_class.run_jobs = run_jobs


def patch_channels(module):
    """The runner wakes up at least every REQUEUE_INTERVAL seconds (else only on a job's change or
    after 60 s) so that a job whose worker died is found soon."""
    manager = module.ChannelManager
    if getattr(manager.get_wakeup_time, "_b2b_compat", False):
        return
    original = manager.get_wakeup_time

    def get_wakeup_time(self):
        wakeup = original(self)
        soon = time.time() + REQUEUE_INTERVAL
        return min(wakeup, soon) if wakeup else soon

    get_wakeup_time._b2b_compat = True
    manager.get_wakeup_time = get_wakeup_time


def patch_runjob(module):
    """``/queue_job/runjob`` holds the job's lock from before the job is started until its end
    is committed."""
    controller = module.RunJobController
    if getattr(controller.runjob, "_b2b_compat", False):
        return
    original = controller.runjob

    @functools.wraps(original)  # keeps the route (routing, original_func)
    def runjob(self, db, job_uuid, **kw):
        from odoo import http
        http.request.session.db = db
        cr = http.request.env.cr
        cr.execute("SELECT id FROM queue_job WHERE uuid = %s", [job_uuid])
        row = cr.fetchone()
        if row:
            cr.execute("SELECT pg_advisory_lock(%s, %s)", (LOCK_CLASS, row[0]))
        try:
            return original(self, db, job_uuid, **kw)
        finally:
            if row:
                # session locks outlive a rollback; an aborted transaction must end first
                status = cr._cnx.get_transaction_status()
                if status == psycopg2.extensions.TRANSACTION_STATUS_INERROR:
                    cr.rollback()
                cr.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_CLASS, row[0]))

    runjob._b2b_compat = True
    controller.runjob = runjob
