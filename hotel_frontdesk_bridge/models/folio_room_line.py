from odoo import api, fields, models

from odoo.addons.phobs_channel_manager.phobs_api.dates import last_night

from ..stay_calendar import stay_dates


class FolioRoomLine(models.Model):
    """Walk-in guests on a folio hold rooms too: their nights are marked dirty for the Phobs
    property owning the room's type."""

    _inherit = "folio.room.line"

    def _phobs_ranges(self):
        """``[(backend, room_type_code, first_night, last_night)]`` these lines hold."""
        ranges = []
        for line in self:
            room_types = line.room_id.room_categ_id
            for backend, codes in room_types._phobs_codes_by_backend().items():
                arrival, departure = stay_dates(line.check_in, line.check_out, backend._phobs_tz())
                for code in codes:
                    ranges.append((backend, code, fields.Date.to_string(arrival),
                                   fields.Date.to_string(last_night(departure))))
        return ranges

    @staticmethod
    def _phobs_mark(ranges):
        for backend, code, first, last in set(ranges):
            backend._phobs_mark_dirty("availability", [code], first, last)

    @api.model
    def create(self, vals):
        line = super().create(vals)
        self._phobs_mark(line._phobs_ranges())
        return line

    def write(self, vals):
        before = self._phobs_ranges()
        result = super().write(vals)
        self._phobs_mark(before + self._phobs_ranges())
        return result

    def unlink(self):
        ranges = self._phobs_ranges()
        result = super().unlink()
        self._phobs_mark(ranges)
        return result
