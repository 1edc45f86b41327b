"""PhobsReservationSyncService: reservations from Phobs into the front desk.

The one name the crons, the controller and the backend's buttons call. Inbound happens in two
steps, each in a file of its own that reads top to bottom:

1. :mod:`.reservation_inbound` (:class:`ReservationReceiver`): a pulled page or a pushed message
   is stored as ``received`` messages, committed, and only then acknowledged, so a reservation
   acknowledged to Phobs is always in the database.
2. :mod:`.reservation_apply` (:class:`ReservationApplier`): the stored messages are applied in
   version order, one transaction each: binding, front-desk booking through the PMS bridge,
   conflicts, availability marked.

A push is answered as soon as its message is stored, and applied right after in the background;
the pull cron applies what it pulled and anything a crash left behind. The outbound direction
(front-desk changes uploaded to Phobs) rides on the outbox flush: :mod:`.reservation_upload`.
"""
import logging

from ..phobs_api.errors import PhobsError
from . import background
from .base import BackendService
from .inventory import PhobsInventoryService
from .reservation_apply import ReservationApplier
from .reservation_inbound import (  # noqa: F401 (the names callers know this service by)
    IngestOutcome,
    PullResult,
    PushReply,
    ReservationReceiver,
    ReservationRefused,
    delivery_key,
)

_logger = logging.getLogger(__name__)

#: While another process applies a backend's messages, ours waits for it, so that a message
#: committed just as the other finished is not left to the cron.
APPLY_LOCK_WAIT_SECONDS = 10


class PhobsReservationSyncService(BackendService):
    def __init__(self, env, backend):
        super().__init__(env, backend)
        self.receiver = ReservationReceiver(env, backend)
        self.applier = ReservationApplier(env, backend)

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
        return self.receiver.receive_pulled()

    def receive_push(self, body, timestamp, signature, log_refusal=True):
        return self.receiver.receive_push(body, timestamp, signature, log_refusal=log_refusal)

    def accept(self, reservation, source):
        return self.receiver.accept(reservation, source)

    def apply_pending(self, wait_seconds=0, after_each=None):
        return self.applier.apply_pending(wait_seconds=wait_seconds, after_each=after_each)

    def after_ingest(self):
        """Sends the availability the new reservations moved (stop-sells included) now,
        rather than at the next cron run."""
        try:
            PhobsInventoryService(self.env, self.backend).flush()
        except PhobsError:
            _logger.warning("Phobs availability flush after ingest failed; the cron retries",
                            exc_info=True)


def _apply_in_background(env, backend):
    PhobsReservationSyncService(env, backend).apply_pending(
        wait_seconds=APPLY_LOCK_WAIT_SECONDS, after_each=background.run_waiting_flushes)


background.register(background.APPLY, _apply_in_background)
