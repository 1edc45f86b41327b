"""PhobsInventoryService: availability (and front-desk reservation uploads) from the outbox to Phobs.

Dirty outbox rows say which (room type, days) may have changed. The service recomputes those
days through the PMS bridge, keeps only the days whose value differs from what Phobs last
accepted, collapses equal consecutive days into ranges, sends them in budgeted messages and
stores what was accepted. Failures are rescheduled by the error-handling service.
"""
import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from odoo import fields

from ..phobs_api.records import AvailabilityRun
from ..phobs_api.ranges import collapse
from .channel_manager import PhobsChannelManagerService
from .error_handling import PhobsErrorHandlingService

_logger = logging.getLogger(__name__)


@dataclass
class FlushResult:
    rows: int = 0
    runs_sent: int = 0
    days_changed: int = 0
    requests: int = 0
    failed_batches: int = 0
    errors: list = field(default_factory=list)


class PhobsInventoryService:
    def __init__(self, env, backend):
        backend.ensure_one()
        self.env = env
        self.backend = backend

    def flush(self, force=False):
        """Sends every due outbox row of this backend; returns what happened.

        ``force`` sends the recomputed values even where Phobs already holds them (full resync).
        """
        Outbox = self.env["phobs.outbox"].sudo()
        result = FlushResult()
        availability = Outbox._claim(self.backend, ["availability"])
        uploads = Outbox._claim(self.backend, ["reservation"])
        result.rows = len(availability) + len(uploads)
        if not result.rows:
            return result
        with PhobsChannelManagerService(self.env, self.backend).client() as client:
            # Reservations first: availability, sent last, is the absolute truth Phobs keeps.
            if uploads:
                self._flush_uploads(client, uploads, result)
            if availability:
                self._flush_availability(client, availability, force, result)
        return result

    # -- availability -------------------------------------------------------------------

    def dirty_days(self, rows):
        """``{room_type_code: set(days)}`` of the rows, within today .. today + horizon."""
        first, last = self.horizon()
        days = {}
        for row in rows:
            start = max(fields.Date.from_string(row.date_from), first)
            end = min(fields.Date.from_string(row.date_to), last)
            days.setdefault(row.room_type_code, set()).update(daterange(start, end))
        return {code: found for code, found in days.items() if found}

    def horizon(self):
        today = fields.Date.from_string(fields.Date.context_today(self.backend))
        return today, today + timedelta(days=self.backend.horizon_days - 1)

    def availability_changes(self, days_by_code, force=False):
        """``{(code, day): rooms}`` that differ from what Phobs accepted (all when forced)."""
        if not days_by_code:
            return {}
        first = min(min(days) for days in days_by_code.values())
        last = max(max(days) for days in days_by_code.values())
        computed = self.backend._phobs_compute_availability(sorted(days_by_code), first, last)
        accepted = {} if force else self.env["phobs.ari.state"].sudo()._accepted(
            self.backend, "availability", list(days_by_code), first, last)
        changes = {}
        for code, days in days_by_code.items():
            per_day = computed.get(code, {})
            for day in days:
                value = str(max(0, int(per_day.get(day, 0))))
                if force or accepted.get((code, day)) != value:
                    changes[(code, day)] = value
        return changes

    @staticmethod
    def availability_runs(changes):
        runs = []
        by_code = {}
        for (code, day), value in changes.items():
            by_code.setdefault(code, {})[day] = int(value)
        for code in sorted(by_code):
            runs.extend(AvailabilityRun(code, run.start, run.end, run.value)
                        for run in collapse(by_code[code]))
        return runs

    def _flush_availability(self, client, rows, force, result):
        changes = self.availability_changes(self.dirty_days(rows), force)
        runs = self.availability_runs(changes)
        result.days_changed += len(changes)
        errors = []
        for batch in client.send_availability(runs) if runs else []:
            result.requests += 1
            if batch.ok:
                result.runs_sent += len(batch.items)
                self.env["phobs.ari.state"].sudo()._store(
                    self.backend, "availability", _run_days(batch.items))
            else:
                result.failed_batches += 1
                errors.append(batch.error)
        self._settle(rows, errors, result)

    # -- reservation uploads ------------------------------------------------------------

    def _flush_uploads(self, client, rows, result):
        for row in rows:
            try:
                reservation = self.backend._phobs_export_reservation(row)
            except Exception as err:  # a broken front-desk record must not block the others
                _logger.exception("Cannot export %s for Phobs", row.pms_ref)
                self._settle(row, [err], result)
                continue
            if reservation is None:
                row.write({"state": "done", "done_at": fields.Datetime.now(),
                           "last_error": "nothing to upload"})
                continue
            errors = []
            for batch in client.upload_reservations([reservation], reservation.status):
                result.requests += 1
                if not batch.ok:
                    result.failed_batches += 1
                    errors.append(batch.error)
            self._settle(row, errors, result)

    def _settle(self, rows, errors, result):
        if errors:
            result.errors.extend(errors)
            PhobsErrorHandlingService(self.env, self.backend).reschedule(rows, errors[0])
        else:
            rows.write({"state": "done", "done_at": fields.Datetime.now(), "last_error": False,
                        "error_kind": False})


def _run_days(runs):
    days = {}
    for run in runs:
        for day in daterange(run.start, run.end):
            days[(run.room_type_code, day)] = str(run.booking_limit)
    return days


def daterange(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
