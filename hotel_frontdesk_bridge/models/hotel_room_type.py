from odoo import api, fields, models

ALL_KINDS = ("availability", "restrictions", "rates")


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
            room_type._phobs_mark_horizon_dirty(kinds=ALL_KINDS)
        return room_type

    def write(self, vals):
        old_codes = self.mapped("phobs_code")
        result = super().write(vals)
        if "phobs_code" in vals:
            self._phobs_mark_horizon_dirty(extra_codes=old_codes, kinds=ALL_KINDS)
        return result

    def _phobs_mark_horizon_dirty(self, extra_codes=(), kinds=("availability",)):
        """A type's whole horizon may change when its rooms or its mapping change; a new
        mapping also needs the type's rates and restrictions."""
        codes = sorted((set(self.mapped("phobs_code")) | set(extra_codes)) - {False})
        if not codes:
            return
        for backend in self.env["phobs.backend"].sudo().search([]):
            first, last = backend._phobs_horizon()
            for kind in kinds:
                backend._phobs_mark_dirty(kind, codes, first, last)

