from odoo import _, fields, models
from odoo.exceptions import UserError


class PhobsRestrictionWizard(models.TransientModel):
    """The bulk restriction editor offers the front-desk room types of its property by name."""

    _inherit = "phobs.restriction.wizard"

    room_type_ids = fields.Many2many(
        "hotel.room.type", string="Room Types", domain=[("phobs_code", "!=", False)],
        help="Leave empty for every room type the chosen plans sell.")

    def _room_type_code_list(self):
        codes = set(super()._room_type_code_list())
        foreign = self.room_type_ids.sudo().filtered(
            lambda room_type: room_type.phobs_backend_id != self.backend_id)
        if foreign:
            raise UserError(_("%s: not a room type of %s.")
                            % (", ".join(foreign.mapped("name")), self.backend_id.name))
        codes |= set(self.room_type_ids.mapped("phobs_code")) - {False}
        return sorted(codes)
