from odoo import fields, models

FOLIO_STATES = [("pending", "Pending"), ("built", "Built"), ("failed", "Failed")]


class PhobsReservation(models.Model):
    """A channel booking's front-desk side. ``hotel.reservation.phobs_reservation_id`` is the
    one stored link; the reservations of a booking (one per stay period) are its inverse.

    Applying places the rooms first and builds the folio after (backend_folio.py): the folio
    state says where the invoice side stands, and why it failed."""

    _inherit = "phobs.reservation"

    hotel_reservation_ids = fields.One2many("hotel.reservation", "phobs_reservation_id",
                                            string="Front-desk Reservations", readonly=True)
    folio_state = fields.Selection(
        FOLIO_STATES, string="Folio", readonly=True, index=True, copy=False,
        help="Pending: the rooms are placed and the folio follows (the apply run's second "
             "stage, or the next run). Failed: see the reason; Create Folio on the front-desk "
             "reservation retries.")
    folio_error = fields.Text(string="Folio Error", readonly=True, copy=False)
