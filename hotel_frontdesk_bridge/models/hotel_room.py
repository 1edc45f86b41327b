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
        if {"list_price", "room_categ_id", "phobs_out_of_service", "active"} & set(vals):
            self._phobs_mark_prices_dirty(old_types | self.mapped("room_categ_id"))
        return result

    def _phobs_mark_prices_dirty(self, room_types):
        """Rate plans priced by a pricelist price a type by its cheapest room: a room's price or
        its place among the sellable rooms may move that price, in the type's own property."""
        for backend, codes in room_types._phobs_codes_by_backend().items():
            plans = self.env["phobs.rate.plan"].sudo().search(
                [("backend_id", "=", backend.id), ("price_source", "=", "pricelist")])
            first, last = backend._phobs_horizon()
            for plan in plans:
                sold = codes & set(plan._room_type_code_list())
                if sold:
                    backend._phobs_mark_dirty("rates", sorted(sold), first, last,
                                              rate_plan_code=plan.code)

    def unlink(self):
        room_types = self.mapped("room_categ_id")
        result = super().unlink()
        room_types._phobs_mark_horizon_dirty()
        return result
