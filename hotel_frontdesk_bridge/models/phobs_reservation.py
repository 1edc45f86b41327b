from odoo import fields, models


class PhobsReservation(models.Model):
    """A channel booking's front-desk side. ``hotel.reservation.phobs_reservation_id`` is the
    one stored link; the reservations of a booking (one per stay period) are its inverse."""

    _inherit = "phobs.reservation"

    hotel_reservation_ids = fields.One2many("hotel.reservation", "phobs_reservation_id",
                                            string="Front-desk Reservations", readonly=True)
