from odoo import models


class PhobsBackend(models.Model):
    """The hook the Rates & Availability grid asks a PMS bridge about room types."""

    _inherit = "phobs.backend"

    def _phobs_room_type_summary(self, room_type_codes):
        """``{code: {"name": str, "rooms": int or None}}`` for the grid's row labels and its
        sold-room counts; without a bridge the codes are all the grid knows."""
        return {code: {"name": code, "rooms": None} for code in room_type_codes}
