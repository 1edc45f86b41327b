"""Placing the guest of an overbooking: the room choices and the placement behind the
conflict wizard of the channel manager (``phobs.conflict.resolve``).

The channel manager asks through two hooks of ``phobs.backend``: which rooms can take the
guest (free rooms of any type for the stay, or a room another not-yet-arrived guest can
leave), and to place the guest in the chosen one. Only this bridge knows the hotel models.
Placing confirms the front-desk booking with its room and removes the overbooking note; it is
not uploaded to Phobs (the channel sold the original type, the upgrade is the hotel's).
"""
from odoo import _, fields, models
from odoo.exceptions import UserError

from ..room_allocation import free_rooms
from ..stay_calendar import stay_dates

OVERBOOKED_PREFIX = "OVERBOOKED:"


class PhobsBackend(models.Model):
    _inherit = "phobs.backend"

    def _phobs_conflict_stay(self, conflict):
        """The conflicting stay's ``(arrival, departure)`` as dates."""
        return (fields.Date.from_string(conflict.date_from),
                fields.Date.from_string(conflict.date_to))

    def _phobs_conflict_bookings(self, conflict):
        return self.env["hotel.reservation"].sudo().search(
            [("phobs_reservation_id", "=", conflict.phobs_reservation_id.id),
             ("state", "!=", "cancel")]) if conflict.phobs_reservation_id else \
            self.env["hotel.reservation"]

    def _phobs_conflict_booking(self, conflict):
        """The front-desk booking holding the conflicting stay: the one for its dates (a
        channel booking may become one per stay period), else a draft, else the first."""
        bookings = self._phobs_conflict_bookings(conflict)
        if not bookings:
            raise UserError(_("The front-desk booking of this conflict no longer exists."))
        stay = self._phobs_conflict_stay(conflict)
        tz = self._phobs_tz()
        same_dates = bookings.filtered(lambda booking: booking.checkin and booking.checkout and
                                       stay_dates(booking.checkin, booking.checkout, tz) == stay)
        drafts = (same_dates or bookings).filtered(lambda booking: booking.state == "draft")
        return (drafts or same_dates or bookings)[0]

    def _phobs_room_options(self, conflict):
        """``[{"key", "name", "kind"}]``: free rooms of every type for the stay (upgrades
        first, then the booked type), then rooms a not-yet-arrived guest of the booked type
        can leave for a free room of another type."""
        self.ensure_one()
        if not (conflict.date_from and conflict.date_to):
            return []
        arrival, departure = self._phobs_conflict_stay(conflict)
        options, free_by_type = [], {}
        for room_type in self._phobs_room_types():
            rooms = self._phobs_sellable_rooms(room_type)
            # The guest's own booking is a draft: it holds no room, nothing to leave out.
            placed = self._phobs_placed_stays(rooms, arrival, departure)
            free = self.env["hotel.room"].browse(free_rooms(rooms.ids, placed, arrival, departure))
            free_by_type[room_type] = free
            booked = room_type.phobs_code == conflict.room_type_code
            for room in free:
                options.append({
                    "key": "room:%d" % room.id, "kind": "same" if booked else "upgrade",
                    "name": _("Room %s (%s)%s") % (
                        room.name, room_type.name, "" if booked else _(", upgrade"))})
        options.sort(key=lambda option: option["kind"] != "upgrade")
        options.extend(self._phobs_move_options(conflict, arrival, departure, free_by_type))
        return options

    def _phobs_move_options(self, conflict, arrival, departure, free_by_type):
        booked_type = self._phobs_room_types([conflict.room_type_code])[:1]
        if not booked_type:
            return []
        rooms = self._phobs_sellable_rooms(booked_type)
        targets = [room for room_type, free in free_by_type.items() if room_type != booked_type
                   for room in free]
        if not targets:
            return []
        now = fields.Datetime.now()
        options = []
        # The state is read from these rooms' lines only: a domain on reservation_id.state
        # would first list every confirmed reservation of the database.
        lines = self.env["hotel.room.reservation.line"].sudo().search([
            ("room_id", "in", rooms.ids), ("check_in", ">", now)])
        for line in lines.filtered(lambda l: l.reservation_id.state == "confirm"):
            line_arrival, line_departure = self._phobs_line_dates(line)
            if not (line_arrival < departure and arrival < line_departure):
                continue
            # The moved guest's whole stay must fit the target: checked for this stay's dates
            # only when the moved stay lies within them, else left out.
            if line_arrival < arrival or line_departure > departure:
                continue
            target = targets[0]
            options.append({
                "key": "move:%d:%d" % (line.id, target.id), "kind": "move",
                "name": _("Room %s: move %s (%s) to room %s (%s, upgrade)") % (
                    line.room_id.name, line.reservation_id.partner_id.name,
                    line.reservation_id.reservation_no, target.name,
                    target.room_categ_id.name)})
        return options

    def _phobs_line_dates(self, line):
        return stay_dates(line.check_in, line.check_out, self._phobs_tz())

    def _phobs_place_in_room(self, conflict, key):
        """Places the conflict's guest as ``key`` (from :meth:`_phobs_room_options`) says and
        confirms the front-desk booking; returns what was done, in words."""
        self.ensure_one()
        offered = {option["key"]: option for option in self._phobs_room_options(conflict)}
        if key not in offered:
            raise UserError(_("That room is no longer free; choose another."))
        Room = self.env["hotel.room"].sudo()
        done = []
        if key.startswith("move:"):
            _kind, line_id, to_room_id = key.split(":")
            line = self.env["hotel.room.reservation.line"].sudo().browse(int(line_id))
            room = line.room_id
            self._phobs_move_to_other_type(line, Room.browse(int(to_room_id)))
            done.append(offered[key]["name"])
        else:
            room = Room.browse(int(key.split(":")[1]))
        booking = self._phobs_conflict_booking(conflict).with_context(phobs_from_channel=True)
        self.env["hotel_reservation.line"].sudo().with_context(phobs_from_channel=True).create({
            "line_id": booking.id, "categ_id": room.room_categ_id.id,
            "reserve": [(6, 0, room.ids)], "name": room.room_categ_id.name,
        })
        self.env["hotel.room.reservation.line"].sudo().create({
            "room_id": room.id, "check_in": booking.checkin, "check_out": booking.checkout,
            "state": "assigned", "reservation_id": booking.id,
        })
        note = "\n".join(line for line in (booking.note or "").splitlines()
                         if not line.startswith(OVERBOOKED_PREFIX))
        booking.write({"state": "confirm", "note": note})
        placed = _("%s placed in room %s (%s).") % (
            conflict.phobs_reservation_id.display_ref or booking.reservation_no, room.name,
            room.room_categ_id.name)
        booking.message_post(body=placed)
        return " ".join(done + [placed])

    def _phobs_move_to_other_type(self, room_line, to_room):
        """Moves a not-yet-arrived guest to a room of another type (an upgrade for them)."""
        reservation = room_line.reservation_id.with_context(phobs_from_channel=True)
        old_room = room_line.room_id
        room_line.write({"room_id": to_room.id})
        for line in reservation.reservation_line.filtered(lambda l: old_room in l.reserve):
            line.write({"categ_id": to_room.room_categ_id.id,
                        "reserve": [(3, old_room.id), (4, to_room.id)]})
        reservation.message_post(body=_(
            "Room changed from %s to %s (%s) to place an overbooked channel booking.") % (
            old_room.name, to_room.name, to_room.room_categ_id.name))
