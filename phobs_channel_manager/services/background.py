"""Work that follows a commit without making anyone wait: applying accepted reservations to the
front desk and sending the outbox.

One daemon thread per server process runs the queued jobs; repeated requests for the same
backend coalesce, so a burst of webhook pushes costs one pass over what is pending, not one
thread and one database connection each. Applying waits for a burst of pushes to settle (a
fraction of a second, bounded), so that acknowledging them, which Phobs waits for, does not
compete for the CPU with applying them, which nobody waits for. Everything queued here is also done by the crons: a
job lost with its process (restart, crash, prefork worker recycling) is only late, never lost.
"""
import logging
import threading
import time

import odoo
from odoo import SUPERUSER_ID, api

from .odoo11 import after_commit, thread_environment

_logger = logging.getLogger(__name__)

APPLY = "apply"
FLUSH = "flush"
#: Applying starts once no push came for this long, or this long after the first one at most.
APPLY_QUIET_SECONDS = 0.3
APPLY_MAX_DELAY_SECONDS = 2.0

_lock = threading.Lock()
_wakeup = threading.Event()
_pending = {}  # (dbname, backend_id) -> set of jobs
_handlers = {}  # job -> handler(env, backend), see register()
_worker = None
_last_apply_request = 0.0


def run_after_commit(cr, backend_ids, job):
    """Queues ``job`` for these backends once the transaction of ``cr`` commits (nothing if it
    rolls back). Calls within one transaction coalesce in the queue, like any repeat."""
    dbname, backend_ids = cr.dbname, list(backend_ids)
    if backend_ids:
        # Never in Odoo's test mode, whose commits are savepoints: tests run the jobs themselves.
        after_commit(cr, lambda: run_soon(dbname, backend_ids, job))


def run_soon(dbname, backend_ids, job):
    """Queues ``job`` (APPLY or FLUSH) for these backends of ``dbname``."""
    global _worker, _last_apply_request
    with _lock:
        if job == APPLY:
            _last_apply_request = time.monotonic()
        for backend_id in backend_ids:
            _pending.setdefault((dbname, backend_id), set()).add(job)
        # A forked worker inherits the variable but not the thread.
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_loop, name="phobs-background", daemon=True)
            _worker.start()
    _wakeup.set()


def _loop():
    while True:
        _wakeup.wait()
        _wait_for_quiet()
        _wakeup.clear()
        with _lock:
            batch = dict(_pending)
            _pending.clear()
        _run_batch(batch)


def _run_batch(batch):
    """Runs ``{(dbname, backend_id): jobs}``; one backend's failure never stops the others."""
    for (dbname, backend_id), jobs in sorted(batch.items()):
        try:
            _run(dbname, backend_id, jobs)
        except Exception:
            _logger.exception("Phobs background %s for backend %s failed; the cron will "
                              "do it", "/".join(sorted(jobs)), backend_id)


def run_waiting_flushes():
    """Runs now the queued jobs that only flush (a front-desk change, any property of this
    process). Called by a long job of this thread between two bookings it applies: the
    availability a receptionist's change moved would otherwise wait for the whole backlog
    (a burst's folios take about a minute per thousand bookings), and a channel could sell
    the room meanwhile. Returns how many backends it flushed."""
    with _lock:
        flushes = {key: jobs for key, jobs in _pending.items() if jobs == {FLUSH}}
        for key in flushes:
            del _pending[key]
    _run_batch(flushes)
    return len(flushes)


def _wait_for_quiet():
    """Holds back while pushes keep coming, unless a flush (a front-desk change) is due."""
    started = time.monotonic()
    while True:
        with _lock:
            applying_only = all(jobs == {APPLY} for jobs in _pending.values())
            quiet_at = _last_apply_request + APPLY_QUIET_SECONDS
        now = time.monotonic()
        wait = min(quiet_at, started + APPLY_MAX_DELAY_SECONDS) - now
        if not applying_only or wait <= 0:
            return
        time.sleep(wait)


def register(job, handler):
    """Names what ``job`` does: ``handler(env, backend)``. The services register their own
    entry points when they are imported, so this module imports none of them."""
    _handlers[job] = handler


def _run(dbname, backend_id, jobs):
    # Applying moves availability: every job ends with a flush.
    steps = [APPLY, FLUSH] if APPLY in jobs else [FLUSH]
    with thread_environment(), odoo.registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        backend = env["phobs.backend"].browse(backend_id).exists()
        if not backend:
            return
        backend = backend.with_context(phobs_no_flush_trigger=True)
        for step in steps:
            _handlers[step](env, backend)
        cr.commit()
