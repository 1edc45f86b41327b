"""Phobs bookings -> front-desk reservations: placing their rooms, moving other guests when
that makes room, or reporting the overbooking with proposals."""
from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.phobs_channel_manager.phobs_api.records import ResStatus

from ..room_allocation import PlacedStay, allocate
from ..stay_calendar import checkin_instant, checkout_instant


class PhobsBackendImport(models.Model):
    _inherit = "phobs.backend"

    def _phobs_new_pms_ref(self):
        return self.env["ir.sequence"].sudo().next_by_code("hotel.reservation") or ""

    def _phobs_apply_reservation(self, binding):
        Reservation = self.env["hotel.reservation"].sudo().with_context(
            phobs_from_channel=True, duplicate=True, tracking_disable=True)
        hotel_reservation = binding.hotel_reservation_id.with_env(Reservation.env)
        if binding.status == ResStatus.CANCEL.value:
            if hotel_reservation and hotel_reservation.state != "cancel":
                hotel_reservation.cancel_reservation()
            return {"state": "cancelled", "pms_ref": hotel_reservation.reservation_no or ""}

        room_types = self._phobs_room_types_for(binding)
        if hotel_reservation:
            self._phobs_release_rooms(hotel_reservation)
        placement, conflict = self._phobs_place(binding, room_types, hotel_reservation)
        values = self._phobs_reservation_values(binding, conflict)
        if hotel_reservation:
            hotel_reservation.reservation_line.with_context(phobs_from_channel=True).unlink()
            hotel_reservation.write(values)
        else:
            hotel_reservation = Reservation.with_context(
                phobs_reservation_no=binding.pms_ref or False).create(values)
            binding.hotel_reservation_id = hotel_reservation
        if conflict:
            hotel_reservation.write({"state": "draft"})
            return {"state": "conflict", "pms_ref": hotel_reservation.reservation_no,
                    "message": conflict["message"], "conflict": conflict}
        self._phobs_assign_rooms(hotel_reservation, placement)
        return {"state": "applied", "pms_ref": hotel_reservation.reservation_no}

    def _phobs_room_types_for(self, binding):
        codes = set(binding.stay_ids.mapped("room_type_code"))
        room_types = self._phobs_room_types(codes)
        unknown = codes - set(room_types.mapped("phobs_code"))
        if unknown:
            raise UserError(_("Unknown Phobs room type code(s) %s: map them on a hotel room "
                              "type (Hotel Management > Configuration > Room Types).")
                            % ", ".join(sorted(unknown)))
        return {room_type.phobs_code: room_type for room_type in room_types}

    def _phobs_place(self, binding, room_types, hotel_reservation):
        """Rooms for every stay (with moves of other guests), or the conflict to report."""
        placement = []
        for stay in binding.stay_ids:
            room_type = room_types[stay.room_type_code]
            rooms = self._phobs_sellable_rooms(room_type)
            arrival = fields.Date.from_string(stay.arrival)
            departure = fields.Date.from_string(stay.departure)
            placed = self._phobs_placed_stays(rooms, arrival, departure, hotel_reservation)
            taken = {room for _stay, allocation in placement for room in allocation.rooms}
            placed += [PlacedStay(("taken", room), room, arrival, departure, False) for room in taken]
            allocation = allocate(rooms.ids, placed, arrival, departure, stay.units,
                                  allow_moves=self.auto_reassign)
            if allocation is None:
                return None, self._phobs_conflict(binding, stay, room_type, room_types)
            placement.append((stay, allocation))
        return placement, None

    def _phobs_conflict(self, binding, stay, room_type, room_types):
        arrival = fields.Date.from_string(stay.arrival)
        departure = fields.Date.from_string(stay.departure)
        upgrades = []
        for other in self._phobs_room_types().filtered(lambda t: t != room_type):
            rooms = self._phobs_sellable_rooms(other)
            placed = self._phobs_placed_stays(rooms, arrival, departure)
            if allocate(rooms.ids, placed, arrival, departure, stay.units, allow_moves=False):
                upgrades.append(other.name)
        proposals = [
            _("Upgrade to a free room of type: %s") % ", ".join(upgrades) if upgrades
            else _("No other room type is free for these dates."),
            _("Relocate (walk) the guest to a partner hotel and inform the channel."),
            _("Accept the overbooking if a departure is expected to free a room."),
        ]
        return {
            "room_type_code": stay.room_type_code,
            "date_from": stay.arrival,
            "date_to": stay.departure,
            "message": _("No free %s room for %s to %s (%d needed).") % (
                room_type.name, stay.arrival, stay.departure, stay.units),
            "proposals": "\n".join(proposals),
        }

    def _phobs_reservation_values(self, binding, conflict):
        tz = self._phobs_tz()
        partner = self._phobs_partner(binding)
        checkin = checkin_instant(fields.Date.from_string(binding.arrival), tz)
        checkout = checkout_instant(fields.Date.from_string(binding.departure), tz)
        pricelist = self.pricelist_id or partner.property_product_pricelist
        notes = [_("Channel booking %s via %s (Phobs %s).") % (
            binding.channel_booking_id or "-", binding.channel_id.name or "-", binding.external_id)]
        if binding.special_requests:
            notes.append(_("Special requests: %s") % binding.special_requests)
        if conflict:
            notes.append(_("OVERBOOKED: %s") % conflict["message"])
        return {
            "partner_id": partner.id,
            "partner_invoice_id": partner.id,
            "partner_order_id": partner.id,
            "partner_shipping_id": partner.id,
            "pricelist_id": pricelist.id,
            "checkin": checkin,
            "checkout": checkout,
            "date_order": min(fields.Datetime.now(), checkin),
            "adults": max(1, binding.adults),
            "children": binding.children,
            "note": "\n".join(notes),
            "phobs_reservation_id": binding.id,
        }

    def _phobs_release_rooms(self, hotel_reservation):
        self.env["hotel.room.reservation.line"].sudo().search(
            [("reservation_id", "=", hotel_reservation.id)]).unlink()

    def _phobs_assign_rooms(self, hotel_reservation, placement):
        RoomLine = self.env["hotel.room.reservation.line"].sudo()
        for key, _from_room, to_room in (move for _stay, a in placement for move in a.moves):
            if key[0] == "res":
                self._phobs_move_guest(RoomLine.browse(key[1]), to_room)
        for stay, allocation in placement:
            room_type = self._phobs_room_types([stay.room_type_code])[:1]
            self.env["hotel_reservation.line"].sudo().with_context(phobs_from_channel=True).create({
                "line_id": hotel_reservation.id,
                "categ_id": room_type.id,
                "reserve": [(6, 0, allocation.rooms)],
                "name": stay.room_type_code,
            })
            for room_id in allocation.rooms:
                RoomLine.create({
                    "room_id": room_id, "check_in": hotel_reservation.checkin,
                    "check_out": hotel_reservation.checkout, "state": "assigned",
                    "reservation_id": hotel_reservation.id,
                })
        hotel_reservation.write({"state": "confirm"})

    def _phobs_move_guest(self, room_line, to_room_id):
        """Moves a placed guest to another room of the same type, and says so on the booking."""
        reservation = room_line.reservation_id
        old_room = room_line.room_id
        room_line.write({"room_id": to_room_id})
        for line in reservation.reservation_line.filtered(lambda l: old_room in l.reserve):
            line.write({"reserve": [(3, old_room.id), (4, to_room_id)]})
        new_room = self.env["hotel.room"].browse(to_room_id)
        reservation.message_post(body=_("Room changed from %s to %s by the channel manager to "
                                        "place a channel booking.") % (old_room.name, new_room.name))

