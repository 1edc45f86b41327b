from odoo import api, fields, models


class PhobsRatePlan(models.Model):
    """Rate plans pick the front-desk room types they sell; the codes stay the plan's truth."""

    _inherit = "phobs.rate.plan"

    room_type_ids = fields.Many2many(
        "hotel.room.type", string="Room Types", compute="_compute_room_type_ids",
        inverse="_inverse_room_type_ids", domain=[("phobs_code", "!=", False)],
        help="Front-desk room types with a Phobs code that this plan sells.")

    @api.depends("room_type_codes")
    def _compute_room_type_ids(self):
        for plan in self:
            codes = plan._room_type_code_list()
            plan.room_type_ids = self.env["phobs.backend"]._phobs_room_types(codes)

    def _inverse_room_type_ids(self):
        for plan in self:
            plan.room_type_codes = ", ".join(sorted(set(plan.room_type_ids.mapped("phobs_code"))))
