"""Phobs bookings -> front-desk reservations: placing their rooms, moving other guests when
that makes room, or reporting the overbooking with proposals."""
from odoo import _, fields, models
from odoo.exceptions import UserError

from odoo.addons.phobs_channel_manager.phobs_api.records import ResStatus
from odoo.addons.phobs_channel_manager.services.batch_lookups import lookups_of

from ..room_allocation import PlacedStay, allocate
from ..stay_calendar import checkin_instant, checkout_instant, stay_dates
from .hotel_reservation import NIGHTS_MARKED_BY_CALLER


class PhobsBackendImport(models.Model):
    _inherit = "phobs.backend"

    def _phobs_apply_reservation(self, binding):
        """Places a channel booking at the front desk: one reservation per distinct stay period
        (room stays with equal dates share one), each holding its rooms only for its own
        nights. A new version reconciles that set: periods that remain keep their reservation
        (the first keeps the number Phobs was given), new ones get one, vanished ones are
        released and removed, so no room stays held by an old version."""
        existing = self._phobs_front_desk_reservations(binding)
        if binding.status == ResStatus.CANCEL.value:
            for reservation in existing.filtered(lambda r: r.state != "cancel"):
                reservation.cancel_reservation()  # OCA's method takes one reservation at a time
            return {"state": "cancelled", "values": self._phobs_folio_due(),
                    "pms_ref": binding.pms_ref or existing[:1].reservation_no or ""}

        room_types = self._phobs_room_types_for(binding)
        self._phobs_release_rooms(existing)
        placement, conflict = self._phobs_place(binding, room_types, existing)
        if not conflict:
            self._phobs_move_guests(placement)
        rooms = {stay: (room_types[stay.room_type_code], allocation.rooms)
                 for stay, allocation in placement or []}
        reservations = self._phobs_reconcile_periods(binding, existing, conflict, rooms)
        primary = reservations[:1]
        if conflict:
            return {"state": "conflict", "pms_ref": primary.reservation_no,
                    "message": conflict["message"], "conflict": conflict}
        self._phobs_hold_rooms(reservations, placement)
        return {"state": "applied", "pms_ref": primary.reservation_no,
                "values": self._phobs_folio_due()}

    def _phobs_front_desk_reservations(self, binding):
        """The binding's front-desk reservations, the one carrying its number first."""
        Reservation = self.env["hotel.reservation"].sudo().with_context(
            phobs_from_channel=True, duplicate=True, tracking_disable=True,
            **{NIGHTS_MARKED_BY_CALLER: True})
        reservations = Reservation.search([("phobs_reservation_id", "=", binding.id)],
                                          order="checkin, id")
        return reservations.sorted(lambda r: r.reservation_no != binding.pms_ref)

    @staticmethod
    def _phobs_periods(binding):
        """``{(arrival, departure): stays}`` in arrival order: stays of equal dates share one."""
        periods = {}
        for stay in binding.stay_ids.sorted(lambda s: (s.arrival, s.departure, s.id)):
            periods.setdefault((stay.arrival, stay.departure), binding.stay_ids.browse())
            periods[(stay.arrival, stay.departure)] |= stay
        return periods

    def _phobs_reconcile_periods(self, binding, existing, conflict, rooms):
        """One reservation per period, reusing ``existing`` (same dates first); those left over
        are removed. ``rooms``: ``{stay: (room type, room ids)}`` placed (none on a conflict):
        each reservation is written with its room lines and state at once. Returns the
        reservations in period order, the numbered one first."""
        periods = self._phobs_periods(binding)
        unused = list(existing)
        chosen = {}
        for key in periods:
            same = [r for r in unused if self._phobs_period_of(r) == key]
            if same:
                chosen[key] = same[0]
                unused.remove(same[0])
        for key in periods:
            if key not in chosen and unused:
                chosen[key] = unused.pop(0)
        Reservation = existing.browse().with_context(
            phobs_from_channel=True, duplicate=True, tracking_disable=True,
            **{NIGHTS_MARKED_BY_CALLER: True})
        result = Reservation
        for key, stays in periods.items():
            values = self._phobs_reservation_values(binding, stays, conflict)
            values.update(state="draft" if conflict else "confirm", reservation_line=[
                (0, 0, {"categ_id": rooms[stay][0].id, "reserve": [(6, 0, rooms[stay][1])],
                        "name": stay.room_type_code})
                for stay in stays if stay in rooms])
            reservation = chosen.get(key)
            if reservation:
                reservation.reservation_line.with_context(phobs_from_channel=True).unlink()
                reservation.write(values)
            else:
                number = False if existing or result else binding.pms_ref or False
                reservation = Reservation.with_context(phobs_reservation_no=number).create(values)
            result |= reservation
        for leftover in unused:
            leftover.reservation_line.with_context(phobs_from_channel=True).unlink()
            leftover.write({"state": "draft"})
            leftover.unlink()
        return result.sorted(lambda r: r.reservation_no != binding.pms_ref)

    def _phobs_period_of(self, reservation):
        tz = self._phobs_tz()
        arrival, departure = stay_dates(reservation.checkin, reservation.checkout, tz)
        return fields.Date.to_string(arrival), fields.Date.to_string(departure)

    def _phobs_room_types_for(self, binding):
        codes = frozenset(binding.stay_ids.mapped("room_type_code"))
        room_types = lookups_of(self.env.context).get(
            ("room types", codes), lambda: self._phobs_room_types(codes))
        unknown = codes - set(room_types.mapped("phobs_code"))
        if unknown:
            raise UserError(_("Unknown Phobs room type code(s) %s: map them on a hotel room "
                              "type (Hotel Management > Configuration > Room Types).")
                            % ", ".join(sorted(unknown)))
        return {room_type.phobs_code: room_type for room_type in room_types}

    def _phobs_place(self, binding, room_types, existing):
        """Rooms for every stay (with moves of other guests), or the conflict to report.
        ``existing``: the booking's own reservations, whose old rooms are free to reuse."""
        placement = []
        for stay in binding.stay_ids:
            room_type = room_types[stay.room_type_code]
            rooms = self._phobs_sellable_rooms(room_type)
            arrival = fields.Date.from_string(stay.arrival)
            departure = fields.Date.from_string(stay.departure)
            placed = self._phobs_placed_stays(rooms, arrival, departure, existing)
            if self.auto_reassign:
                placed = self._phobs_around_movable(placed, rooms, arrival, departure, existing)
            # Rooms this booking's earlier stays took, for their own nights only.
            placed += [PlacedStay(("taken", room), room, fields.Date.from_string(other.arrival),
                                  fields.Date.from_string(other.departure), False)
                       for other, allocation in placement for room in allocation.rooms]
            allocation = allocate(rooms.ids, placed, arrival, departure, stay.units,
                                  allow_moves=self.auto_reassign)
            if allocation is None:
                return None, self._phobs_conflict(binding, stay, room_type, room_types)
            placement.append((stay, allocation))
        return placement, None

    def _phobs_around_movable(self, placed, rooms, arrival, departure, existing):
        """``placed`` widened to the whole stays of the guests who may be moved: a guest moves
        for all of their nights, so the target room must be free beyond this booking's dates
        too (else the move puts two guests in one room)."""
        movable = [stay for stay in placed if stay.movable
                   and stay.arrival < departure and arrival < stay.departure]
        first = min([arrival] + [stay.arrival for stay in movable])
        last = max([departure] + [stay.departure for stay in movable])
        if (first, last) == (arrival, departure):
            return placed
        return self._phobs_placed_stays(rooms, first, last, existing)

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

    def _phobs_reservation_values(self, binding, stays, conflict):
        """The front-desk reservation of one stay period: its own nights and guests."""
        tz = self._phobs_tz()
        partner = self._phobs_partner(binding)
        checkin = checkin_instant(fields.Date.from_string(stays[0].arrival), tz)
        checkout = checkout_instant(fields.Date.from_string(stays[0].departure), tz)
        notes = [_("Channel booking %s via %s (Phobs %s).") % (
            binding.channel_booking_id or "-", binding.channel_id.name or "-", binding.external_id)]
        if conflict:
            notes.append(_("OVERBOOKED: %s") % conflict["message"])
        single = len(binding.stay_ids) == len(stays)
        adults = sum(stays.mapped("adults")) or (binding.adults if single else 0)
        children = sum(stays.mapped("children")) or (binding.children if single else 0)
        return {
            "partner_id": partner.id,
            "partner_invoice_id": partner.id,
            "partner_order_id": partner.id,
            "partner_shipping_id": partner.id,
            "pricelist_id": self._phobs_pricelist(binding, partner).id,
            "checkin": checkin,
            "checkout": checkout,
            "date_order": min(fields.Datetime.now(), checkin),
            "adults": max(1, adults),
            "children": children,
            "note": "\n".join(notes),
            "phobs_reservation_id": binding.id,
        }

    def _phobs_pricelist(self, binding, partner):
        """A pricelist in the booking's currency: the backend's if it is, else the guest's if
        it is, else the first such pricelist of the company, else a new one."""
        currency = binding.currency_id or self.currency_id
        if self.pricelist_id and self.pricelist_id.currency_id == currency:
            return self.pricelist_id
        # Only now the guest's: a property lookup of some eight queries. A guest created here
        # holds no pricelist of its own, so its pricelist is its country's, the same for every
        # such guest of the batch.
        lookups = lookups_of(self.env.context)
        new_guest = lookups.get(("new guest", partner.id), lambda: False)
        guest_pricelist = lookups.get(
            ("guest pricelist", partner.country_id.id if new_guest else ("partner", partner.id)),
            lambda: partner.property_product_pricelist)
        if guest_pricelist and guest_pricelist.currency_id == currency:
            return guest_pricelist
        Pricelist = self.env["product.pricelist"].sudo()
        pricelist = lookups.get(("pricelist", currency.id), lambda: Pricelist.search(
            [("currency_id", "=", currency.id),
             ("company_id", "in", (False, self.company_id.id))], limit=1))
        if not pricelist:
            if not currency.active:
                currency.sudo().active = True  # a folio and invoice in it need it active
            pricelist = Pricelist.create({"name": _("Channel bookings (%s)") % currency.name,
                                          "currency_id": currency.id,
                                          "company_id": self.company_id.id})
        return pricelist

    def _phobs_release_rooms(self, reservations):
        if reservations:
            self.env["hotel.room.reservation.line"].sudo().search(
                [("reservation_id", "in", reservations.ids)]).unlink()

    def _phobs_move_guests(self, placement):
        """Other guests the placement moves to another room of their type, before the booking
        takes theirs."""
        RoomLine = self.env["hotel.room.reservation.line"].sudo()
        moves = {}  # reservation -> [(room line, new room id)]
        for key, _from_room, to_room in (move for _stay, a in placement for move in a.moves):
            if key[0] == "res":
                room_line = RoomLine.browse(key[1])
                moves.setdefault(room_line.reservation_id, []).append((room_line, to_room))
        for reservation, room_moves in moves.items():
            self._phobs_move_guest(reservation, room_moves)

    def _phobs_hold_rooms(self, reservations, placement):
        """Each stay's rooms held by the reservation of its period, for that period only."""
        RoomLine = self.env["hotel.room.reservation.line"].sudo()
        by_period = {self._phobs_period_of(r): r for r in reservations}
        for stay, allocation in placement:
            reservation = by_period[(stay.arrival, stay.departure)]
            for room_id in allocation.rooms:
                RoomLine.create({
                    "room_id": room_id, "check_in": reservation.checkin,
                    "check_out": reservation.checkout, "state": "assigned",
                    "reservation_id": reservation.id,
                })

    def _phobs_move_guest(self, reservation, room_moves):
        """Moves a placed guest's rooms (``[(room line, new room id)]``) to other rooms of the
        same type, and says so on the booking. All at once: one of its rooms may move into
        another it leaves (30 to 27 while 12 moves to 30), and moving them one by one would
        then rewrite both of its lines to the last room."""
        renamed = {}
        for room_line, to_room_id in room_moves:
            renamed[room_line.room_id.id] = to_room_id
            reservation.message_post(body=_(
                "Room changed from %s to %s by the channel manager to place a channel booking.")
                % (room_line.room_id.name, self.env["hotel.room"].browse(to_room_id).name))
        for room_line, to_room_id in room_moves:
            room_line.write({"room_id": to_room_id})
        for line in reservation.reservation_line:
            rooms = [renamed.get(room.id, room.id) for room in line.reserve]
            if rooms != line.reserve.ids:
                line.write({"reserve": [(6, 0, rooms)]})

