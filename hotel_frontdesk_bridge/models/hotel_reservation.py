from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.phobs_channel_manager.phobs_api.dates import last_night

from ..stay_calendar import stay_dates

UPLOAD_ON_STATE = {"confirm": "Commit", "cancel": "Cancel"}
#: The fields whose change holds or frees rooms.
TRACKED = frozenset({"checkin", "checkout", "reservation_line", "state"})
#: Context key of the channel manager applying a Phobs booking: it marks the nights the booking
#: held and holds itself (forced), so the reservations it writes need not mark them again.
NIGHTS_MARKED_BY_CALLER = "phobs_nights_marked"


class HotelReservation(models.Model):
    """Front-desk reservations tell the channel manager what they change.

    Every change that holds or frees rooms marks the nights dirty (availability goes out through
    the outbox); front-desk confirmations, changes and cancellations are uploaded to Phobs,
    except those the channel manager itself made from a Phobs message.
    """

    _inherit = "hotel.reservation"

    phobs_reservation_id = fields.Many2one("phobs.reservation", string="Channel Booking",
                                           copy=False, readonly=True, index=True)

    def cancel_reservation(self):
        """A channel booking is cancelled at the channel: through *Cancel Channel Booking*
        (a manager, with a reason), or by the channel manager applying the channel's Cancel."""
        context = self.env.context
        if not (context.get("phobs_from_channel") or context.get("phobs_cancel_reason")) \
                and self.filtered("phobs_reservation_id"):
            raise UserError(_("This is a channel booking: a manager cancels it with Cancel "
                              "Channel Booking, giving a reason, so that the channel is told."))
        return super().cancel_reservation()

    def action_phobs_cancel_wizard(self):
        self.ensure_one()
        self.env["hotel.reservation.channel.cancel"]._check_manager()
        return {
            "type": "ir.actions.act_window",
            "name": _("Cancel Channel Booking"),
            "res_model": "hotel.reservation.channel.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"default_reservation_id": self.id},
        }

    def create_folio(self):
        """A channel booking's folio carries the prices the channel sold (the same folio the
        channel manager builds when it places the booking); other reservations keep OCA's."""
        channel = self.filtered("phobs_reservation_id")
        for binding in channel.sudo().mapped("phobs_reservation_id"):
            binding.backend_id._phobs_sync_folio(binding, force=True)
        others = self - channel
        return super(HotelReservation, others).create_folio() if others else True

    def _phobs_ranges(self):
        """``[(backend, room_type_code, first_night, last_night)]`` this reservation covers, for
        the Phobs property owning each room type, in that property's time zone."""
        ranges = []
        for reservation in self:
            if not (reservation.checkin and reservation.checkout):
                continue
            room_types = reservation.reservation_line.mapped("categ_id")
            for backend, codes in room_types._phobs_codes_by_backend().items():
                arrival, departure = stay_dates(reservation.checkin, reservation.checkout,
                                                backend._phobs_tz())
                last_night_day = fields.Date.to_string(last_night(departure))
                for code in codes:
                    ranges.append((backend, code, fields.Date.to_string(arrival), last_night_day))
        return ranges

    def _phobs_mark_dirty(self, ranges):
        for backend, code, first, last in set(ranges):
            backend._phobs_mark_dirty("availability", [code], first, last)

    def _phobs_queue_upload(self, res_status):
        if self.env.context.get("phobs_from_channel") or self.env.context.get("phobs_no_upload"):
            return
        for reservation in self:
            backends = {backend for backend, _code, _first, _last in reservation._phobs_ranges()}
            for backend in backends:
                backend._phobs_queue_upload("hotel.reservation,%d" % reservation.id, res_status,
                                            reservation.phobs_reservation_id)

    @api.model
    def create(self, vals):
        reservation = super().create(vals)
        number = self.env.context.get("phobs_reservation_no")
        if number:
            # The number Phobs was given when the booking was acknowledged. hotel_reservation
            # numbers every new reservation itself, so that number stays unused.
            reservation.reservation_no = number
        if not self.env.context.get(NIGHTS_MARKED_BY_CALLER):
            reservation._phobs_mark_dirty(reservation._phobs_ranges())
        return reservation

    def write(self, vals):
        if self.env.context.get(NIGHTS_MARKED_BY_CALLER) and \
                self.env.context.get("phobs_from_channel"):
            return super().write(vals)  # nothing to mark, nothing to upload
        # hotel_reservation's confirmation writes the state once per earlier stay of the room
        # (dozens in a busy room): a value already held moves no night.
        tracked = {field for field in TRACKED & set(vals)
                   if field == "reservation_line" or any(r[field] != vals[field] for r in self)}
        before = self._phobs_ranges() if tracked else []
        old_states = {reservation.id: reservation.state for reservation in self}
        result = super().write(vals)
        if tracked:
            self._phobs_mark_dirty(before + self._phobs_ranges())
            for reservation in self:
                was, now = old_states[reservation.id], reservation.state
                if was != now and now in UPLOAD_ON_STATE:
                    reservation._phobs_queue_upload(UPLOAD_ON_STATE[now])
                elif was == now == "confirm" and tracked - {"state"}:
                    reservation._phobs_queue_upload("Modify")
        return result

    def unlink(self):
        if self.env.context.get(NIGHTS_MARKED_BY_CALLER):
            return super().unlink()
        ranges = self._phobs_ranges()
        result = super().unlink()
        self._phobs_mark_dirty(ranges)
        return result
