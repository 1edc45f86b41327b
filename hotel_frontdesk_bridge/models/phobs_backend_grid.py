from odoo import models


class PhobsBackend(models.Model):
    """Room type names and sellable room counts for the channel manager's rates grid."""

    _inherit = "phobs.backend"

    def _phobs_room_type_summary(self, room_type_codes):
        summary = super()._phobs_room_type_summary(room_type_codes)
        for room_type in self._phobs_room_types(room_type_codes):
            summary[room_type.phobs_code] = {
                "name": room_type.name,
                "rooms": len(self._phobs_sellable_rooms(room_type)),
            }
        return summary
