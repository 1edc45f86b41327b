"""PhobsErrorHandlingService: what a failure means, when (or whether) to try again, and when
staff must hear of it.

The retry decision itself is the client's (``phobs_api.retry``); this service applies the same
rule across cron runs: retryable failures come back after an exponential backoff with jitter
(``Retry-After`` honoured), the rest, and everything past the attempt limit, go to the dead
letter where staff can read why and replay. When a client session ends, the newest calls are
checked for an alert (refused credentials, an error rate above the backend's threshold): an
activity for the managers and a note on the backend, raised once.
"""
import logging
from datetime import datetime, timedelta

import psycopg2
from odoo import fields

from ..phobs_api.errors import PhobsAuthError, PhobsBusinessError, PhobsError, PhobsMappingError
from ..phobs_api.retry import backoff_delay, is_retryable
from . import background
from .base import BackendService
from .monitoring_figures import alerts_due

_logger = logging.getLogger(__name__)

ALERT_PREFIX = "Phobs alert"
ALERT_SUMMARIES = {
    "auth": ALERT_PREFIX + ": authentication refused",
    "error_rate": ALERT_PREFIX + ": error rate above threshold",
}


#: The outbox rows each client operation sends.
OPERATION_KINDS = {"send_availability": "availability", "send_restrictions": "restrictions",
                   "send_rates": "rates", "upload_reservations": "reservation"}
#: Outbox rows of a backend waiting out a backoff after a failure of Phobs, not of the row:
#: of the kinds whose operation answers again, or refused credentials (any answer cures them).
_WAITING = """backend_id = %s AND state = 'pending'
              AND next_attempt_at > (clock_timestamp() at time zone 'UTC')
              AND ((error_kind = 'retryable' AND kind IN %s) OR error_kind = 'auth')"""


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

    def resume_waiting(self, operations):
        """Phobs answers ``operations`` again (see ``operations_answering_again``): the outbox
        rows they send that wait out a backoff after a failure of Phobs (unreachable, failing,
        credentials refused: not a refusal of the row) are due now, and a flush is queued for
        once this transaction commits. Without this, after an outage every row waits for the end
        of its own backoff, minutes after Phobs came back. Rows waiting on refused credentials
        are due after any request that went through. Attempts are kept, so a row that keeps
        failing still reaches the dead letter; an operation still failing (a partial outage)
        brings nothing forward. In the caller's transaction, so the rows this very session
        rescheduled are included. Returns how many."""
        kinds = tuple({OPERATION_KINDS[op] for op in operations if op in OPERATION_KINDS}
                      or {""})
        params = (self.backend.id, kinds)
        cr = self.env.cr
        cr.execute("SELECT 1 FROM phobs_outbox WHERE " + _WAITING + " LIMIT 1", params)
        if not cr.fetchone():  # the usual case, one query
            return 0
        try:
            with cr.savepoint():
                # Rows another flush holds are skipped: it is sending them. A row another worker
                # changed since this snapshot fails to serialize: it settled it; left alone.
                cr.execute("SELECT id FROM phobs_outbox WHERE " + _WAITING
                           + " FOR UPDATE SKIP LOCKED", params, log_exceptions=False)
                rows = self.env["phobs.outbox"].sudo().browse([row[0] for row in cr.fetchall()])
                rows.write({"next_attempt_at": fields.Datetime.now()})
        except psycopg2.errors.SerializationFailure:
            return 0
        if rows:
            _logger.info("Phobs answers backend %s again: %d waiting update(s) are due now",
                         self.backend.id, len(rows))
            background.run_after_commit(cr, self.backend.ids, background.FLUSH)
        return len(rows)

    # -- alerts ----------------------------------------------------------------------------

    def check_alerts(self):
        """Raises the alerts the newest calls call for (once: an open alert is not repeated).
        Returns the kinds raised.

        Called when a client session ends, so a token refresh that cured an expired token is
        never mistaken for refused credentials.
        """
        return self.in_own_transaction(self._check_alerts)

    def _check_alerts(self, env, backend):
        due = alerts_due(newest_calls(env.cr, backend.id, backend.error_rate_window),
                         backend.error_rate_threshold, backend.error_rate_window)
        self._clear_alerts(env, backend, set(ALERT_SUMMARIES) - {kind for kind, _d in due})
        return [kind for kind, detail in due if self._raise_alert(env, backend, kind, detail)]

    @staticmethod
    def _clear_alerts(env, backend, kinds):
        """Closes the open alerts whose cause has cleared (the credentials work again, the
        error rate fell back under the threshold), so nobody chases a solved problem."""
        summaries = [ALERT_SUMMARIES[kind] for kind in kinds]
        activities = env["mail.activity"].search([
            ("res_model", "=", "phobs.backend"), ("res_id", "=", backend.id),
            ("summary", "in", summaries)])
        for summary in set(activities.mapped("summary")):
            activities.filtered(lambda a, s=summary: a.summary == s).action_feedback(
                feedback="Cleared: the calls to Phobs go through again.")
            backend.message_post(body="%s: cleared, the calls to Phobs go through again."
                                 % summary, subtype="mail.mt_note", message_type="comment")
            _logger.info("%s cleared for Phobs backend %s", summary, backend.id)

    @staticmethod
    def _raise_alert(env, backend, kind, detail):
        summary = ALERT_SUMMARIES[kind]
        Activity = env["mail.activity"]
        if Activity.search_count([("res_model", "=", "phobs.backend"),
                                  ("res_id", "=", backend.id), ("summary", "=", summary)]):
            return False
        if kind == "auth":
            note = ("Phobs refused the credentials of %s. Channel bookings are not arriving and "
                    "availability is not sent until they are fixed: check the API key and "
                    "secret (or username and password) and run Test connection."
                    % backend.name)
        else:
            note = ("%s%% of the last %d calls to Phobs for %s failed (alert threshold %s%%). "
                    "See Channel Manager > Error Log for what Phobs answered."
                    % (detail, backend.error_rate_window, backend.name,
                       backend.error_rate_threshold))
        activity_type = env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model = env["ir.model"]._get("phobs.backend")
        for user in backend._phobs_alert_users():
            Activity.create({
                "res_model_id": model.id, "res_id": backend.id, "user_id": user.id,
                "activity_type_id": activity_type.id if activity_type else False,
                "summary": summary, "note": note,
                "date_deadline": fields.Date.context_today(backend),
            })
        backend.message_post(body="%s: %s" % (summary, note), subtype="mail.mt_note",
                             message_type="comment")
        _logger.warning("%s for Phobs backend %s", summary, backend.id)
        return True


def newest_calls(cr, backend_id, limit):
    """``(success, error)`` of the backend's ``limit`` newest API calls, newest first."""
    cr.execute("""
        SELECT success, error FROM phobs_api_call
         WHERE backend_id = %s ORDER BY id DESC LIMIT %s
    """, (backend_id, max(limit, 1)))
    return cr.fetchall()


def describe(error):
    """An error as staff read it: its type and its message."""
    return "%s: %s" % (type(error).__name__, error)
