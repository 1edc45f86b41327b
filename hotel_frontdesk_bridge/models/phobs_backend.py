import logging
from datetime import datetime, timedelta, timezone

from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.phobs_channel_manager.phobs_api.records import (
    AGE_ADULT,
    AGE_CHILD,
    Guest,
    GuestCount,
    Reservation,
    ResStatus,
    RoomStay,
)

from ..room_allocation import PlacedStay, allocate
from ..stay_calendar import checkin_instant, checkout_instant, stay_dates

_logger = logging.getLogger(__name__)

OCCUPYING_STATES = ("confirm", "done")


class PhobsBackend(models.Model):
    """The OCA hotel front desk behind the channel manager's PMS hooks."""

    _inherit = "phobs.backend"

    pricelist_id = fields.Many2one(
        "product.pricelist", string="Pricelist for channel bookings",
        help="Used for front-desk reservations created from channel bookings; defaults to the "
             "guest's pricelist.")

    def _phobs_tz(self):
        """The hotel's time zone (its company's), the same for every user of the front desk."""
        return self.company_id.partner_id.tz or "UTC"

    # -- rooms and availability ---------------------------------------------------------

    def _phobs_room_types(self, codes=None):
        """The front-desk room types these Phobs properties sell (their codes are scoped to
        their property: another hotel's "DBL" is not this one's)."""
        domain = [("phobs_backend_id", "in", self.ids), ("phobs_code", "!=", False)]
        if codes is not None:
            domain.append(("phobs_code", "in", list(codes)))
        return self.env["hotel.room.type"].sudo().search(domain)

    def _phobs_room_type_codes(self):
        return sorted(set(self._phobs_room_types().mapped("phobs_code")))

    def _phobs_sellable_rooms(self, room_type):
        return self.env["hotel.room"].sudo().search(
            [("room_categ_id", "=", room_type.id), ("phobs_out_of_service", "=", False)],
            order="name")

    def _phobs_room_type_products(self, room_type_codes):
        """The products of each type's sellable rooms: a night costs the cheapest of them."""
        return {room_type.phobs_code: self._phobs_sellable_rooms(room_type).mapped("product_id")
                for room_type in self._phobs_room_types(room_type_codes)}

    def _phobs_placed_stays(self, rooms, arrival, departure, exclude_reservation=None):
        """Stays holding these rooms around the interval: reservations and folios."""
        tz = self._phobs_tz()
        start = checkin_instant(arrival - timedelta(days=1), tz)
        end = checkout_instant(departure + timedelta(days=1), tz)
        now = fields.Datetime.now()
        stays = []
        lines = self.env["hotel.room.reservation.line"].sudo().search([
            ("room_id", "in", rooms.ids), ("check_in", "<", end), ("check_out", ">", start),
            ("reservation_id.state", "in", OCCUPYING_STATES)])
        for line in lines:
            if exclude_reservation and line.reservation_id == exclude_reservation:
                continue
            line_arrival, line_departure = stay_dates(line.check_in, line.check_out, tz)
            movable = line.reservation_id.state == "confirm" and line.check_in > now
            stays.append(PlacedStay(("res", line.id), line.room_id.id, line_arrival,
                                    line_departure, movable))
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

    def _phobs_compute_availability(self, room_type_codes, date_from, date_to):
        result = {}
        for room_type in self._phobs_room_types(room_type_codes):
            rooms = self._phobs_sellable_rooms(room_type)
            placed = self._phobs_placed_stays(rooms, date_from, date_to + timedelta(days=1))
            unplaced = [(fields.Date.from_string(s.arrival), fields.Date.from_string(s.departure),
                         s.units)
                        for s in self._phobs_unplaced_stays(room_type.phobs_code, date_from, date_to)]
            per_day = result.setdefault(room_type.phobs_code, {})
            day = date_from
            while day <= date_to:
                busy = {stay.room for stay in placed if stay.arrival <= day < stay.departure}
                waiting = sum(units for start, end, units in unplaced if start <= day < end)
                per_day[day] = per_day.get(day, 0) + len(rooms) - len(busy) - waiting
                day += timedelta(days=1)
        return result

    # -- Phobs reservation -> hotel.reservation -----------------------------------------

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

    def _phobs_partner(self, binding):
        # A guest record needs no chatter, followers or notifications of its own creation.
        Partner = self.env["res.partner"].sudo().with_context(
            tracking_disable=True, mail_create_nolog=True, mail_create_nosubscribe=True)
        partner = Partner.browse()
        if binding.guest_email:
            partner = Partner.search([("email", "=ilike", binding.guest_email)], limit=1)
        if not partner and binding.guest_name:
            partner = Partner.search([("name", "=ilike", binding.guest_name),
                                      ("email", "=", False)], limit=1)
        if not partner:
            country = self.env["res.country"].search(
                [("code", "=", (binding.guest_country_code or "").upper())], limit=1)
            partner = Partner.create({
                "name": binding.guest_name or binding.guest_email or _("Channel guest %s")
                % binding.external_id,
                "email": binding.guest_email or False,
                "phone": binding.guest_phone or False,
                "country_id": country.id or False,
                "customer": True,
            })
        return partner

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

    # -- hotel.reservation -> Phobs upload ----------------------------------------------

    def _phobs_export_reservation(self, outbox_row):
        model, _sep, res_id = (outbox_row.pms_ref or "").partition(",")
        if model != "hotel.reservation" or not res_id.isdigit():
            return None
        reservation = self.env["hotel.reservation"].sudo().browse(int(res_id)).exists()
        if not reservation:
            return None
        tz = self._phobs_tz()
        arrival, departure = stay_dates(reservation.checkin, reservation.checkout, tz)
        stays = []
        for line in reservation.reservation_line:
            if not line.categ_id.phobs_code or line.categ_id.phobs_backend_id != self:
                continue
            counts = [GuestCount(AGE_ADULT, max(1, reservation.adults))]
            if reservation.children:
                counts.append(GuestCount(AGE_CHILD, reservation.children))
            stays.append(RoomStay(room_type_code=line.categ_id.phobs_code, rate_plan_code=None,
                                  arrival=arrival, departure=departure,
                                  units=max(1, len(line.reserve)), guest_counts=tuple(counts)))
        if not stays:
            return None
        binding = reservation.phobs_reservation_id
        partner = reservation.partner_id
        names = (partner.name or "").split(" ", 1)
        now = datetime.now(timezone.utc).replace(microsecond=0)
        return Reservation(
            reservation_id=binding.external_id if binding else "PMS-%s" % reservation.reservation_no,
            status=ResStatus(outbox_row.res_status),
            message_id="PMS%d" % outbox_row.id,
            created_at=now,
            modified_at=now,
            hotel_code=self.hotel_code,
            channel_code=binding.channel_id.code if binding else None,
            channel_booking_id=binding.channel_booking_id if binding else None,
            pms_id=reservation.reservation_no,
            room_stays=tuple(stays),
            guests=(Guest(rph="1", primary=True, given_name=names[0] if len(names) > 1 else None,
                          surname=names[-1] or None, email=partner.email or None,
                          phone=partner.phone or None),),
        )
