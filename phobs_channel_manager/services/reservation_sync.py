"""PhobsReservationSyncService: reservations from Phobs into the front desk, and back.

Inbound (pull cron or push webhook) happens in two steps. :meth:`accept` stores a delivery as a
``received`` message (deduplicated by message id, its room types checked against the mapping);
after a commit the delivery is acknowledged, so a reservation acknowledged to Phobs is always in
the database, and a crash before the acknowledgement makes Phobs redeliver it. Then
:meth:`apply_pending` applies the stored messages in version order: binding (older versions
ignored), front-desk booking through the PMS bridge, availability marked. A push is answered as
soon as its message is stored, and applied right after in the background; the pull cron applies
what it pulled and anything a crash left behind.
"""
import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from ..phobs_api import bounds, webhook
from ..phobs_api.client import new_echo_token
from ..phobs_api.errors import PhobsAuthError, PhobsError, PhobsProtocolError
from ..phobs_api.messages.res_notif import build_hotel_res_notif_rs, parse_hotel_res_notif_rq
from ..phobs_api.messages.reservation_xml import parse_stored_reservation
from ..phobs_api.profile import DEFAULT_PROFILE
from ..phobs_api.records import Confirmation, OtaError, RejectedReservation, ResStatus
from ..phobs_api.soap import build_envelope, build_fault
from ..phobs_api.xml import to_bytes
from . import background, data_mapper
from .channel_manager import PhobsChannelManagerService
from .inventory import PhobsInventoryService

_logger = logging.getLogger(__name__)

MAX_PULL_PAGES = 20
#: Stored messages applied between two looks for newly stored ones.
APPLY_BATCH = 100
#: How long a worker that stored messages waits for another one applying the same backend.
APPLY_LOCK_WAIT_SECONDS = 10
APPLY_LOCK_POLL_SECONDS = 0.25
# Separate our advisory-lock keys from other users of pg_advisory_lock.
_PULL_LOCK_NAMESPACE = 0x50484F42  # "PHOB"
_APPLY_LOCK_NAMESPACE = 0x50484F41  # "PHOA"


class ReservationRefused(Exception):
    """A delivery this property cannot take as it is (say, an unmapped room type); the text
    is what staff and Phobs are told."""


# Unique violation, serialization failure, deadlock: another worker is storing the same
# delivery or reservation right now.
CONCURRENT_WRITE_CODES = {"23505", "40001", "40P01"}


@dataclass
class IngestOutcome:
    message_id: str
    reservation_id: str
    ok: bool
    pms_ref: str = ""
    duplicate: bool = False
    error: str = ""
    # Another worker stored this delivery (or this reservation) at the same moment; our snapshot
    # cannot see its outcome yet, so we neither acknowledge nor fail it: Phobs delivers again.
    deferred: bool = False

    def ota_error(self):
        if self.deferred:
            return OtaError(type="3", code="447", text="simultaneous update, deliver again",
                            record_id=self.message_id)
        return OtaError(type="3", code="450", text=self.error[:250], record_id=self.message_id)


@dataclass
class PushReply:
    """What the controller answers: an HTTP status and a SOAP body."""

    status: int
    body: bytes


@dataclass
class PullResult:
    skipped: bool = False
    received: int = 0
    stored: int = 0
    failed: int = 0
    duplicates: int = 0
    deferred: int = 0
    acknowledged: int = 0
    #: Stored messages applied to the front desk after the pages (this pull's and older ones).
    applied: int = 0


def delivery_key(reservation):
    """The idempotency key of a delivery: its message id, or (if Phobs sent none) the
    reservation id and version, which identify the same snapshot just as well."""
    if reservation.message_id:
        return reservation.message_id
    version = reservation.version.isoformat() if reservation.version else "unversioned"
    return "%s@%s" % (reservation.reservation_id, version)


class PhobsReservationSyncService:
    def __init__(self, env, backend):
        backend.ensure_one()
        self.env = env
        self.backend = backend
        self._mapped_codes = None  # the backend's mapped room types, read once per service

    # -- pull ---------------------------------------------------------------------------

    def scheduled_run(self, pull_due):
        """One tick of the pull cron: applies what is stored but not applied (a push whose
        background job a restart cut short), then pulls if the backend's interval has passed.
        The first step needs no Phobs, so it happens even while Phobs refuses the pull."""
        self.apply_pending()
        return self.pull() if pull_due else None

    def pull(self):
        """Pulls, stores and acknowledges every undelivered page, then applies what is stored
        and sends the availability it moved."""
        result = self.receive_pulled()
        result.applied = self.apply_pending(wait_seconds=APPLY_LOCK_WAIT_SECONDS) or 0
        self.after_ingest()
        return result

    def receive_pulled(self):
        """Every undelivered page, each stored then acknowledged. Safe to run from several
        workers: a session advisory lock per backend lets one pull at a time."""
        if not self._try_lock(_PULL_LOCK_NAMESPACE):
            return PullResult(skipped=True)
        result = PullResult()
        try:
            with PhobsChannelManagerService(self.env, self.backend).client() as client:
                for _page in range(MAX_PULL_PAGES):
                    batch = client.pull_reservations()
                    outcomes = [self.accept(res, "pull") for res in batch.reservations]
                    outcomes += [self.store_rejected(rejected, "pull") for rejected in batch.rejected]
                    self.backend.sudo().last_pull_at = _now_string()
                    self.commit_before_acknowledging()
                    self._acknowledge(client, outcomes)
                    self.env.cr.commit()
                    self._count(result, outcomes)
                    if not batch.more or not outcomes:
                        break
        except Exception:
            self.env.cr.rollback()  # an aborted transaction could not even release the lock
            raise
        finally:
            self._unlock(_PULL_LOCK_NAMESPACE)
        return result

    def commit_before_acknowledging(self):
        """Whatever we acknowledge to Phobs (an OTA_NotifReportRQ after a pull, the reply to a
        push) must already be durable, or a crash right after would lose a reservation Phobs
        believes delivered. (The other commits of this service: the bookkeeping after a pull's
        acknowledgement, and one per message :meth:`apply_pending` applies.)"""
        self.env.cr.commit()

    # -- push ---------------------------------------------------------------------------

    def receive_push(self, body, timestamp, signature):
        """Authenticates and stores a pushed OTA_HotelResNotifRQ; returns the reply. What it
        stored is applied to the front desk after the commit, in the background.

        Every refusal is logged with its reason (never with the secret or the body) and answered
        with a SOAP Fault; nothing is half-written, because nothing is written before the
        message is authentic and well-formed.
        """
        try:
            webhook.verify(self.backend._phobs_secret("webhook_secret"), timestamp, signature, body)
        except PhobsAuthError as err:
            _logger.warning("Refused Phobs push for backend %s: %s", self.backend.id, err)
            return PushReply(401, _fault("soap:Client", "authentication failed: %s" % err))
        try:
            batch = parse_hotel_res_notif_rq(body)
        except PhobsError as err:
            _logger.warning("Refused malformed Phobs push for backend %s: %s", self.backend.id, err)
            return PushReply(400, _fault("soap:Client", "malformed message: %s" % err))
        outcomes = []
        for reservation in batch.reservations:
            if reservation.hotel_code and reservation.hotel_code != self.backend.hotel_code:
                outcomes.append(self.store_rejected(RejectedReservation(
                    reservation.message_id, reservation.reservation_id,
                    "hotel code %s is not this hotel (%s)" % (
                        reservation.hotel_code, self.backend.hotel_code),
                    reservation.source_xml), "push"))
                continue
            outcomes.append(self.accept(reservation, "push"))
        outcomes += [self.store_rejected(rejected, "push") for rejected in batch.rejected]
        self._mark_acknowledged(outcomes)
        if any(o.ok for o in outcomes):
            background.run_after_commit(self.env.cr, self.backend.ids, background.APPLY)
        self.commit_before_acknowledging()
        return PushReply(200, self._push_reply(batch.echo_token, outcomes))

    def _push_reply(self, echo_token, outcomes):
        """Success naming what we stored; failures as warnings (errors if nothing succeeded).
        Deferred deliveries carry code 447 so that Phobs pushes them again."""
        ok = [o for o in outcomes if o.ok]
        failed = [o.ota_error() for o in outcomes if not o.ok]
        confirmations = [Confirmation(o.message_id, o.reservation_id, o.pms_ref or None) for o in ok]
        rs = build_hotel_res_notif_rs(
            echo_token=echo_token or new_echo_token(), timestamp=_now_aware(),
            hotel_code=self.backend.hotel_code, confirmations=confirmations,
            **({"warnings": failed} if ok else {"errors": failed or [
                OtaError(type="3", code="450", text="no reservation in the message")]}))
        return to_bytes(build_envelope(rs))

    def _acknowledge(self, client, outcomes):
        successes = [(o.message_id, o.pms_ref or o.reservation_id) for o in outcomes if o.ok]
        failures = [(o.message_id, o.ota_error()) for o in outcomes
                    if not o.ok and not o.deferred]
        if not successes and not failures:
            return
        client.acknowledge(successes=successes, failures=failures)
        self._mark_acknowledged(outcomes)

    def _mark_acknowledged(self, outcomes):
        """Bookkeeping of when Phobs was told; a push and a pull may both tell it about the same
        message at once, and whichever marks it first is right, so a conflict is no error."""
        message_ids = tuple(o.message_id for o in outcomes if not o.deferred)
        if not message_ids:
            return
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("""
                    UPDATE phobs_message SET acknowledged_at = %s
                     WHERE backend_id = %s AND direction = 'in' AND message_id IN %s
                       AND acknowledged_at IS NULL
                """, (_now_string(), self.backend.id, message_ids))
        except Exception as err:
            if getattr(err, "pgcode", None) not in CONCURRENT_WRITE_CODES:
                raise
            _logger.debug("acknowledgement time of %s marked by another worker", message_ids)
        self.env["phobs.message"].invalidate_cache(["acknowledged_at"])

    @staticmethod
    def _count(result, outcomes):
        result.received += len(outcomes)
        result.stored += sum(1 for o in outcomes if o.ok and not o.duplicate)
        result.duplicates += sum(1 for o in outcomes if o.duplicate)
        result.failed += sum(1 for o in outcomes if not o.ok and not o.deferred)
        result.deferred += sum(1 for o in outcomes if o.deferred)
        result.acknowledged += sum(1 for o in outcomes if not o.deferred)

    def _try_lock(self, namespace):
        """A session lock: it outlives the commits that make each step durable."""
        self.env.cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (namespace, self.backend.id))
        return self.env.cr.fetchone()[0]

    def _unlock(self, namespace):
        self.env.cr.execute("SELECT pg_advisory_unlock(%s, %s)", (namespace, self.backend.id))

    # -- accept: store a delivery ---------------------------------------------------------

    def accept(self, reservation, source):
        """Stores one delivered reservation version as a ``received`` message, to be applied
        by :meth:`apply_pending`; never raises for bad data."""
        key = delivery_key(reservation)
        known = self._inbound_message(key)
        if known and known.state != "failed":
            return IngestOutcome(key, reservation.reservation_id, True, known.pms_ref or "", True)
        problem = self._out_of_bounds(reservation)
        if problem:
            _logger.warning("Phobs reservation refused before storing: %s", problem)
            return self.store_rejected(_bounded_rejection(reservation, problem), source)
        try:
            with self.env.cr.savepoint():
                self._check_mapped(reservation)
                pms_ref = self._pms_ref_for(reservation)
                self._store_received(reservation, source, key, known, pms_ref)
                return IngestOutcome(key, reservation.reservation_id, True, pms_ref)
        except ReservationRefused as err:
            _logger.warning("Phobs reservation %s (message %s) refused: %s",
                            reservation.reservation_id, key, err)
            return self._store_failure(reservation, source, key, err)
        except Exception as err:  # one bad reservation must not block the batch
            if getattr(err, "pgcode", None) in CONCURRENT_WRITE_CODES:
                _logger.info("Phobs message %s is being stored by another worker; deferred", key)
                return IngestOutcome(key, reservation.reservation_id, False, deferred=True)
            _logger.exception("Phobs reservation %s (message %s) could not be stored",
                              reservation.reservation_id, key)
            return self._store_failure(reservation, source, key, err)

    def _out_of_bounds(self, reservation):
        """Why this delivery is unsafe or meaningless (dates, nights, amounts, ids, counts out of
        bounds, or amounts that contradict each other), or None: refused before storing."""
        try:
            bounds.check(reservation, self.backend._phobs_bounds_policy(),
                         self.backend._phobs_today())
            data_mapper.price_plan(reservation)
        except (bounds.OutOfBounds, data_mapper.PricingError) as err:
            return str(err)
        return None

    def _inbound_message(self, key):
        return self.env["phobs.message"].sudo().search([
            ("backend_id", "=", self.backend.id), ("direction", "=", "in"),
            ("message_id", "=", key)])

    def _check_mapped(self, reservation):
        """A booking of a room type this property does not map could never be placed: it is
        refused now, while Phobs can still be told."""
        if ResStatus(reservation.status) == ResStatus.CANCEL:
            return
        if self._mapped_codes is None:
            self._mapped_codes = set(self.backend._phobs_room_type_codes())
        unknown = {stay.room_type_code for stay in reservation.room_stays} - self._mapped_codes
        if unknown:
            raise ReservationRefused(
                "Unknown Phobs room type code(s) %s: map them on a room type of this property "
                "(Hotel Management > Configuration > Room Types)." % ", ".join(sorted(unknown)))

    def _pms_ref_for(self, reservation):
        """The front-desk reference Phobs is told in the acknowledgement: the booking's own
        when it is known, else one the PMS draws now for the booking to be placed."""
        external_id = reservation.reservation_id
        binding = self.env["phobs.reservation"].sudo().search([
            ("backend_id", "=", self.backend.id), ("external_id", "=", external_id)])
        if binding.pms_ref:
            return binding.pms_ref
        waiting = self.env["phobs.message"].sudo().search([
            ("backend_id", "=", self.backend.id), ("direction", "=", "in"),
            ("reservation_external_id", "=", external_id), ("state", "=", "received"),
            ("pms_ref", "!=", False)], limit=1)
        if waiting:
            return waiting.pms_ref
        if ResStatus(reservation.status) == ResStatus.CANCEL:
            return ""
        return self.backend._phobs_new_pms_ref() or ""

    def _store_received(self, reservation, source, key, message, pms_ref):
        values = data_mapper.reservation_values(reservation)
        message_values = {
            "backend_id": self.backend.id, "direction": "in", "source": source,
            "operation": "HotelReservation", "message_id": key,
            "reservation_external_id": reservation.reservation_id,
            "status": values["status"], "version_at": values["version_at"],
            "body": _text(getattr(reservation, "source_xml", None)),
            "state": "received", "error": False, "pms_ref": pms_ref or False,
        }
        if message:
            message.write(message_values)
        else:
            self.env["phobs.message"].sudo().create(message_values)

    # -- apply: stored messages into the front desk ------------------------------------

    def apply_pending(self, wait_seconds=0):
        """Applies this backend's ``received`` messages, oldest version first, each in its own
        transaction. Returns how many it handled, or None when another worker kept applying
        this backend's messages for ``wait_seconds`` (waiting covers a message committed just
        as the other worker finished)."""
        deadline = time.monotonic() + wait_seconds
        while not self._try_lock(_APPLY_LOCK_NAMESPACE):
            if time.monotonic() >= deadline:
                return None
            time.sleep(APPLY_LOCK_POLL_SECONDS)
        # Under REPEATABLE READ the snapshot dates from the first statement, perhaps taken
        # while another worker still held the lock: start a fresh one that sees its commits.
        self.env.cr.commit()
        handled = set()
        try:
            while True:
                messages = self.env["phobs.message"].sudo().search([
                    ("backend_id", "=", self.backend.id), ("direction", "=", "in"),
                    ("state", "=", "received"), ("id", "not in", list(handled))],
                    order="version_at, id", limit=APPLY_BATCH)
                if not messages:
                    break
                for message in messages:
                    handled.add(message.id)
                    self._apply_message(message)
                    self.env.cr.commit()
                # What was read for the applied bookings will not be read again: a long
                # backlog would otherwise hold all of it in memory.
                _forget_cache(self.env)
        except Exception:
            self.env.cr.rollback()
            raise
        finally:
            self._unlock(_APPLY_LOCK_NAMESPACE)
        return len(handled)

    def ingest(self, reservation, source):
        """Accepts and applies one reservation at once; the outcome says how it ended."""
        outcome = self.accept(reservation, source)
        if not outcome.ok or outcome.duplicate:
            return outcome
        message = self._inbound_message(outcome.message_id)
        self._apply_message(message, reservation)
        outcome.pms_ref = message.pms_ref or ""
        if message.state == "failed":
            outcome.ok, outcome.error = False, message.error
        return outcome

    def _apply_message(self, message, reservation=None):
        """One stored message into the front desk. A failure is kept on the message, with the
        reason, for staff to see and retry; it never stops the messages after it."""
        try:
            if reservation is None:
                reservation = parse_stored_reservation(
                    (message.body or "").encode("utf-8"), DEFAULT_PROFILE, status=message.status)
            with self.env.cr.savepoint():
                self._apply_stored(message, reservation)
        except Exception as err:
            if getattr(err, "pgcode", None) in CONCURRENT_WRITE_CODES:
                _logger.info("Phobs message %s is being applied by another worker; later",
                             message.message_id)
                return
            _logger.exception("Phobs reservation %s (message %s) could not be applied",
                              message.reservation_external_id, message.message_id)
            message.write({"state": "failed", "error": _problem(err)})

    def _apply_stored(self, message, reservation):
        values = data_mapper.reservation_values(reservation)
        binding = self.env["phobs.reservation"].sudo().search([
            ("backend_id", "=", self.backend.id), ("external_id", "=", reservation.reservation_id)])
        if binding and _is_older(values["version_at"], binding.version_at):
            message.write({"state": "ignored", "phobs_reservation_id": binding.id,
                           "channel_id": binding.channel_id.id, "pms_ref": binding.pms_ref})
            return

        previous_ranges = binding._stay_ranges() if binding else []
        if not binding.pms_ref and message.pms_ref:
            values["pms_ref"] = message.pms_ref  # what Phobs was told the booking will be
        is_new = not binding
        binding = self._upsert_binding(binding, values)
        if is_new:
            # A booking's chatter tells its changes; its creation and first placement are
            # the form itself (and two messages per booking would cost a fifth of the apply).
            binding = binding.with_context(tracking_disable=True)
        message.write({"phobs_reservation_id": binding.id, "channel_id": binding.channel_id.id})
        if values["status"] == ResStatus.CANCEL.value and not previous_ranges:
            binding.write({"sync_state": "orphan"})
            self._open_unknown_cancel_conflict(binding)
        else:
            self._apply(binding)
        self._mark_availability(previous_ranges + binding._stay_ranges())
        message.write({"state": "processed", "pms_ref": binding.pms_ref, "error": False})

    def _upsert_binding(self, binding, values):
        values = dict(values)
        stays = values.pop("stays")
        channel = self.env["phobs.channel"].sudo()._for_code(values["channel_code"])
        currency_code = values.pop("currency_code")
        currency = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", currency_code)], limit=1) if currency_code else None
        values.update({
            "channel_id": channel.id or False,
            "currency_id": (currency or self.backend.currency_id).id,
            "sync_date": _now_string(),
            "sync_error": False,
            "stay_ids": [(5, 0, 0)] + [(0, 0, _stay_row(stay)) for stay in stays],
        })
        if binding:
            binding.write(values)
            return binding
        values["backend_id"] = self.backend.id
        return self.env["phobs.reservation"].sudo().with_context(tracking_disable=True).create(
            values)

    def _apply(self, binding):
        result = self.backend._phobs_apply_reservation(binding) or {}
        state = result.get("state", "applied")
        binding.write({"sync_state": state, "pms_ref": result.get("pms_ref") or binding.pms_ref,
                       "sync_error": result.get("message") or False})
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
        for room_type_code, date_from, date_to in ranges:
            self.backend._phobs_mark_dirty("availability", [room_type_code], date_from, date_to)

    def store_rejected(self, rejected, source):
        """A delivery the parser refused: kept with its reason, acknowledged as an error."""
        key = rejected.message_id or "rejected-%s" % hashlib.sha256(
            (rejected.problem + str(rejected.reservation_id)).encode()).hexdigest()[:16]
        outcome = IngestOutcome(key, rejected.reservation_id or "", False, error=rejected.problem)
        self._write_failed_message(source, key, rejected.reservation_id, rejected.problem,
                                   getattr(rejected, "source_xml", None))
        return outcome

    def _store_failure(self, reservation, source, key, err):
        problem = _problem(err)
        self._write_failed_message(source, key, reservation.reservation_id, problem,
                                   getattr(reservation, "source_xml", None),
                                   channel_code=reservation.channel_code)
        return IngestOutcome(key, reservation.reservation_id, False, error=problem)

    def _write_failed_message(self, source, key, reservation_id, problem, body,
                              channel_code=None):
        Message = self.env["phobs.message"].sudo()
        with self.env.cr.savepoint():
            message = Message.search([("backend_id", "=", self.backend.id),
                                      ("direction", "=", "in"), ("message_id", "=", key)])
            values = {"state": "failed", "error": problem, "body": _text(body),
                      "reservation_external_id": reservation_id or False}
            if channel_code:
                # Known channels only: a failed delivery does not create one.
                values["channel_id"] = self.env["phobs.channel"].sudo().with_context(
                    active_test=False).search([("code", "=", channel_code)], limit=1).id
            if message.state in ("processed", "ignored"):
                return
            if message:
                message.write(values)
            else:
                Message.create(dict(values, backend_id=self.backend.id, direction="in",
                                    source=source, operation="HotelReservation", message_id=key))

    def after_ingest(self):
        """Sends the availability the new reservations moved (stop-sells included) now,
        rather than at the next cron run."""
        try:
            PhobsInventoryService(self.env, self.backend).flush()
        except PhobsError:
            _logger.warning("Phobs availability flush after ingest failed; the cron retries",
                            exc_info=True)


def _stay_row(stay):
    stay = dict(stay)
    return dict(stay, night_ids=[(0, 0, night) for night in stay.pop("nights")])


def _bounded_rejection(reservation, problem):
    """A refused delivery, keeping only ids short enough to be ids (an over-long one is the
    very problem and is not stored)."""
    def fitting(value):
        return value if value and len(value) <= bounds.ID_LIMITS["message_id"][1] else None
    return RejectedReservation(fitting(reservation.message_id),
                               fitting(reservation.reservation_id), problem,
                               getattr(reservation, "source_xml", None))


def _forget_cache(env):
    invalidate_all = getattr(env, "invalidate_all", None)  # Odoo 16+
    if invalidate_all:
        invalidate_all()
    else:
        env.cache.invalidate()


def _problem(err):
    if isinstance(err, ReservationRefused):
        return str(err)
    return "%s: %s" % (type(err).__name__, err)


def _is_older(incoming, stored):
    return bool(incoming and stored and incoming < stored)


def _text(body):
    if body is None:
        return False
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


def _fault(code, text):
    return to_bytes(build_fault(code, text))


def _now_aware():
    return datetime.now(timezone.utc).replace(microsecond=0)


def _now_string():
    return datetime.utcnow().strftime(data_mapper.SERVER_DATETIME)
