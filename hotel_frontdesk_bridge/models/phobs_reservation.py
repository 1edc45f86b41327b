from odoo import fields, models


class PhobsReservation(models.Model):
    _inherit = "phobs.reservation"

    hotel_reservation_id = fields.Many2one("hotel.reservation", string="Front-desk Reservation",
                                           copy=False, readonly=True, index=True)
