"""PhobsErrorHandlingService: what a failure means and when (or whether) to try again.

The retry decision itself is the client's (``phobs_api.retry``); this service applies the same
rule across cron runs: retryable failures come back after an exponential backoff with jitter
(``Retry-After`` honoured), the rest, and everything past the attempt limit, go to the dead
letter where staff can read why and replay.
"""
import logging
from datetime import datetime, timedelta

from odoo import fields

from ..phobs_api.errors import PhobsAuthError, PhobsBusinessError, PhobsError, PhobsMappingError
from ..phobs_api.retry import backoff_delay, is_retryable
from .base import BackendService

_logger = logging.getLogger(__name__)


def classify(error):
    """The ``error_kind`` of an outbox row for this failure."""
    if isinstance(error, PhobsMappingError):
        return "mapping"
    if isinstance(error, PhobsAuthError):
        return "auth"
    if isinstance(error, PhobsError) and is_retryable(error):
        return "retryable"
    if isinstance(error, PhobsBusinessError):
        return "business"
    if isinstance(error, PhobsError):
        return "business"
    return "bug"


class PhobsErrorHandlingService(BackendService):
    def settle(self, rows, errors):
        """Outbox rows after an attempt: done when nothing failed, else rescheduled for the
        first error."""
        if errors:
            self.reschedule(rows, errors[0])
        else:
            rows.write({"state": "done", "done_at": fields.Datetime.now(), "last_error": False,
                        "error_kind": False})

    def reschedule(self, rows, error, now=None):
        """Records a failed attempt on outbox rows: back to pending later, or dead letter."""
        kind = classify(error)
        now = now or datetime.utcnow()
        backend = self.backend
        for row in rows:
            attempts = row.attempts + 1
            values = {"attempts": attempts, "last_error": describe(error), "error_kind": kind}
            if kind in ("retryable", "auth") and attempts < backend.retry_max_attempts:
                delay = backoff_delay(attempts, base=backend.retry_base_seconds,
                                      cap=backend.retry_max_seconds,
                                      retry_after=getattr(error, "retry_after", None))
                values["next_attempt_at"] = (now + timedelta(seconds=delay)).strftime(
                    "%Y-%m-%d %H:%M:%S")
            else:
                values["state"] = "dead"
                _logger.warning("Phobs %s update for %s moved to the dead letter after %d "
                                "attempt(s): %s", row.kind, row.room_type_code or row.pms_ref,
                                attempts, values["last_error"])
            row.write(values)


def describe(error):
    """An error as staff read it: its type and its message."""
    return "%s: %s" % (type(error).__name__, error)
