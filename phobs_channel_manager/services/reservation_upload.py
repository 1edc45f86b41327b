"""ReservationUploader: front-desk bookings sent to Phobs (OTA_HotelResNotifRQ).

A front-desk change to a booking Phobs should know queues a ``reservation`` outbox row; the
inventory flush claims those rows with the ARI rows and hands them here, first, because the
availability sent after them is the absolute truth Phobs keeps. Each row is exported through the
PMS bridge and uploaded on its own; a failure is rescheduled like any outbox failure.
"""
import logging

from odoo import fields

from ..phobs_api.ari import AVAILABILITY
from ..phobs_api.dates import last_night
from .base import BackendService
from .error_handling import PhobsErrorHandlingService

_logger = logging.getLogger(__name__)


class ReservationUploader(BackendService):
    def upload(self, client, rows, result):
        """Uploads each claimed row over ``client``, counting into the flush ``result``."""
        handler = PhobsErrorHandlingService(self.env, self.backend)
        for row in rows:
            try:
                reservation = self.backend._phobs_export_reservation(row)
            except Exception as err:  # a broken front-desk record must not block the others
                _logger.exception("Cannot export %s for Phobs", row.pms_ref)
                result.errors.append(err)
                handler.settle(row, [err])
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
            result.errors.extend(errors)
            handler.settle(row, errors)
            if not errors:
                self._mark_nights(reservation)

    def _mark_nights(self, reservation):
        """Phobs moved the uploaded booking's nights itself: they are sent again (forced), in
        this flush, or an upload retried after the availability went would leave them off."""
        for stay in reservation.room_stays:
            self.backend.with_context(phobs_no_flush_trigger=True)._phobs_mark_dirty(
                AVAILABILITY, [stay.room_type_code], stay.arrival, last_night(stay.departure),
                force=True)
