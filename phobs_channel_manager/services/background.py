"""Work that follows a commit without making anyone wait: applying accepted reservations to the
front desk and sending the outbox.

One daemon thread per server process runs the queued jobs; repeated requests for the same
backend coalesce, so a burst of webhook pushes costs one pass over what is pending, not one
thread and one database connection each. Everything queued here is also done by the crons: a
job lost with its process (restart, crash, prefork worker recycling) is only late, never lost.
"""
import contextlib
import logging
import threading

import odoo
from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

APPLY = "apply"
FLUSH = "flush"
#: While another process applies a backend's messages, ours waits for it, so that a message
#: committed just as the other finished is not left to the cron.
APPLY_LOCK_WAIT_SECONDS = 10

_lock = threading.Lock()
_wakeup = threading.Event()
_pending = {}  # (dbname, backend_id) -> set of jobs
_worker = None


def after_commit(cr, func):
    """Runs ``func`` once the transaction commits (Odoo 13+ ``postcommit``, else ``after``).
    Never in Odoo's test mode, whose commits are savepoints: tests run the jobs themselves."""
    if hasattr(cr, "postcommit"):
        cr.postcommit.add(func)
    else:
        cr.after("commit", func)


def run_soon(dbname, backend_ids, job):
    """Queues ``job`` (APPLY or FLUSH) for these backends of ``dbname``."""
    global _worker
    with _lock:
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
        _wakeup.clear()
        with _lock:
            batch = dict(_pending)
            _pending.clear()
        for (dbname, backend_id), jobs in sorted(batch.items()):
            try:
                _run(dbname, backend_id, jobs)
            except Exception:
                _logger.exception("Phobs background %s for backend %s failed; the cron will "
                                  "do it", "/".join(sorted(jobs)), backend_id)


def _run(dbname, backend_id, jobs):
    # Imported here: the services import this module for after_commit().
    from .inventory import PhobsInventoryService
    from .reservation_sync import PhobsReservationSyncService

    with _environment_scope(), odoo.registry(dbname).cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        backend = env["phobs.backend"].browse(backend_id).exists()
        if not backend:
            return
        backend = backend.with_context(phobs_no_flush_trigger=True)
        if APPLY in jobs:
            PhobsReservationSyncService(env, backend).apply_pending(
                wait_seconds=APPLY_LOCK_WAIT_SECONDS)
        PhobsInventoryService(env, backend).flush()
        cr.commit()


def _environment_scope():
    """Odoo up to 14 needs ``Environment.manage()`` around a thread's environments; later
    versions dropped it."""
    manage = getattr(api.Environment, "manage", None)
    return manage() if manage else contextlib.nullcontext()
