"""The backend's sanity bounds for delivered reservations (see ``phobs_api/bounds.py``).

Kept apart from ``phobs_backend.py`` as one block: the limits staff may tune per property, and
the policy object the inbound service checks every delivery against before storing it.
"""
from datetime import date

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

    def _phobs_bounds_policy(self):
        self.ensure_one()
        return BoundsPolicy(past_days=self.bounds_past_days,
                            future_days=self.bounds_future_days,
                            max_nights=self.bounds_max_nights)

    def _phobs_today(self):
        """The property's date today, the reference of the stay-date bounds."""
        return fields.Date.from_string(fields.Date.context_today(self)) or date.today()
