from datetime import timedelta

from odoo import api, fields, models

from ..stay_calendar import stay_dates


class FolioRoomLine(models.Model):
    """Walk-in guests on a folio hold rooms too: their nights are marked dirty."""

    _inherit = "folio.room.line"

    def _phobs_ranges(self):
        backends = self.env["phobs.backend"].sudo().search([])
        tz = backends[:1]._phobs_tz() if backends else "UTC"
        ranges = []
        for line in self.filtered(lambda l: l.room_id.room_categ_id.phobs_code):
            arrival, departure = stay_dates(line.check_in, line.check_out, tz)
            ranges.append((line.room_id.room_categ_id.phobs_code, fields.Date.to_string(arrival),
                           fields.Date.to_string(departure - timedelta(days=1))))
        return backends, ranges

    @staticmethod
    def _phobs_mark(backends, ranges):
        for code, first, last in set(ranges):
            backends._phobs_mark_dirty("availability", [code], first, last)

    @api.model
    def create(self, vals):
        line = super().create(vals)
        self._phobs_mark(*line._phobs_ranges())
        return line

    def write(self, vals):
        backends, before = self._phobs_ranges()
        result = super().write(vals)
        self._phobs_mark(backends, before + self._phobs_ranges()[1])
        return result

    def unlink(self):
        backends, ranges = self._phobs_ranges()
        result = super().unlink()
        self._phobs_mark(backends, ranges)
        return result
