from odoo import fields, models


class PhobsReservationNight(models.Model):
    """The price the guest bought one room of a room stay for, one night.

    Filled from the OTA rates as sold (per night, or a span total split over its nights with the
    rounding remainder on the last one), so that the folio can repeat them to the cent.
    """

    _name = "phobs.reservation.night"
    _description = "Phobs Reservation Nightly Price"
    _order = "night, id"

    stay_id = fields.Many2one("phobs.reservation.stay", required=True, ondelete="cascade",
                              index=True)
    night = fields.Date(required=True)
    currency_id = fields.Many2one(related="stay_id.currency_id", readonly=True)
    amount = fields.Monetary(currency_field="currency_id", string="Price per room")

    _sql_constraints = [
        ("night_unique", "unique(stay_id, night)", "One price per night and room stay."),
    ]
