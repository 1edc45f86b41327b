"""ReservationApplier: stored deliveries into the front desk.

:meth:`ReservationApplier.apply_pending` takes this backend's ``received`` messages oldest
version first and applies each in two stages.

Placement, each message in a transaction of its own: the binding (``phobs.reservation``) is
brought up to that version (older versions are ignored), the PMS bridge makes the front desk
match it (an overbooking becomes a conflict for staff), and the days the booking held before and
holds now are marked for an availability update. Each commit lets the availability go out: the
rooms held and Phobs told is what protects against overbooking.

Folios, once every pending message is placed, each in a transaction of its own: the note saying
what the version changed and the invoice side (prices, lines, confirmation) of the bookings
placed. It may follow seconds later; a failure is kept on the booking for staff and never undoes
the placement, and a folio left pending (the process died between the stages) is built by the
next run.

A failure is kept on its message for staff to see and retry; it never stops the messages after
it.
"""
import logging

from odoo import fields

from ..phobs_api import ari
from ..phobs_api.dates import last_night
from ..phobs_api.messages.reservation_xml import parse_stored_reservation
from ..phobs_api.profile import DEFAULT_PROFILE
from ..phobs_api.records import ResStatus
from . import data_mapper
from .batch_lookups import CONTEXT_KEY as LOOKUPS_KEY
from .batch_lookups import BatchLookups
from .base import BackendService, is_concurrent_write, server_now
from .error_handling import describe
from .odoo11 import forget_cache

_logger = logging.getLogger(__name__)

#: Stored messages applied between two looks for newly stored ones.
APPLY_BATCH = 100


class ReservationApplier(BackendService):
    def __init__(self, env, backend):
        super().__init__(env, backend)
        # Bookings whose folio this applier tried: a failed one is not tried again in a loop.
        self._folios_tried = set()
        self._lookups = BatchLookups()
        self._after_each = lambda: None

    def apply_pending(self, wait_seconds=0, after_each=None):
        """Applies this backend's ``received`` messages, oldest version first, each in its own
        transaction. Returns how many it handled, or None when another worker kept applying
        this backend's messages for ``wait_seconds`` (waiting covers a message committed just
        as the other worker finished). ``after_each()`` runs after each booking placed and
        each folio built, once committed (the background thread sends the flushes queued
        meanwhile, so a front-desk change never waits for a whole backlog)."""
        self._after_each = after_each or (lambda: None)
        with self.advisory_lock("apply", wait_seconds=wait_seconds) as locked:
            if not locked:
                return None
            # Under REPEATABLE READ the snapshot dates from the first statement, perhaps taken
            # while another worker still held the lock: start a fresh one that sees its commits.
            self.env.cr.commit()
            handled = set()
            self._place_received(handled)
            # A booking pushed while the folios are built waits for no folio but the current
            # one: this worker holds the apply lock, so no other would place it meanwhile.
            self.build_folios(between=lambda: self._place_received(handled))
            return len(handled)

    def _place_received(self, handled):
        """Places the ``received`` messages not in ``handled`` (which it extends), oldest
        version first, each committed; returns how many."""
        placed = 0
        while True:
            messages = self.env["phobs.message"].sudo().search([
                ("backend_id", "=", self.backend.id), ("direction", "=", "in"),
                ("state", "=", "received"), ("id", "not in", list(handled))],
                order="version_at, id", limit=APPLY_BATCH)
            if not messages:
                return placed
            for message in messages:
                handled.add(message.id)
                self.apply_message(message)
                self.env.cr.commit()
                self._after_each()
                placed += 1
            # What was read for the applied bookings will not be read again: a long
            # backlog would otherwise hold all of it in memory.
            forget_cache(self.env)
            self._lookups.clear()  # a channel created meanwhile is found in the next batch

    def _bridge(self):
        """The backend as the PMS bridge sees it: with this batch's lookups."""
        return self.backend.with_context(**{LOOKUPS_KEY: self._lookups})

    def apply_now(self, message, reservation=None):
        """Both stages for one message in the caller's transaction (a staff retry, a test)."""
        self.apply_message(message, reservation)
        binding = message.phobs_reservation_id
        if binding & self.backend._phobs_folios_pending():
            self.build_folio(binding)

    def build_folios(self, between=None):
        """The second stage: the version note and folio of every placed booking whose folio is
        pending, each in a transaction of its own (committed, so that one failure never undoes
        another's folio). ``between()`` runs before each folio (placing what arrived
        meanwhile). Returns how many it handled."""
        built = 0
        while True:
            if between:
                between()
            pending = self.backend._phobs_folios_pending()[:APPLY_BATCH]
            pending = pending.filtered(lambda b: b.id not in self._folios_tried)
            if not pending:
                return built
            for binding in pending:
                self._folios_tried.add(binding.id)
                self.build_folio(binding)
                self.env.cr.commit()
                self._after_each()
                built += 1
                if between and between():
                    break  # the new bookings' folios join the next round
            forget_cache(self.env)
            self._lookups.clear()

    def build_folio(self, binding):
        """One booking's folio; the bridge keeps a failure on the booking."""
        try:
            with self.env.cr.savepoint():
                self._bridge()._phobs_build_folio(binding)
        except Exception as err:
            if not is_concurrent_write(err):
                raise
            _logger.info("Folio of Phobs reservation %s is being built by another worker; later",
                         binding.external_id)

    def apply_message(self, message, reservation=None):
        """One stored message into the front desk (``reservation``: its parsed form, when the
        caller has it). A failure is kept on the message, with the reason."""
        try:
            if reservation is None:
                reservation = parse_stored_reservation(
                    (message.body or "").encode("utf-8"), DEFAULT_PROFILE, status=message.status)
            with self.env.cr.savepoint():
                self._apply_version(message, reservation)
        except Exception as err:
            self._lookups.clear()  # what the rolled back savepoint found may be gone with it
            if is_concurrent_write(err):
                _logger.info("Phobs message %s is being applied by another worker; later",
                             message.message_id)
                return
            _logger.exception("Phobs reservation %s (message %s) could not be applied",
                              message.reservation_external_id, message.message_id)
            message.write({"state": "failed", "error": describe(err)})

    def _apply_version(self, message, reservation):
        """Brings the binding up to this version and the front desk with it, unless a newer
        version was applied already."""
        values = data_mapper.reservation_values(reservation)
        binding = self.binding(reservation.reservation_id)
        if binding and _is_older(values["version_at"], binding.version_at):
            message.write({"state": "ignored", "phobs_reservation_id": binding.id,
                           "channel_id": binding.channel_id.id, "pms_ref": binding.pms_ref})
            self._mark_availability(_version_ranges(values))  # Phobs moved them too
            return

        previous_ranges = binding._stay_ranges() if binding else []
        if not binding.pms_ref and message.pms_ref:
            values["pms_ref"] = message.pms_ref  # what Phobs was told the booking will be
        is_new = not binding
        binding = self._write_binding(binding, values)
        if is_new:
            # A booking's chatter tells its changes; its creation and first placement are
            # the form itself (and two messages per booking would cost a fifth of the apply).
            binding = binding.with_context(tracking_disable=True)
        if values["status"] == ResStatus.CANCEL.value and not previous_ranges:
            binding.write({"sync_state": "orphan"})
            self._open_unknown_cancel_conflict(binding)
        else:
            self._place_in_front_desk(binding)
        self._mark_availability(previous_ranges + binding._stay_ranges())
        message.write({"state": "processed", "pms_ref": binding.pms_ref, "error": False,
                       "phobs_reservation_id": binding.id, "channel_id": binding.channel_id.id})

    def _write_binding(self, binding, values):
        """Creates or updates the binding with one version's values (stays replaced)."""
        values = dict(values)
        stays = values.pop("stays")
        channel = self._lookups.get(("channel", values["channel_code"]), lambda: self.env[
            "phobs.channel"].sudo()._for_code(values["channel_code"]))
        currency_code = values.pop("currency_code")
        currency = self._lookups.get(("currency", currency_code), lambda: self.env[
            "res.currency"].with_context(active_test=False).search(
            [("name", "=", currency_code)], limit=1)) if currency_code else None
        values.update({
            "channel_id": channel.id or False,
            "currency_id": (currency or self.backend.currency_id).id,
            "sync_date": server_now(),
            "sync_error": False,
            "stay_ids": [(5, 0, 0)] + [(0, 0, _stay_row(stay)) for stay in stays],
        })
        if binding:
            binding.write(values)
            return binding
        values["backend_id"] = self.backend.id
        return self.env["phobs.reservation"].sudo().with_context(tracking_disable=True).create(
            values)

    def _place_in_front_desk(self, binding):
        """The PMS bridge creates, moves or cancels the front-desk booking; what it could not
        place becomes an overbooking conflict."""
        result = self._bridge()._phobs_apply_reservation(binding) or {}
        state = result.get("state", "applied")
        binding.write(dict(result.get("values") or {}, sync_state=state,
                           pms_ref=result.get("pms_ref") or binding.pms_ref,
                           sync_error=result.get("message") or False))
        if state == "conflict":
            self._open_overbooking_conflict(binding, result)

    def _open_overbooking_conflict(self, binding, result):
        conflict = result.get("conflict") or {}
        self.env["phobs.conflict"].sudo().create({
            "name": "Overbooking: %s" % binding.display_ref,
            "backend_id": self.backend.id,
            "phobs_reservation_id": binding.id,
            "kind": "overbooking",
            "room_type_code": conflict.get("room_type_code"),
            "date_from": conflict.get("date_from") or binding.arrival,
            "date_to": conflict.get("date_to") or binding.departure,
            "description": result.get("message"),
            "proposals": conflict.get("proposals"),
        })

    def _open_unknown_cancel_conflict(self, binding):
        self.env["phobs.conflict"].sudo().create({
            "name": "Cancellation of unknown reservation %s" % binding.external_id,
            "backend_id": self.backend.id,
            "phobs_reservation_id": binding.id,
            "kind": "unknown_reservation",
            "date_from": binding.arrival,
            "date_to": binding.departure,
            "description": "Phobs cancelled a reservation this front desk never received. "
                           "Check with the channel whether a guest is expected.",
        })

    def _mark_availability(self, ranges):
        """Forced: Phobs moved these nights itself when the channel sold, changed or cancelled
        the booking, so what it last accepted from us no longer says what it holds (a value
        we sent before we had the sale overwrote the sale's take)."""
        for room_type_code, date_from, date_to in ranges:
            self.backend._phobs_mark_dirty(ari.AVAILABILITY, [room_type_code], date_from, date_to,
                                           force=True)


def _version_ranges(values):
    """``[(room_type_code, first_night, last_night)]`` of one delivered version."""
    return [(stay["room_type_code"], stay["arrival"],
             fields.Date.to_string(last_night(fields.Date.from_string(stay["departure"]))))
            for stay in values["stays"]]


def _is_older(incoming, stored):
    return bool(incoming and stored and incoming < stored)


def _stay_row(stay):
    """A stay's values with its nightly prices as the stay's night rows."""
    stay = dict(stay)
    return dict(stay, night_ids=[(0, 0, night) for night in stay.pop("nights")])
