"""A queue job runs once when several Odoo nodes run queue_job's job runner on one database.

queue_job (OCA, 11.0) lets every server process with ``server_wide_modules = web,queue_job`` run a
job runner. Each runner hears PostgreSQL's NOTIFY of a new job, marks it ``enqueued`` and asks its
own node to run it (``/queue_job/runjob``); the node checks the job is ``enqueued`` and marks it
``started``. Neither step looks at what another runner did meanwhile:

- the runner's ``UPDATE queue_job SET state = 'enqueued' WHERE uuid = ...`` takes any state, so a
  second runner puts a job another node has already started (or finished) back to ``enqueued``;
- ``/queue_job/runjob`` reads the state, commits, then writes ``started``: two requests read
  ``enqueued`` at the same moment and both perform the job.

With two nodes a job (a 1C import, a request sent to 1C's web service) then runs twice, or the two
requests clash on the job's row: PostgreSQL's "could not serialize access due to concurrent update",
after which queue_job postpones the job (it runs again) or, when that fails too, leaves it failed.
tests/test_two_nodes.py sees one or the other on every run without this module, with jobs that take
a few seconds. The two functions below close both gaps: a runner marks
only a ``pending`` job ``enqueued`` and asks its node to run it only when its own update did so;
``/queue_job/runjob`` takes the job with one conditional update (``enqueued`` to ``started``, the
row locked until the transaction that performs the job commits) and leaves it when another request
has it. A node alone behaves as before.
"""
import logging

import psycopg2

_logger = logging.getLogger("odoo.addons.queue_job")

ENQUEUED = "enqueued"


def patch_queue_job_runner(module):
    """``odoo.addons.queue_job.jobrunner.runner``: the runner marks a job enqueued only while it is
    pending, and asks its node to run it only when its own update did so (``run_jobs`` calls
    ``set_job_enqueued`` then ``_async_http_get``; both are replaced, ``run_jobs`` is left as it
    is for the other patches of the runner)."""
    Database = module.Database
    if getattr(Database.set_job_enqueued, "_b2b_compat", False):
        return
    taken_elsewhere = set()     # jobs another runner enqueued first (run_jobs runs in one thread)
    http_get = module._async_http_get

    def set_job_enqueued(self, uuid):
        with self.conn.cursor() as cr:
            cr.execute("UPDATE queue_job SET state = %s, "
                       "date_enqueued = date_trunc('seconds', now() at time zone 'utc') "
                       "WHERE uuid = %s AND state = 'pending'", (ENQUEUED, uuid))
            if cr.rowcount != 1:
                taken_elsewhere.add(uuid)

    def _async_http_get(scheme, host, port, user, password, db_name, job_uuid):
        if job_uuid in taken_elsewhere:
            # another node's runner has it; its changes of state reach this runner's channels
            taken_elsewhere.discard(job_uuid)
            _logger.info("job %s on db %s: another job runner took it first, not run here",
                         job_uuid, db_name)
            return
        return http_get(scheme, host, port, user, password, db_name, job_uuid)

    set_job_enqueued._b2b_compat = True
    Database.set_job_enqueued = set_job_enqueued
    module._async_http_get = _async_http_get
    patch_runner_start(Database)


# the advisory lock (class, key) the runners of a database take while they set up its trigger
INITIALIZE_LOCK = (0x62326251, 1)


def patch_runner_start(Database):
    """Two runners starting on one database at once (two nodes started together) each drop and
    create queue_job's notification trigger (``Database._initialize``): their DDL took each
    other's locks in turn, and PostgreSQL killed one with ``psycopg2.errors.DeadlockDetected:
    deadlock detected`` (the runner logged "exception: sleeping 5s and retrying" and started 5 s
    late). The set-up now runs under a session advisory lock of the database: one runner at a
    time."""
    original = Database._initialize
    if getattr(original, "_b2b_compat", False):
        return

    def _initialize(self):
        with self.conn.cursor() as cr:
            cr.execute("SELECT pg_advisory_lock(%s, %s)", INITIALIZE_LOCK)
        try:
            return original(self)
        finally:
            with self.conn.cursor() as cr:
                cr.execute("SELECT pg_advisory_unlock(%s, %s)", INITIALIZE_LOCK)

    _initialize._b2b_compat = True
    Database._initialize = _initialize


def patch_queue_job_controller(module):
    """``odoo.addons.queue_job.controllers.main``: ``/queue_job/runjob`` performs a job only when
    its own update took it from ``enqueued`` to ``started``."""
    Controller = module.RunJobController
    original = Controller._try_perform_job
    if getattr(original, "_b2b_compat", False):
        return

    def _try_perform_job(self, env, job):
        if job.state == ENQUEUED and not _take(env.cr, job.uuid):
            _logger.info("job %s is already run by another request; not run again", job.uuid)
            return
        return original(self, env, job)

    _try_perform_job._b2b_compat = True
    Controller._try_perform_job = _try_perform_job


def _take(cr, uuid):
    """Whether this transaction took job ``uuid`` (enqueued -> started). The row stays locked
    until the transaction that performs the job commits; another request waiting for it finds it
    started (or, under Odoo's repeatable-read transactions, cannot serialize) and leaves it."""
    try:
        cr.execute("UPDATE queue_job SET state = 'started', "
                   "date_started = now() at time zone 'utc' "
                   "WHERE uuid = %s AND state = %s", (uuid, ENQUEUED), log_exceptions=False)
        return cr.rowcount == 1
    except psycopg2.errors.SerializationFailure:
        cr.rollback()
        return False
