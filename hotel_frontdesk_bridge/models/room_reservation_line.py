"""The front desk's room bookings, found by room and stay through an index."""
from odoo import models


class HotelRoomReservationLine(models.Model):
    _inherit = "hotel.room.reservation.line"

    def init(self):
        # Every availability count and every placement asks which lines hold some rooms around
        # some nights (backend_availability.py): without this index each question reads every
        # booking of the database (a chain's 100,000s).
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS hotel_room_reservation_line_phobs_room_stay_index "
            "ON hotel_room_reservation_line (room_id, check_in, check_out)")
