"""Price lines pick a front-desk room type among those their plan sells, not a typed code."""
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class PhobsRatePrice(models.Model):
    _inherit = "phobs.rate.price"

    room_type_id = fields.Many2one(
        "hotel.room.type", string="Room type", compute="_compute_room_type_id",
        inverse="_inverse_room_type_id",
        help="One of the room types the rate plan sells.")

    @api.depends("room_type_code", "rate_plan_id.backend_id")
    def _compute_room_type_id(self):
        for price in self:
            backend = price.rate_plan_id.backend_id
            price.room_type_id = backend._phobs_room_types([price.room_type_code])[:1] if (
                backend and price.room_type_code) else False

    def _inverse_room_type_id(self):
        for price in self:
            if price.room_type_id:
                price.room_type_code = price.room_type_id.sudo().phobs_code

    @api.model
    def create(self, vals):
        return super().create(self._with_room_type_code(vals))

    def write(self, vals):
        return super().write(self._with_room_type_code(vals))

    def _with_room_type_code(self, vals):
        """The code is the stored truth: a chosen room type sets it before the row is saved."""
        if vals.get("room_type_id"):
            room_type = self.env["hotel.room.type"].sudo().browse(vals["room_type_id"])
            vals = dict(vals, room_type_code=room_type.phobs_code)
        return vals

    @api.onchange("room_type_id")
    def _onchange_room_type_id(self):
        if self.room_type_id:
            self.room_type_code = self.room_type_id.phobs_code

    @api.constrains("room_type_code", "rate_plan_id")
    def _check_room_type_of_the_plan(self):
        for price in self:
            if price.room_type_code not in price.rate_plan_id._room_type_code_list():
                raise ValidationError(_(
                    "Rate plan %s does not sell room type %s: choose one of its room types "
                    "(%s).") % (price.rate_plan_id.code, price.room_type_code,
                                price.rate_plan_id.room_type_codes or _("none yet")))
