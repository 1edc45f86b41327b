"""The loop every Phobs cron runs: one step per backend, each in a transaction of its own.

A cron runs in one transaction that Odoo commits at the end. Committing after each backend
makes what one backend achieved durable before the next starts, and rolling back after a
failure discards only that backend's half-done work, so one failing property spares the others.
A Phobs failure (refused, unreachable, throttled) is expected now and then and logged without a
traceback; anything else is a bug and logged with one. The calls and alerts that explain a
failure survive the rollback: they are written in a transaction of their own.
"""
import logging

from ..phobs_api.errors import PhobsError

_logger = logging.getLogger(__name__)


def run_per_backend(backends, step, what):
    """``step(backend)`` for each of ``backends``, committed per backend; ``what`` names the
    work in the log ("pull", "outbox flush", ...)."""
    for backend in backends:
        cr = backend.env.cr
        try:
            step(backend)
            cr.commit()
        except PhobsError as err:
            cr.rollback()
            _logger.warning("Phobs %s failed for backend %s: %s", what, backend.name, err)
        except Exception:
            cr.rollback()
            _logger.exception("Phobs %s failed for backend %s", what, backend.name)
