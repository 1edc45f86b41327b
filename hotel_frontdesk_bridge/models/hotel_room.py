from odoo import api, fields, models


class HotelRoom(models.Model):
    """Rooms count towards availability unless they are out of service."""

    _inherit = "hotel.room"

    phobs_out_of_service = fields.Boolean(
        string="Out of service", help="Not sold on any channel (maintenance, renovation...).")

    @api.model
    def create(self, vals):
        room = super().create(vals)
        room.room_categ_id._phobs_mark_horizon_dirty()
        return room

    def write(self, vals):
        old_types = self.mapped("room_categ_id")
        result = super().write(vals)
        if {"phobs_out_of_service", "room_categ_id", "active"} & set(vals):
            (old_types | self.mapped("room_categ_id"))._phobs_mark_horizon_dirty()
        return result

    def unlink(self):
        room_types = self.mapped("room_categ_id")
        result = super().unlink()
        room_types._phobs_mark_horizon_dirty()
        return result
