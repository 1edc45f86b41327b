"""PhobsReservationSyncService: reservations from Phobs into the front desk, and back.

Inbound (pull cron or push webhook) goes through :meth:`ingest`: store the message (deduplicated
by message id), upsert the binding (older versions ignored), let the PMS bridge apply it, mark
the availability it moved. Only after a commit is a delivery acknowledged, so a reservation
acknowledged to Phobs is always in the database; a crash before the acknowledgement makes Phobs
redeliver, and the stored message id recognises it.
"""
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from ..phobs_api import webhook
from ..phobs_api.client import new_echo_token
from ..phobs_api.errors import PhobsAuthError, PhobsError, PhobsProtocolError
from ..phobs_api.messages.res_notif import build_hotel_res_notif_rs, parse_hotel_res_notif_rq
from ..phobs_api.records import Confirmation, OtaError, RejectedReservation, ResStatus
from ..phobs_api.soap import build_envelope, build_fault
from ..phobs_api.xml import to_bytes
from . import data_mapper
from .channel_manager import PhobsChannelManagerService
from .inventory import PhobsInventoryService

_logger = logging.getLogger(__name__)

MAX_PULL_PAGES = 20
# Separates our advisory-lock keys from other users of pg_advisory_lock.
_PULL_LOCK_NAMESPACE = 0x50484F42  # "PHOB"


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

    # -- pull ---------------------------------------------------------------------------

    def pull(self):
        """Pulls every undelivered page, storing then acknowledging each. Safe to run from
        several workers: a session advisory lock per backend lets one pull at a time."""
        if not self._try_pull_lock():
            return PullResult(skipped=True)
        result = PullResult()
        try:
            with PhobsChannelManagerService(self.env, self.backend).client() as client:
                for _page in range(MAX_PULL_PAGES):
                    batch = client.pull_reservations()
                    outcomes = [self.ingest(res, "pull") for res in batch.reservations]
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
            self._release_pull_lock()
        self.after_ingest()
        return result

    def commit_before_acknowledging(self):
        """The one place this addon commits by itself: whatever we acknowledge to Phobs (an
        OTA_NotifReportRQ after a pull, the reply to a push) must already be durable, or a crash
        right after would lose a reservation Phobs believes delivered."""
        self.env.cr.commit()

    # -- push ---------------------------------------------------------------------------

    def receive_push(self, body, timestamp, signature):
        """Authenticates, stores and applies a pushed OTA_HotelResNotifRQ; returns the reply.

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
            outcomes.append(self.ingest(reservation, "push"))
        outcomes += [self.store_rejected(rejected, "push") for rejected in batch.rejected]
        self._mark_acknowledged(outcomes)
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

    def _lock_key(self):
        return _PULL_LOCK_NAMESPACE, self.backend.id

    def _try_pull_lock(self):
        self.env.cr.execute("SELECT pg_try_advisory_lock(%s, %s)", self._lock_key())
        return self.env.cr.fetchone()[0]

    def _release_pull_lock(self):
        self.env.cr.execute("SELECT pg_advisory_unlock(%s, %s)", self._lock_key())

    # -- ingest -------------------------------------------------------------------------

    def ingest(self, reservation, source):
        """Stores and applies one delivered reservation version; never raises for bad data."""
        key = delivery_key(reservation)
        Message = self.env["phobs.message"].sudo()
        done = Message.search([("backend_id", "=", self.backend.id), ("direction", "=", "in"),
                               ("message_id", "=", key), ("state", "in", ("processed", "ignored"))])
        if done:
            return IngestOutcome(key, reservation.reservation_id, True, done.pms_ref or "", True)
        try:
            with self.env.cr.savepoint():
                return self._ingest(reservation, source, key)
        except Exception as err:  # one bad reservation must not block the batch
            if getattr(err, "pgcode", None) in CONCURRENT_WRITE_CODES:
                _logger.info("Phobs message %s is being stored by another worker; deferred", key)
                return IngestOutcome(key, reservation.reservation_id, False, deferred=True)
            _logger.exception("Phobs reservation %s (message %s) could not be applied",
                              reservation.reservation_id, key)
            return self._store_failure(reservation, source, key, err)

    def _ingest(self, reservation, source, key):
        Message = self.env["phobs.message"].sudo()
        values = data_mapper.reservation_values(reservation)
        message = Message.search([("backend_id", "=", self.backend.id), ("direction", "=", "in"),
                                  ("message_id", "=", key)])
        message_values = {
            "backend_id": self.backend.id, "direction": "in", "source": source,
            "operation": "HotelReservation", "message_id": key,
            "reservation_external_id": reservation.reservation_id,
            "status": values["status"], "version_at": values["version_at"],
            "body": _text(getattr(reservation, "source_xml", None)),
            "state": "received", "error": False,
        }
        if message:
            message.write(message_values)
        else:
            message = Message.create(message_values)

        binding = self.env["phobs.reservation"].sudo().search([
            ("backend_id", "=", self.backend.id), ("external_id", "=", reservation.reservation_id)])
        if binding and _is_older(values["version_at"], binding.version_at):
            message.write({"state": "ignored", "phobs_reservation_id": binding.id,
                           "channel_id": binding.channel_id.id, "pms_ref": binding.pms_ref})
            return IngestOutcome(key, reservation.reservation_id, True, binding.pms_ref or "")

        previous_ranges = binding._stay_ranges() if binding else []
        binding = self._upsert_binding(binding, values)
        message.write({"phobs_reservation_id": binding.id, "channel_id": binding.channel_id.id})
        if values["status"] == ResStatus.CANCEL.value and not previous_ranges:
            binding.write({"sync_state": "orphan"})
            self._open_unknown_cancel_conflict(binding)
        else:
            self._apply(binding)
        self._mark_availability(previous_ranges + binding._stay_ranges())
        message.write({"state": "processed", "pms_ref": binding.pms_ref})
        return IngestOutcome(key, reservation.reservation_id, True, binding.pms_ref or "")

    def _upsert_binding(self, binding, values):
        values = dict(values)
        stays = values.pop("stays")
        channel = self.env["phobs.channel"].sudo()._find_or_create(
            values.pop("channel_code"), values.pop("channel_name"))
        currency_code = values.pop("currency_code")
        currency = self.env["res.currency"].with_context(active_test=False).search(
            [("name", "=", currency_code)], limit=1) if currency_code else None
        values.update({
            "channel_id": channel.id or False,
            "currency_id": (currency or self.backend.currency_id).id,
            "sync_date": _now_string(),
            "sync_error": False,
            "stay_ids": [(5, 0, 0)] + [(0, 0, stay) for stay in stays],
        })
        if binding:
            binding.write(values)
            return binding
        values["backend_id"] = self.backend.id
        # Status changes stay tracked on the binding; its creation needs no chatter message.
        return self.env["phobs.reservation"].sudo().with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True).create(values)

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
        problem = "%s: %s" % (type(err).__name__, err)
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
