"""Rooms the front desk can still sell, per Phobs room type and night."""
import json
from datetime import timedelta

from odoo import fields, models

from ..night_counts import free_per_night
from ..pending_bookings import pending_rooms
from ..room_allocation import PlacedStay
from ..stay_calendar import checkin_instant, checkout_instant, stay_dates

OCCUPYING_STATES = ("confirm", "done")
#: Per booking with a stored message not yet applied (state ``received``): the rooms of its
#: newest such version, and the rooms its binding holds in the front desk now (placed, or
#: waiting as an overbooking). A version older than the applied one will be ignored: left out.
PENDING_SQL = """
    SELECT m.room_stays,
           CASE WHEN r.status != 'Cancel' AND r.sync_state IN ('applied', 'conflict') THEN
               (SELECT json_agg(json_build_array(s.room_type_code, s.arrival, s.departure,
                                                 s.units))
                  FROM phobs_reservation_stay s WHERE s.reservation_id = r.id)
           END
      FROM (SELECT DISTINCT ON (w.reservation_external_id) w.reservation_external_id,
                   w.version_at, w.room_stays
              FROM phobs_message w
             WHERE w.backend_id = %(backend_id)s AND w.state = 'received' AND w.direction = 'in'
             ORDER BY w.reservation_external_id, w.version_at DESC NULLS LAST, w.id DESC) m
      LEFT JOIN phobs_reservation r ON r.backend_id = %(backend_id)s
                                   AND r.external_id = m.reservation_external_id
     WHERE m.room_stays IS NOT NULL
       AND (r.version_at IS NULL OR m.version_at IS NULL OR m.version_at >= r.version_at)
"""
#: The Phobs codes of the room types mapped to the backend row ``b``, as a sorted array.
MAPPED_CODES_SQL = """
    (SELECT coalesce(array_agg(DISTINCT t.phobs_code ORDER BY t.phobs_code), '{}')
       FROM hotel_room_type t WHERE t.phobs_backend_id = b.id AND t.phobs_code IS NOT NULL)
"""


class PhobsBackendAvailability(models.Model):
    _inherit = "phobs.backend"

    def _phobs_room_types(self, codes=None):
        """The front-desk room types these Phobs properties sell (their codes are scoped to
        their property: another hotel's "DBL" is not this one's)."""
        domain = [("phobs_backend_id", "in", self.ids), ("phobs_code", "!=", False)]
        if codes is not None:
            domain.append(("phobs_code", "in", list(codes)))
        return self.env["hotel.room.type"].sudo().search(domain)

    def _phobs_room_type_codes(self):
        if not self.ids:
            return []
        self.env.cr.execute("SELECT %s FROM phobs_backend b WHERE b.id IN %%s"
                            % self._phobs_mapped_codes_sql(), (tuple(self.ids),))
        return sorted({code for (codes,) in self.env.cr.fetchall() for code in codes})

    def _phobs_mapped_codes_sql(self):
        # Plain SQL: every push checks its room types against these (in the one query that
        # reads what a push is checked against), and the ORM would read each room type whole
        # (with its product category) for one column.
        return MAPPED_CODES_SQL

    def _phobs_sellable_rooms(self, room_type):
        return self.env["hotel.room"].sudo().search(
            [("room_categ_id", "=", room_type.id), ("phobs_out_of_service", "=", False)],
            order="name")

    def _phobs_room_type_products(self, room_type_codes):
        """The products of each type's sellable rooms: a night costs the cheapest of them."""
        return {room_type.phobs_code: self._phobs_sellable_rooms(room_type).mapped("product_id")
                for room_type in self._phobs_room_types(room_type_codes)}

    def _phobs_placed_stays(self, rooms, arrival, departure, exclude_reservations=None):
        """Stays holding these rooms around the interval: reservations and walk-in folios.

        ``exclude_reservations``: the front-desk reservations being re-placed, whose current
        rooms do not count as taken.
        """
        tz = self._phobs_tz()
        start = checkin_instant(arrival - timedelta(days=1), tz)
        end = checkout_instant(departure + timedelta(days=1), tz)
        now = fields.Datetime.now()
        excluded = set(exclude_reservations.ids) if exclude_reservations else set()
        stays = []
        # One join in SQL: through the ORM, a domain on reservation_id.state lists every
        # occupying reservation of the database first (a chain's 100,000s), and reading the
        # lines and their reservations' states costs more than the counting (a year's audit).
        self.env.cr.execute("""
            SELECT l.id, l.room_id, l.check_in, l.check_out, r.state, r.id
              FROM hotel_room_reservation_line l
              JOIN hotel_reservation r ON r.id = l.reservation_id
             WHERE l.room_id IN %s AND l.check_in < %s AND l.check_out > %s AND r.state IN %s
             ORDER BY l.id
        """, (tuple(rooms.ids) or (None,), end, start, OCCUPYING_STATES))
        for line_id, room_id, check_in, check_out, state, reservation_id in self.env.cr.fetchall():
            if reservation_id in excluded:
                continue
            line_arrival, line_departure = stay_dates(check_in, check_out, tz)
            movable = state == "confirm" and check_in > now
            stays.append(PlacedStay(("res", line_id), room_id, line_arrival, line_departure,
                                    movable))
        for line in self.env["folio.room.line"].sudo().search([
                ("room_id", "in", rooms.ids), ("check_in", "<", end), ("check_out", ">", start)]):
            if line.folio_id.state == "cancel":
                continue
            line_arrival, line_departure = stay_dates(line.check_in, line.check_out, tz)
            stays.append(PlacedStay(("folio", line.id), line.room_id.id, line_arrival,
                                    line_departure, False))
        return stays

    def _phobs_unplaced_stays(self, code, date_from, date_to):
        """Channel bookings of a type holding no room (open overbookings) in the range."""
        return self.env["phobs.reservation.stay"].sudo().search([
            ("reservation_id.backend_id", "=", self.id), ("room_type_code", "=", code),
            ("reservation_id.sync_state", "=", "conflict"),
            ("arrival", "<=", fields.Date.to_string(date_to)),
            ("departure", ">", fields.Date.to_string(date_from))])

    def _phobs_pending_rooms(self):
        """``Counter({(code, night): units})`` taken by stored channel bookings not yet
        applied (:mod:`..pending_bookings`), in one query however many nights."""
        self.env.cr.execute(PENDING_SQL, {"backend_id": self.id})
        return pending_rooms((json.loads(stored), applied)
                             for stored, applied in self.env.cr.fetchall())

    def _phobs_compute_availability(self, room_type_codes, date_from, date_to):
        result = {}
        pending = self._phobs_pending_rooms()
        for room_type in self._phobs_room_types(room_type_codes):
            rooms = self._phobs_sellable_rooms(room_type)
            placed = self._phobs_placed_stays(rooms, date_from, date_to + timedelta(days=1))
            unplaced = [(fields.Date.from_string(s.arrival), fields.Date.from_string(s.departure),
                         s.units)
                        for s in self._phobs_unplaced_stays(room_type.phobs_code, date_from, date_to)]
            per_day = result.setdefault(room_type.phobs_code, {})
            for day, free in free_per_night(len(rooms), placed, unplaced, date_from,
                                            date_to).items():
                per_day[day] = per_day.get(day, 0) + free - pending[room_type.phobs_code, day]
        return result
