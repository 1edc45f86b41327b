"""The backend's sanity bounds for delivered reservations (see ``phobs_api/bounds.py``).

Kept apart from ``phobs_backend.py`` as one block: the limits staff may tune per property. The
inbound service reads them with the rest of what it checks a delivery against
(``phobs_backend_intake.py``).
"""
from odoo import fields, models

from ..phobs_api.bounds import BoundsPolicy

_DEFAULTS = BoundsPolicy()


class PhobsBackend(models.Model):
    _inherit = "phobs.backend"

    bounds_past_days = fields.Integer(
        string="Accept stays back (days)", default=_DEFAULTS.past_days,
        help="A delivered stay may start at most this many days before today.")
    bounds_future_days = fields.Integer(
        string="Accept stays ahead (days)", default=_DEFAULTS.future_days,
        help="A delivered stay must end at most this many days after today.")
    bounds_max_nights = fields.Integer(
        string="Longest stay (nights)", default=_DEFAULTS.max_nights,
        help="Room stays longer than this are refused before anything is stored.")

    _sql_constraints = [
        ("bounds_positive",
         "CHECK(bounds_past_days >= 0 AND bounds_future_days > 0 AND bounds_max_nights > 0)",
         "The accepted stay dates and the longest stay must be positive."),
    ]
