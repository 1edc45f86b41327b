"""PhobsInventoryService: availability, restrictions and rates (ARI) from the outbox to Phobs,
and the front-desk reservation uploads that share the outbox (sent first, by
:class:`.reservation_upload.ReservationUploader`).

The three ARI kinds take one code path (:meth:`_flush_kind`). Dirty outbox rows say which
(room type, rate plan, days) may have changed. The service recomputes those days (availability
through the PMS bridge, rates from the rate plans, restrictions from ``phobs.restriction``),
keeps only the days whose value differs from what Phobs last accepted, collapses equal
consecutive days into ranges, sends them in budgeted messages and stores what was accepted.
Failures are rescheduled by the error-handling service, row by row: a row fails only if one of
its days travelled in a refused message.
"""
import logging
from dataclasses import dataclass, field

from odoo import fields

from ..phobs_api import ari
from ..phobs_api.dates import clip, days_between
from ..phobs_api.errors import PhobsMappingError
from . import background
from .base import BackendService
from .channel_manager import PhobsChannelManagerService
from .error_handling import PhobsErrorHandlingService
from .reservation_upload import ReservationUploader

_logger = logging.getLogger(__name__)

KINDS = ari.KINDS
_SEND = {ari.AVAILABILITY: "send_availability", ari.RESTRICTIONS: "send_restrictions",
         ari.RATES: "send_rates"}


@dataclass
class FlushResult:
    rows: int = 0
    runs_sent: int = 0
    days_changed: int = 0
    requests: int = 0
    failed_batches: int = 0
    #: Another flush committed after this transaction began: nothing was sent (see
    #: ``phobs.outbox._take_flush_turn``); a fresh transaction may flush.
    stale: bool = False
    errors: list = field(default_factory=list)
    #: Per kind: ``{"days": n, "runs": n, "requests": n}``, for the figures staff and tests read.
    kinds: dict = field(default_factory=dict)


class PhobsInventoryService(BackendService):
    # -- entry points ---------------------------------------------------------------------

    def flush(self, force=False):
        """Sends every due outbox row of this backend; returns what happened.

        ``force`` sends the recomputed values even where Phobs already holds them.
        """
        Outbox = self.env["phobs.outbox"].sudo()
        result = FlushResult()
        # One flush per backend at a time: two flushes over different outbox rows of the same
        # days would both upsert the accepted values and one would fail to serialize.
        if not self.try_transaction_lock("flush"):
            return result  # another worker is flushing this backend; the cron takes what is left
        # Only a flush that has rows to send takes a turn: one that sends nothing records no
        # accepted value, so it must not make a concurrent one stale (a manager's full resync
        # meeting the minute cron would leave the whole horizon to the next run).
        if not Outbox._any_due(self.backend):
            return result
        if not Outbox._take_flush_turn(self.backend):
            result.stale = True
            return result
        uploads = Outbox._claim(self.backend, ["reservation"])
        ari_rows = Outbox._claim(self.backend, list(KINDS))
        result.rows = len(uploads) + len(ari_rows)
        if not result.rows:
            return result
        with PhobsChannelManagerService(self.env, self.backend).client() as client:
            # Reservations first: availability, sent last, is the absolute truth Phobs keeps.
            if uploads:
                ReservationUploader(self.env, self.backend).upload(client, uploads, result)
                ari_rows |= Outbox._claim(self.backend, list(KINDS))  # the nights they moved
            for kind in KINDS:
                rows = ari_rows.filtered(lambda row, kind=kind: row.kind == kind)
                if rows:
                    self._flush_kind(client, kind, rows, force, result)
        return result

    def full_resync(self):
        """Marks the whole horizon of every kind dirty, forced, and sends it now.

        What cannot be sent now stays in the outbox and is retried like any other update.
        """
        first, last = self.horizon()
        backend = self.backend.with_context(phobs_no_flush_trigger=True)
        for kind in KINDS:
            codes = sorted({code for code, _plan in self.pairs(kind)})
            backend._phobs_mark_dirty(kind, codes, first, last, force=True)
        self.backend.sudo().last_full_resync_at = fields.Datetime.now()
        return self.flush()

    def audit(self, reference=None, kinds=KINDS):
        """Where Phobs may not hold what Odoo computes now, as :class:`ari.Drift` ranges.

        ``reference(kind, pairs, date_from, date_to)`` reads what Phobs holds as
        ``{(code, plan, day): value}``. Phobs offers no read-back of inventory, so by default the
        reference is what Phobs last accepted from us (``phobs.ari.state``); a test can pass a
        reader of the sandbox's control API instead.
        """
        first, last = self.horizon()
        found = []
        for kind in kinds:
            days = set(days_between(first, last))
            dirty = {pair: days for pair in self.pairs(kind)}
            if not dirty:
                continue
            computed = self.compute(kind, dirty)
            held = (reference or self.accepted)(kind, list(dirty), first, last)
            found.extend(ari.drift(kind, computed, held))
        return found

    def correct(self, drifts):
        """Sends the days of these drifts again (forced) and returns the flush result."""
        backend = self.backend.with_context(phobs_no_flush_trigger=True)
        for drift in drifts:
            backend._phobs_mark_dirty(drift.kind, [drift.room_type_code], drift.start, drift.end,
                                      rate_plan_code=drift.rate_plan_code or False, force=True)
        return self.flush()

    # -- the shared ARI path ----------------------------------------------------------------

    def horizon(self):
        return self.backend._phobs_horizon()

    def pairs(self, kind):
        """Every (room type code, rate plan code) this backend sends for ``kind``."""
        if kind == ari.AVAILABILITY:
            return [(code, "") for code in self.backend._phobs_room_type_codes()]
        return [(code, plan.code) for plan in self._plans()
                for code in plan._room_type_code_list()]

    def _plans(self, codes=None):
        plans = self.env["phobs.rate.plan"].sudo().search(
            [("backend_id", "=", self.backend.id), ("active", "=", True)])
        if codes is not None:
            plans = plans.filtered(lambda plan: plan.code in codes)
        return plans

    def dirty_keys(self, kind, rows, force=False):
        """``({(code, plan): set(days)}, forced keys)`` of the rows, within the horizon.

        A rates or restrictions row without a rate plan means every plan selling its room type.
        """
        first, last = self.horizon()
        plans_by_code = {}
        if kind != ari.AVAILABILITY:
            for code, plan in self.pairs(kind):
                plans_by_code.setdefault(code, []).append(plan)
        dirty, forced = {}, set()
        for row in rows:
            start, end = clip(fields.Date.from_string(row.date_from),
                              fields.Date.from_string(row.date_to), first, last)
            if start > end:
                continue
            if kind == ari.AVAILABILITY:
                plans = [""]
            elif row.rate_plan_code:
                plans = [row.rate_plan_code]
            else:
                plans = plans_by_code.get(row.room_type_code, [])
            days = set(days_between(start, end))
            for plan in plans:
                dirty.setdefault((row.room_type_code, plan), set()).update(days)
                if force or row.force:
                    forced.update((row.room_type_code, plan, day) for day in days)
        return dirty, forced

    def compute(self, kind, dirty):
        """``{(code, plan, day): value or None}`` for the dirty days, as Odoo sees them now."""
        if not dirty:
            return {}
        first = min(min(days) for days in dirty.values())
        last = max(max(days) for days in dirty.values())
        values = {}
        if kind == ari.AVAILABILITY:
            codes = sorted({code for code, _plan in dirty})
            rooms = self.backend._phobs_compute_availability(codes, first, last)
            for (code, plan), days in dirty.items():
                per_day = rooms.get(code, {})
                for day in days:
                    values[(code, plan, day)] = ari.encode_availability(per_day.get(day, 0))
            return values
        codes_by_plan = {}
        for code, plan in dirty:
            codes_by_plan.setdefault(plan, set()).add(code)
        Restriction = self.env["phobs.restriction"]
        for plan in self._plans(set(codes_by_plan)):
            codes = sorted(codes_by_plan[plan.code])
            if kind == ari.RATES:
                per_plan = plan._phobs_rate_values(codes, first, last)
            else:
                per_plan = Restriction._phobs_values(plan, codes, first, last)
            for (code, plan_code, day), value in per_plan.items():
                if day in dirty.get((code, plan_code), ()):
                    values[(code, plan_code, day)] = value
        return values

    def accepted(self, kind, pairs, date_from, date_to):
        return self.env["phobs.ari.state"].sudo()._accepted_values(
            self.backend, kind, pairs, date_from, date_to)

    def _flush_kind(self, client, kind, rows, force, result):
        figures = result.kinds.setdefault(kind, {"days": 0, "runs": 0, "requests": 0})
        dirty, forced = self.dirty_keys(kind, rows, force)
        try:
            computed = self.compute(kind, dirty)
        except Exception as err:  # a broken configuration must not block the other kinds
            _logger.exception("Cannot compute Phobs %s for backend %s", kind, self.backend.name)
            self._settle(rows, [err], result)
            return
        first, last = _bounds(dirty)
        accepted = self.accepted(kind, list(dirty), first, last) if dirty else {}
        changes = ari.diff(computed, accepted, forced)
        runs = ari.runs(kind, changes)
        result.days_changed += len(changes)
        figures["days"] += len(changes)
        failures = []
        for batch in self._send(client, kind, runs):
            result.requests += 1
            figures["requests"] += 1
            if batch.ok:
                result.runs_sent += len(batch.items)
                figures["runs"] += len(batch.items)
                self.env["phobs.ari.state"].sudo()._store_values(
                    self.backend, kind, ari.run_values(batch.items))
            else:
                result.failed_batches += 1
                result.errors.append(batch.error)
                failures.extend((run, batch.error) for run in batch.items)
        self._settle_ari(rows, failures)

    def _send(self, client, kind, runs):
        """The batch results of sending ``runs``. A batch refused for a mapping error (one
        unknown room type or rate plan fails the whole message) is sent again split by room
        type and rate plan, so only the unknown codes' days end in the dead letter."""
        if not runs:
            return []
        send = getattr(client, _SEND[kind])
        results = []
        for batch in send(runs):
            pairs = {}
            for run in batch.items:
                pairs.setdefault(ari.run_pair(run), []).append(run)
            if batch.ok or not isinstance(batch.error, PhobsMappingError) or len(pairs) < 2:
                results.append(batch)
                continue
            for group in pairs.values():
                results.extend(send(group))
        return results

    def _settle_ari(self, rows, failures):
        """Done for rows none of whose days failed; the others rescheduled with the error of
        their first failed day (dead letter at once for mapping errors)."""
        failed = {}
        for run, error in failures:
            code, plan = ari.run_pair(run)
            failed.setdefault(code, []).append((plan, run.start, run.end, error))
        done = rows.browse()
        rescheduled = []  # [(error, rows)], in order of first failure
        for row in rows:
            start = fields.Date.from_string(row.date_from)
            end = fields.Date.from_string(row.date_to)
            error = next((error for plan, first, last, error in failed.get(row.room_type_code, ())
                          if (not row.rate_plan_code or plan == row.rate_plan_code)
                          and first <= end and start <= last), None)
            if error is None:
                done |= row
                continue
            for index, (known, same) in enumerate(rescheduled):
                if known is error:
                    rescheduled[index] = (known, same | row)
                    break
            else:
                rescheduled.append((error, row))
        handler = PhobsErrorHandlingService(self.env, self.backend)
        handler.settle(done, [])
        for error, failed_rows in rescheduled:
            handler.reschedule(failed_rows, error)

    def _settle(self, rows, errors, result):
        result.errors.extend(errors)
        PhobsErrorHandlingService(self.env, self.backend).settle(rows, errors)


def _bounds(dirty):
    if not dirty:
        return None, None
    return (min(min(days) for days in dirty.values()),
            max(max(days) for days in dirty.values()))


def flush_in_own_transaction(env, backend):
    """A flush by a caller that owns its transaction and has nothing of its own left in it
    (a cron, the background job): when another flush committed after this transaction began,
    it commits and flushes once more, in a fresh one."""
    result = PhobsInventoryService(env, backend).flush()
    if result.stale:
        env.cr.commit()
        result = PhobsInventoryService(env, backend).flush()
    return result


background.register(background.FLUSH, flush_in_own_transaction)
