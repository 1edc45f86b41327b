from odoo import fields, models

from ..phobs_api import ari


class PhobsRatePrice(models.Model):
    """The nightly price of one room type in a rate plan over a date range (both inclusive).

    Ranges may overlap: on a day several entries cover, the latest entry wins, so a season can
    be entered first and its special days afterwards. Entries for a room type the plan does not
    sell are kept but not sent.
    """

    _name = "phobs.rate.price"
    _inherit = ["phobs.plan.range.mixin", "phobs.dirty.mixin"]
    _description = "Phobs Rate Plan Price"
    _order = "rate_plan_id, room_type_code, date_from, id"

    currency_id = fields.Many2one(related="rate_plan_id.currency_id", readonly=True)
    amount = fields.Monetary(required=True, help="Price of one night, taxes included.")

    _sql_constraints = [
        ("dates_ordered", "CHECK(date_from <= date_to)", "A price range ends after it starts."),
        ("amount_positive", "CHECK(amount >= 0)", "A price cannot be negative."),
    ]

    def _phobs_mark_dirty(self):
        for price in self:
            price.backend_id._phobs_mark_dirty(
                ari.RATES, [price.room_type_code], price.date_from, price.date_to,
                rate_plan_code=price.rate_plan_id.code)
