from odoo import fields, models


class PhobsPlanRangeMixin(models.AbstractModel):
    """A value for one room type of a rate plan over a date range (both inclusive)."""

    _name = "phobs.plan.range.mixin"
    _description = "Room type and date range of a Phobs rate plan"

    rate_plan_id = fields.Many2one("phobs.rate.plan", required=True, ondelete="cascade",
                                   index=True)
    backend_id = fields.Many2one(related="rate_plan_id.backend_id", store=True, readonly=True)
    room_type_code = fields.Char(required=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True, help="Inclusive.")
