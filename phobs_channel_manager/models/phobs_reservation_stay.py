from odoo import fields, models


class PhobsReservationStay(models.Model):
    """One room stay of a Phobs reservation: a room type and rate plan for a date range."""

    _name = "phobs.reservation.stay"
    _description = "Phobs Reservation Room Stay"
    _order = "arrival, id"

    reservation_id = fields.Many2one("phobs.reservation", required=True, ondelete="cascade",
                                     index=True)
    room_type_code = fields.Char(required=True)
    rate_plan_code = fields.Char()
    arrival = fields.Date(required=True)
    departure = fields.Date(required=True)
    units = fields.Integer(default=1)
    adults = fields.Integer()
    children = fields.Integer()
    child_ages = fields.Char()
    currency_id = fields.Many2one(related="reservation_id.currency_id", readonly=True)
    amount = fields.Monetary(currency_field="currency_id",
                             help="The price of this stay: every room, every night.")
    guest_names = fields.Char(help="The guests staying in this room stay, as sent.")
    night_ids = fields.One2many("phobs.reservation.night", "stay_id", string="Nightly prices")

    _sql_constraints = [
        ("dates_ordered", "CHECK(departure > arrival)", "Departure must follow arrival."),
        ("units_positive", "CHECK(units > 0)", "A stay books at least one room."),
    ]
