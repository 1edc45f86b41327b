from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PhobsRatePlan(models.Model):
    """Rate plans pick the front-desk room types they sell, among their own property's; the
    codes stay the plan's truth."""

    _inherit = "phobs.rate.plan"

    room_type_ids = fields.Many2many(
        "hotel.room.type", string="Room Types", compute="_compute_room_type_ids",
        inverse="_inverse_room_type_ids", domain=[("phobs_code", "!=", False)],
        help="Front-desk room types of this plan's Phobs property that this plan sells.")

    @api.depends("room_type_codes", "backend_id")
    def _compute_room_type_ids(self):
        for plan in self:
            plan.room_type_ids = plan.backend_id._phobs_room_types(plan._room_type_code_list())

    def _inverse_room_type_ids(self):
        for plan in self:
            foreign = plan.room_type_ids.sudo().filtered(
                lambda room_type: room_type.phobs_backend_id != plan.backend_id)
            if foreign:
                raise ValidationError(_("Rate plan %s sells the room types of %s only, not %s.")
                                      % (plan.code, plan.backend_id.name,
                                         ", ".join(foreign.mapped("name"))))
            plan.room_type_codes = ", ".join(sorted(set(plan.room_type_ids.mapped("phobs_code"))))
