"""ReservationReceiver: deliveries from Phobs stored, then acknowledged.

Pulled pages and pushed messages end the same way: each reservation is stored as a ``received``
message (deduplicated by its delivery key, its room types checked against the mapping), the
transaction commits, and only then is Phobs told. A reservation acknowledged to Phobs is
therefore always in the database, and a crash before the acknowledgement makes Phobs deliver
it again. Applying the stored messages to the front desk is the applier's work
(:mod:`.reservation_apply`).
"""
import hashlib
import itertools
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from ..phobs_api import bounds, webhook
from ..phobs_api.client import new_echo_token
from ..phobs_api.errors import PhobsAuthError, PhobsError
from ..phobs_api.messages.res_notif import build_hotel_res_notif_rs, parse_hotel_res_notif_rq
from ..phobs_api.records import Confirmation, OtaError, RejectedReservation, ResStatus
from ..phobs_api.soap import build_envelope, build_fault
from ..phobs_api.xml import to_bytes
from . import background, data_mapper
from .base import BackendService, is_concurrent_write, server_now
from .channel_manager import PhobsChannelManagerService
from .error_handling import describe

_logger = logging.getLogger(__name__)

MAX_PULL_PAGES = 20


class ReservationRefused(Exception):
    """A delivery this property cannot take as it is (say, an unmapped room type); the text
    is what staff and Phobs are told."""


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
    # Its message was stored with its acknowledgement time already (a push's, answered only
    # once this transaction commits): nothing left to mark.
    stamped: bool = False

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


#: In one query: the stored message with a delivery key (id, state, front-desk number), and
#: the number Phobs was already told for its reservation: its binding's, else that of a stored
#: message still waiting to be applied (the newest, as the ORM's ``id desc`` would pick).
_KNOWN_SQL = """
    SELECT m.id, m.state, m.pms_ref,
           coalesce(
               (SELECT nullif(r.pms_ref, '') FROM phobs_reservation r
                 WHERE r.backend_id = %(backend_id)s AND r.external_id = %(external_id)s),
               (SELECT w.pms_ref FROM phobs_message w
                 WHERE w.backend_id = %(backend_id)s AND w.direction = 'in'
                   AND w.reservation_external_id = %(external_id)s AND w.state = 'received'
                   AND w.pms_ref IS NOT NULL
                 ORDER BY w.id DESC LIMIT 1))
      FROM (SELECT 1) one
      LEFT JOIN phobs_message m ON m.backend_id = %(backend_id)s AND m.direction = 'in'
                               AND m.message_id = %(key)s
"""
_UNREAD = object()


class ReservationReceiver(BackendService):
    def __init__(self, env, backend):
        super().__init__(env, backend)
        self._facts = _UNREAD
        self._deliveries = itertools.count()  # names the savepoint of each delivery

    def facts(self):
        """What deliveries are checked against (``phobs_backend_intake``), read once per
        receiver; None when the backend does not exist."""
        if self._facts is _UNREAD:
            self._facts = self.backend._phobs_intake_facts()
        return self._facts

    # -- pull -------------------------------------------------------------------------------

    def receive_pulled(self):
        """Every undelivered page, each stored then acknowledged. Safe to run from several
        workers: a session advisory lock per backend lets one pull at a time."""
        with self.advisory_lock("pull") as locked:
            if not locked:
                return PullResult(skipped=True)
            result = PullResult()
            with PhobsChannelManagerService(self.env, self.backend).client() as client:
                for _page in range(MAX_PULL_PAGES):
                    batch = client.pull_reservations()
                    outcomes = [self.accept(res, "pull") for res in batch.reservations]
                    outcomes += [self.store_rejected(rejected, "pull") for rejected in batch.rejected]
                    self.backend.sudo().last_pull_at = server_now()
                    self.commit_before_acknowledging()
                    self._acknowledge(client, outcomes)
                    self.env.cr.commit()
                    _count(result, outcomes)
                    if not batch.more or not outcomes:
                        break
            return result

    def commit_before_acknowledging(self):
        """Whatever we acknowledge to Phobs (an OTA_NotifReportRQ after a pull, the reply to a
        push) must already be durable, or a crash right after would lose a reservation Phobs
        believes delivered. (The other commits of the inbound flow: the bookkeeping after a
        pull's acknowledgement, and one per message the applier applies.)"""
        self.env.cr.commit()

    def _acknowledge(self, client, outcomes):
        successes = [(o.message_id, o.pms_ref or o.reservation_id) for o in outcomes if o.ok]
        failures = [(o.message_id, o.ota_error()) for o in outcomes
                    if not o.ok and not o.deferred]
        if not successes and not failures:
            return
        client.acknowledge(successes=successes, failures=failures)
        self._mark_acknowledged(outcomes)

    # -- push -------------------------------------------------------------------------------

    def receive_push(self, body, timestamp, signature, log_refusal=True):
        """Authenticates and stores a pushed OTA_HotelResNotifRQ; returns the reply. What it
        stored is applied to the front desk after the commit, in the background.

        Every refusal is logged with its reason (never with the secret or the body) and answered
        with a SOAP Fault; nothing is half-written, because nothing is written before the
        message is authentic and well-formed. ``log_refusal=False``: the controller already
        throttles this source and logs it once, not once per forged request.
        """
        facts = self.facts()
        if facts is None:
            _logger.warning("Phobs push for unknown backend %s", self.backend.id)
            return PushReply(404, b"")
        try:
            secret = self.backend._phobs_open_secret("webhook_secret", facts.webhook_secret_token)
            webhook.verify(secret, timestamp, signature, body)
        except PhobsAuthError as err:
            if log_refusal:
                _logger.warning("Refused Phobs push for backend %s: %s", self.backend.id, err)
            return PushReply(401, _fault("soap:Client", "authentication failed: %s" % err))
        try:
            batch = parse_hotel_res_notif_rq(body)
        except PhobsError as err:
            _logger.warning("Refused malformed Phobs push for backend %s: %s", self.backend.id, err)
            return PushReply(400, _fault("soap:Client", "malformed message: %s" % err))
        outcomes = []
        for reservation in batch.reservations:
            if reservation.hotel_code and reservation.hotel_code != facts.hotel_code:
                outcomes.append(self.store_rejected(RejectedReservation(
                    reservation.message_id, reservation.reservation_id,
                    "hotel code %s is not this hotel (%s)" % (
                        reservation.hotel_code, facts.hotel_code),
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
            hotel_code=self.facts().hotel_code, confirmations=confirmations,
            **({"warnings": failed} if ok else {"errors": failed or [
                OtaError(type="3", code="450", text="no reservation in the message")]}))
        return to_bytes(build_envelope(rs))

    def _mark_acknowledged(self, outcomes):
        """Bookkeeping of when Phobs was told; a push and a pull may both tell it about the same
        message at once, and whichever marks it first is right, so a conflict is no error."""
        message_ids = tuple(o.message_id for o in outcomes if not (o.deferred or o.stamped))
        if not message_ids:
            return
        try:
            with self.env.cr.savepoint():
                self.env.cr.execute("""
                    UPDATE phobs_message SET acknowledged_at = %s
                     WHERE backend_id = %s AND direction = 'in' AND message_id IN %s
                       AND acknowledged_at IS NULL
                """, (server_now(), self.backend.id, message_ids))
        except Exception as err:
            if not is_concurrent_write(err):
                raise
            _logger.debug("acknowledgement time of %s marked by another worker", message_ids)
        self.env["phobs.message"].invalidate_cache(["acknowledged_at"])

    # -- accept: store one delivery ---------------------------------------------------------

    def accept(self, reservation, source):
        """Stores one delivered reservation version as a ``received`` message, to be applied
        later; never raises for bad data."""
        key = delivery_key(reservation)
        external_id = reservation.reservation_id
        savepoint = "phobs_delivery_%d" % next(self._deliveries)
        known_id, known_state, known_ref, told_ref = self._known(key, external_id, savepoint)
        if known_id and known_state != "failed":
            return IngestOutcome(message_id=key, reservation_id=external_id, ok=True,
                                 pms_ref=known_ref or "", duplicate=True)
        problem = self._out_of_bounds(reservation)
        if problem:
            _logger.warning("Phobs reservation refused before storing: %s", problem)
            return self.store_rejected(RejectedReservation(
                reservation.message_id, reservation.reservation_id, problem,
                getattr(reservation, "source_xml", None)), source)
        try:
            self._check_mapped(reservation)
            pms_ref = told_ref or self._new_pms_ref(reservation)
            stamped = self._store_received(reservation, source, key, known_id, pms_ref)
            return IngestOutcome(message_id=key, reservation_id=external_id, ok=True,
                                 pms_ref=pms_ref, stamped=stamped)
        except Exception as err:  # one bad reservation must not block the batch
            self.env.cr.execute('ROLLBACK TO SAVEPOINT "%s"' % savepoint)
            return self._refused(reservation, source, key, err)

    def _refused(self, reservation, source, key, err):
        """The outcome of a delivery whose storing raised ``err`` (its writes undone): stored
        as failed with the reason, or deferred if another worker is storing the same one."""
        external_id = reservation.reservation_id
        if is_concurrent_write(err):
            _logger.info("Phobs message %s is being stored by another worker; deferred", key)
            return IngestOutcome(message_id=key, reservation_id=external_id, ok=False,
                                 deferred=True)
        if isinstance(err, ReservationRefused):
            _logger.warning("Phobs reservation %s (message %s) refused: %s",
                            external_id, key, err)
        else:
            _logger.error("Phobs reservation %s (message %s) could not be stored",
                          external_id, key, exc_info=err)
        return self._store_failure(reservation, source, key, err)

    def _known(self, key, external_id, savepoint):
        """``(message id, state, number)`` of the stored message with this delivery key (Nones
        when there is none), and the number Phobs was already told for this reservation.

        Sets ``savepoint`` in the same round trip, for storing the delivery to be undone on
        failure; left to the commit to release (a push saves two round trips)."""
        self.env.cr.execute('SAVEPOINT "%s"; %s' % (savepoint, _KNOWN_SQL), {
            "backend_id": self.backend.id, "key": key, "external_id": external_id})
        return self.env.cr.fetchone()

    def _out_of_bounds(self, reservation):
        """Why this delivery is unsafe or meaningless (dates, nights, amounts, ids, counts out of
        bounds, or amounts that contradict each other), or None: refused before storing."""
        facts = self.facts()
        try:
            bounds.check(reservation, facts.bounds, facts.today)
            data_mapper.price_plan(reservation)
        except (bounds.OutOfBounds, data_mapper.PricingError) as err:
            return str(err)
        return None

    def _check_mapped(self, reservation):
        """A booking of a room type this property does not map could never be placed: it is
        refused now, while Phobs can still be told."""
        if ResStatus(reservation.status) == ResStatus.CANCEL:
            return
        codes = {stay.room_type_code for stay in reservation.room_stays}
        unknown = codes - self.facts().mapped_codes
        if unknown:
            raise ReservationRefused(
                "Unknown Phobs room type code(s) %s: map them on a room type of this property "
                "(Hotel Management > Configuration > Room Types)." % ", ".join(sorted(unknown)))

    def _new_pms_ref(self, reservation):
        """The front-desk reference Phobs is told in the acknowledgement of a reservation it
        was told none for yet: one the PMS draws now for the booking to be placed (none for a
        cancellation)."""
        if ResStatus(reservation.status) == ResStatus.CANCEL:
            return ""
        return self.backend._phobs_new_pms_ref() or ""

    def _store_received(self, reservation, source, key, message_id, pms_ref):
        """Stores the message; whether it was stored with its acknowledgement time (a new
        pushed message: the reply that acknowledges it is sent only once this commits)."""
        # The binding's full values are mapped when the message is applied; its amounts were
        # checked already (_out_of_bounds).
        message_values = {
            "backend_id": self.backend.id, "direction": "in", "source": source,
            "operation": "HotelReservation", "message_id": key,
            "reservation_external_id": reservation.reservation_id,
            "status": ResStatus(reservation.status).value,
            "version_at": data_mapper.to_server_datetime(reservation.version),
            "body": _text(getattr(reservation, "source_xml", None)),
            "state": "received", "error": False, "pms_ref": pms_ref or False,
            "room_stays": _stays_json(reservation),
        }
        Message = self.env["phobs.message"].sudo()
        if message_id:
            Message.browse(message_id).write(message_values)
            return False
        stamped = source == "push"
        if stamped:
            message_values["acknowledged_at"] = server_now()
        Message._insert_stored(message_values)
        return stamped

    # -- refusals: kept with their reason ---------------------------------------------------

    def store_rejected(self, rejected, source):
        """A delivery the parser refused: kept with its reason, acknowledged as an error."""
        rejected = _bounded_rejection(rejected)
        key = rejected.message_id or "rejected-%s" % hashlib.sha256(
            (rejected.problem + str(rejected.reservation_id)).encode()).hexdigest()[:16]
        outcome = IngestOutcome(message_id=key, reservation_id=rejected.reservation_id or "",
                                ok=False, error=rejected.problem)
        self._write_failed_message(source, key, rejected.reservation_id, rejected.problem,
                                   getattr(rejected, "source_xml", None))
        return outcome

    def _store_failure(self, reservation, source, key, err):
        problem = str(err) if isinstance(err, ReservationRefused) else describe(err)
        self._write_failed_message(source, key, reservation.reservation_id, problem,
                                   getattr(reservation, "source_xml", None),
                                   channel_code=reservation.channel_code)
        return IngestOutcome(message_id=key, reservation_id=reservation.reservation_id,
                             ok=False, error=problem)

    def _write_failed_message(self, source, key, reservation_id, problem, body,
                              channel_code=None):
        with self.env.cr.savepoint():
            message = self.inbound_message(key)
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
                self.env["phobs.message"].sudo().create(dict(
                    values, backend_id=self.backend.id, direction="in", source=source,
                    operation="HotelReservation", message_id=key))


def _bounded_rejection(rejected):
    """The rejection keeping only ids short enough to be ids: an over-long one is the very
    problem (or part of it) and is not stored."""
    def fitting(value):
        return value if value and len(value) <= bounds.ID_LIMITS["message_id"][1] else None
    return RejectedReservation(fitting(rejected.message_id), fitting(rejected.reservation_id),
                               rejected.problem, getattr(rejected, "source_xml", None))


def _count(result, outcomes):
    result.received += len(outcomes)
    result.stored += sum(1 for o in outcomes if o.ok and not o.duplicate)
    result.duplicates += sum(1 for o in outcomes if o.duplicate)
    result.failed += sum(1 for o in outcomes if not o.ok and not o.deferred)
    result.deferred += sum(1 for o in outcomes if o.deferred)
    result.acknowledged += sum(1 for o in outcomes if not o.deferred)


def _stays_json(reservation):
    """The version's rooms, for the availability to count them until it is applied."""
    if ResStatus(reservation.status) == ResStatus.CANCEL:
        return False
    rows = [[stay.room_type_code, stay.arrival.isoformat(), stay.departure.isoformat(),
             stay.units] for stay in reservation.room_stays]
    return json.dumps(rows, separators=(",", ":")) if rows else False


def _text(body):
    if body is None:
        return False
    return body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)


def _fault(code, text):
    return to_bytes(build_fault(code, text))


def _now_aware():
    return datetime.now(timezone.utc).replace(microsecond=0)
