from odoo import fields, models


class PhobsRestrictionWizard(models.TransientModel):
    """The bulk restriction editor offers the front-desk room types by name."""

    _inherit = "phobs.restriction.wizard"

    room_type_ids = fields.Many2many(
        "hotel.room.type", string="Room Types", domain=[("phobs_code", "!=", False)],
        help="Leave empty for every room type the chosen plans sell.")

    def _room_type_code_list(self):
        codes = set(super()._room_type_code_list())
        codes |= set(self.room_type_ids.mapped("phobs_code")) - {False}
        return sorted(codes)
