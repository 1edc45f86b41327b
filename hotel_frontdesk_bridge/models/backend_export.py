"""Front-desk reservations -> Phobs uploads (Commit, Modify, Cancel)."""
from datetime import datetime, timezone

from odoo import models

from odoo.addons.phobs_channel_manager.phobs_api.records import (
    AGE_ADULT,
    AGE_CHILD,
    Guest,
    GuestCount,
    Reservation,
    ResStatus,
    RoomStay,
)

from ..stay_calendar import stay_dates


class PhobsBackendExport(models.Model):
    _inherit = "phobs.backend"

    def _phobs_export_reservation(self, outbox_row):
        model, _sep, res_id = (outbox_row.pms_ref or "").partition(",")
        if model != "hotel.reservation" or not res_id.isdigit():
            return None
        reservation = self.env["hotel.reservation"].sudo().browse(int(res_id)).exists()
        if not reservation:
            return None
        binding = reservation.phobs_reservation_id
        # A channel booking travels whole: every stay period of it, each with its own dates.
        reservations = reservation
        if binding:
            reservations = binding.hotel_reservation_ids.filtered(
                lambda r: r.state != "cancel" or outbox_row.res_status == "Cancel") or reservation
        stays = []
        for period in reservations.sorted("checkin"):
            stays.extend(self._phobs_export_stays(period))
        if not stays:
            return None
        partner = reservation.partner_id
        names = (partner.name or "").split(" ", 1)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        return Reservation(
            reservation_id=binding.external_id if binding else "PMS-%s" % reservation.reservation_no,
            status=ResStatus(outbox_row.res_status),
            message_id="PMS%d" % outbox_row.id,
            created_at=now,
            modified_at=now,
            hotel_code=self.hotel_code,
            channel_code=(binding.channel_code or binding.channel_id.code) if binding else None,
            channel_booking_id=binding.channel_booking_id if binding else None,
            pms_id=reservation.reservation_no,
            room_stays=tuple(stays),
            guests=(Guest(rph="1", primary=True, given_name=names[0] if len(names) > 1 else None,
                          surname=names[-1] or None, email=partner.email or None,
                          phone=partner.phone or None),),
        )

    def _phobs_export_stays(self, reservation):
        arrival, departure = stay_dates(reservation.checkin, reservation.checkout, self._phobs_tz())
        stays = []
        for line in reservation.reservation_line:
            if not line.categ_id.phobs_code or line.categ_id.phobs_backend_id != self:
                continue
            counts = [GuestCount(AGE_ADULT, max(1, reservation.adults))]
            if reservation.children:
                counts.append(GuestCount(AGE_CHILD, reservation.children))
            stays.append(RoomStay(room_type_code=line.categ_id.phobs_code, rate_plan_code=None,
                                  arrival=arrival, departure=departure,
                                  units=max(1, len(line.reserve)), guest_counts=tuple(counts)))
        return stays

    def _phobs_upload_accepted(self, outbox_row):
        """Phobs took a front-desk Cancel or Modify of a channel booking: the booking says so
        (a Cancelled one leaves revenue figures; a modified one holds the front desk's stays)."""
        binding = outbox_row.phobs_reservation_id
        if outbox_row.res_status == "Cancel":
            binding.write({"status": "Cancel", "sync_state": "cancelled"})
            self._phobs_sync_folio_safely(binding)
        elif outbox_row.res_status == "Modify":
            live = binding.hotel_reservation_ids.filtered(lambda r: r.state != "cancel")
            stays = [(0, 0, values) for reservation in live.sorted("checkin")
                     for values in self._phobs_stay_values_of(reservation)]
            if stays:
                binding.write({"status": "Modify", "stay_ids": [(5, 0, 0)] + stays,
                               "arrival": min(v["arrival"] for _c, _i, v in stays),
                               "departure": max(v["departure"] for _c, _i, v in stays)})

    def _phobs_stay_values_of(self, reservation):
        arrival, departure = stay_dates(reservation.checkin, reservation.checkout, self._phobs_tz())
        return [{"room_type_code": line.categ_id.phobs_code, "units": max(1, len(line.reserve)),
                 "arrival": str(arrival), "departure": str(departure),
                 "adults": reservation.adults, "children": reservation.children}
                for line in reservation.reservation_line
                if line.categ_id.phobs_code and line.categ_id.phobs_backend_id == self]
