"""The loop every Phobs cron runs: one step per backend, each in a transaction of its own.

A cron runs in one transaction that Odoo commits at the end. Committing after each backend
makes what one backend achieved durable before the next starts, and rolling back after a
failure discards only that backend's half-done work, so one failing property spares the others.
A Phobs failure (refused, unreachable, throttled) is expected now and then and logged without a
traceback; anything else is a bug and logged with one. The calls and alerts that explain a
failure survive the rollback: they are written in a transaction of their own.
"""
import logging
import threading

import odoo
from odoo import SUPERUSER_ID, api

from ..phobs_api.errors import PhobsError
from .odoo11 import thread_environment

_logger = logging.getLogger(__name__)


#: Backends a cron serves at once, each in a thread and a transaction of its own.
PARALLEL_BACKENDS = 4
#: How long a cron waits for its backends before it returns and leaves the slow ones (a
#: Phobs that does not answer, until the client's timeouts end it) to finish on their own.
WAIT_SECONDS = 45


def run_per_backend(backends, step, what):
    """``step(backend)`` for each of ``backends``, committed per backend; ``what`` names the
    work in the log ("pull", "outbox flush", ...)."""
    for backend in backends:
        _run_step(backend.env.cr, backend, step, what)


def _run_step(cr, backend, step, what):
    try:
        step(backend)
        cr.commit()
    except PhobsError as err:
        cr.rollback()
        _logger.warning("Phobs %s failed for backend %s: %s", what, backend.name, err)
    except Exception:
        cr.rollback()
        _logger.exception("Phobs %s failed for backend %s", what, backend.name)


def run_per_backend_in_parallel(backends, handler, what, threads=PARALLEL_BACKENDS,
                                wait=WAIT_SECONDS):
    """``handler(env, backend)`` for each of ``backends``, ``threads`` backends at a time, each
    in a transaction of its own, so a property whose Phobs hangs holds one thread until its
    own timeouts end, not the others' turn. Returns the ids of the backends still running
    after ``wait`` seconds; they finish in their threads (the flows' per-backend locks keep
    the next run from doing their work twice). In Odoo's test mode, whose one cursor threads
    cannot share, the backends run one after another in the caller's transaction."""
    if not backends:
        return []
    env = backends.env
    if env.registry.in_test_mode():
        run_per_backend(backends, lambda backend: handler(env, backend), what)
        return []
    dbname, queue = env.cr.dbname, list(backends.ids)
    lock, running, done = threading.Lock(), set(), threading.Event()

    def serve():
        while True:
            with lock:
                if not queue:
                    if not running:
                        done.set()
                    return
                backend_id = queue.pop(0)
                running.add(backend_id)
            try:
                with thread_environment(), odoo.registry(dbname).cursor() as cr:
                    backend = api.Environment(cr, SUPERUSER_ID, {})["phobs.backend"].browse(
                        backend_id)
                    if backend.exists():
                        _run_step(cr, backend, lambda b: handler(b.env, b), what)
            except Exception:
                _logger.exception("Phobs %s failed for backend %s", what, backend_id)
            finally:
                with lock:
                    running.discard(backend_id)

    for _n in range(min(threads, len(queue))):
        threading.Thread(target=serve, name="phobs-%s" % what.replace(" ", "-"),
                         daemon=True).start()
    done.wait(wait)
    with lock:
        left = sorted(running | set(queue))
    if left:
        _logger.warning("Phobs %s still running for backends %s after %d s; left to finish on "
                        "their own", what, left, wait)
    return left
