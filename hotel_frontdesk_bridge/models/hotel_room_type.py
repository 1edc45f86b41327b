from datetime import timedelta

from odoo import api, fields, models


class HotelRoomType(models.Model):
    """A front-desk room type as Phobs knows it (its InvTypeCode)."""

    _inherit = "hotel.room.type"

    phobs_code = fields.Char(
        string="Phobs Room Type Code", copy=False,
        help="The room type code (InvTypeCode) of this type in Phobs. Types without a code are "
             "not distributed.")

    _sql_constraints = [
        ("phobs_code_unique", "unique(phobs_code)", "Each Phobs room type code maps to one type."),
    ]

    @api.model
    def create(self, vals):
        room_type = super().create(vals)
        if room_type.phobs_code:
            room_type._phobs_mark_horizon_dirty()
        return room_type

    def write(self, vals):
        old_codes = self.mapped("phobs_code")
        result = super().write(vals)
        if "phobs_code" in vals:
            self._phobs_mark_horizon_dirty(extra_codes=old_codes)
        return result

    def _phobs_mark_horizon_dirty(self, extra_codes=()):
        """A type's whole horizon may change when its rooms or its mapping change."""
        codes = sorted(set(self.mapped("phobs_code")) | set(extra_codes) - {False})
        for backend in self.env["phobs.backend"].sudo().search([]):
            first = fields.Date.context_today(self)
            last = fields.Date.to_string(
                fields.Date.from_string(first) + timedelta(days=backend.horizon_days - 1))
            backend._phobs_mark_dirty("availability", codes, first, last)

