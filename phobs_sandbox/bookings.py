"""Reservation lifecycle with inventory accounting: the one place that moves BookingLimit.

Channel bookings (simulator and control API) may only take what the PMS last published: every
night of every room must have BookingLimit left and no restriction may forbid the stay. Front-desk
uploads are the hotel's own decisions, so they always move inventory, even below zero (an
overbooking the control API then shows). Each check-and-move runs in one store transaction.
"""
from collections import Counter
from datetime import date
from decimal import Decimal

from . import channels, reservation_xml
from .config import require_codes
from .dates import hotel_stamp, nights
from .errors import Conflict, NotSellable
from .ota import error, parse_int
from .xmlutil import serialize

UPLOAD_STATUSES = {
    "commit": "Commit", "book": "Commit", "commited": "Commit", "committed": "Commit",
    "reserved": "Commit", "modify": "Modify", "modified": "Modify",
    "cancel": "Cancel", "cancelled": "Cancel", "canceled": "Cancel",
}


def _stay(raw):
    """A validated room stay from loose input (control API JSON, simulator, parsed upload)."""
    try:
        arrival = date.fromisoformat(str(raw["arrival"]))
        departure = date.fromisoformat(str(raw["departure"]))
    except (KeyError, ValueError) as err:
        raise error("15", "arrival and departure must be ISO dates") from err
    if departure <= arrival:
        raise error("15", "departure %s must be after arrival %s" % (departure, arrival))
    if (departure - arrival).days > 60:
        raise error("15", "stays are limited to 60 nights")
    children = [parse_int(age, "child age") for age in raw.get("children") or []]
    if any(age > 17 for age in children):
        raise error("320", "children are 0-17 years old")
    return {
        "room_type": str(raw.get("room_type") or ""), "rate_plan": str(raw.get("rate_plan") or ""),
        "arrival": arrival.isoformat(), "departure": departure.isoformat(),
        "units": parse_int(raw.get("units", 1), "units", 1),
        "adults": parse_int(raw.get("adults", 2), "adults", 1),
        "children": children, "guest": parse_int(raw.get("guest", 0), "guest"),
    }


def _total(stays):
    return str(sum((Decimal(stay["total"]) for stay in stays), Decimal(0)))


def _plan_for(hotel, room_type):
    """The plan an upload without RatePlanCode is priced with: the first one selling the room."""
    return next((plan["code"] for plan in hotel["rate_plans"]
                 if room_type in plan["room_types"]), None)


class Bookings:
    def __init__(self, store, on_message=lambda: None):
        self.store = store
        self.on_message = on_message

    # queries ----------------------------------------------------------------------------------

    def hotel(self, code):
        hotel = self.store.hotel(code)
        if hotel is None:
            raise error("392", code)
        return hotel

    def _unsellable_reason(self, hotel, stays):
        """Why a channel may not sell these stays now, or None when it may."""
        demand = Counter()
        for stay in stays:
            for day in nights(stay):
                demand[stay["room_type"], day] += stay["units"]
        for room_type in sorted({room for room, _ in demand}):
            days = sorted(day for room, day in demand if room == room_type)
            limits = self.store.booking_limits(hotel["code"], room_type, days)
            for day in days:
                if limits[day] < demand[room_type, day]:
                    return "no availability for %s on %s (BookingLimit %d, asked %d)" % (
                        room_type, day, limits[day], demand[room_type, day])
        for stay in stays:
            stay_nights = nights(stay)
            found = self.store.restrictions(hotel["code"], stay["room_type"], stay["rate_plan"],
                                            stay_nights + [stay["departure"]])
            closed = [day for day in stay_nights if found.get(day, {}).get("stop_sell")]
            if closed:
                return "stop-sell for %s/%s on %s" % (
                    stay["room_type"], stay["rate_plan"], closed[0])
            first = found.get(stay["arrival"], {})
            if first.get("closed_to_arrival"):
                return "closed to arrival on %s" % stay["arrival"]
            if first.get("min_los") and len(stay_nights) < first["min_los"]:
                return "minimum stay %d nights from %s" % (first["min_los"], stay["arrival"])
            if first.get("max_los") and len(stay_nights) > first["max_los"]:
                return "maximum stay %d nights from %s" % (first["max_los"], stay["arrival"])
            if found.get(stay["departure"], {}).get("closed_to_departure"):
                return "closed to departure on %s" % stay["departure"]
        return None

    def _priced(self, hotel, stay):
        """The stay with its nightly amounts: last pushed rate, else the rate plan's default."""
        plan = next(p for p in hotel["rate_plans"] if p["code"] == stay["rate_plan"])
        fallback = plan["default_rate"] or hotel["default_rate"]
        stay_nights = nights(stay)
        pushed = self.store.rates(hotel["code"], stay["room_type"], stay["rate_plan"], stay_nights)
        nightly = []
        for day in stay_nights:
            amounts = pushed.get(day, {})
            by_guests = amounts.get(stay["adults"]) or amounts.get(0)
            if by_guests is None and amounts:
                by_guests = amounts[min(amounts)]
            nightly.append({"date": day, "amount": by_guests[0] if by_guests else fallback})
        total = sum((Decimal(night["amount"]) for night in nightly), Decimal(0)) * stay["units"]
        return dict(stay, nightly=nightly, total=str(total))

    def _validated(self, hotel, raw_stays):
        if not raw_stays:
            raise error("321", "at least one room stay")
        stays = [_stay(raw) for raw in raw_stays]
        for stay in stays:
            require_codes(hotel, stay["room_type"], stay["rate_plan"])
        return [self._priced(hotel, stay) for stay in stays]

    # inventory --------------------------------------------------------------------------------

    def _move(self, reservation, sign):
        """Take (sign -1) or give back (sign +1) the nights a live reservation holds."""
        if reservation["status"] == "Cancel":
            return
        for stay in reservation["room_stays"]:
            for day in nights(stay):
                self.store.adjust_availability(
                    reservation["hotel"], stay["room_type"], day, sign * stay["units"],
                    "upload" if reservation["channel"] == "PMS" else "channel",
                    "%s:%s" % (reservation["id"], reservation["version"]))

    def _publish(self, reservation):
        """Persist the version and queue its message (a new message id per version)."""
        self.store.save_reservation(reservation, "channel")
        message_id = self.store.new_id("M")
        xml = serialize(reservation_xml.build(reservation, message_id)).decode("utf-8")
        self.store.add_message(message_id, reservation, xml, reservation["modified_at"])
        return {"reservation_id": reservation["id"], "message_id": message_id,
                "version": reservation["version"], "status": reservation["status"],
                "total": reservation["total"], "currency": reservation["currency"]}

    # channel bookings -------------------------------------------------------------------------

    def _check(self, hotel, stays, respect_availability):
        if respect_availability:
            reason = self._unsellable_reason(hotel, stays)
            if reason:
                raise NotSellable(reason)

    def create(self, hotel_code, draft, respect_availability=True):
        """A new channel booking (ResStatus Commit); NotSellable if the channel may not sell it."""
        with self.store.transaction():
            hotel = self.hotel(hotel_code)
            stays = self._validated(hotel, draft["room_stays"])
            self._check(hotel, stays, respect_availability)
            stamp = hotel_stamp(hotel)
            channel = channels.by_code(draft["channel"])
            reservation = {
                "id": self.store.new_id("R"), "hotel": hotel["code"], "currency": hotel["currency"],
                "status": "Commit", "version": 1, "created_at": stamp, "modified_at": stamp,
                "channel": channel.code, "channel_name": channel.name,
                "channel_booking_id": draft["channel_booking_id"], "room_stays": stays,
                "guests": draft["guests"], "comments": draft.get("comments") or [],
                "card": draft.get("card"), "total": _total(stays),
            }
            self._move(reservation, -1)
            result = self._publish(reservation)
        self.on_message()
        return result

    def modify(self, reservation_id, draft, respect_availability=True):
        """A full new snapshot of a live booking; its old nights are free while the new are
        checked."""
        with self.store.transaction():
            current = self._live(reservation_id)
            hotel = self.hotel(current["hotel"])
            stays = self._validated(hotel, draft.get("room_stays") or current["room_stays"])
            self._move(current, +1)
            self._check(hotel, stays, respect_availability)
            reservation = dict(current, room_stays=stays, status="Modify",
                               version=current["version"] + 1,
                               modified_at=hotel_stamp(hotel, current["modified_at"]),
                               total=_total(stays))
            for key in ("guests", "comments", "card"):
                if key in draft:
                    reservation[key] = draft[key]
            self._move(reservation, -1)
            result = self._publish(reservation)
        self.on_message()
        return result

    def cancel(self, reservation_id):
        """Cancel a live booking and give its nights back to the channels."""
        with self.store.transaction():
            current = self._live(reservation_id)
            hotel = self.hotel(current["hotel"])
            self._move(current, +1)
            reservation = dict(current, status="Cancel", version=current["version"] + 1,
                               modified_at=hotel_stamp(hotel, current["modified_at"]))
            result = self._publish(reservation)
        self.on_message()
        return result

    def _live(self, reservation_id):
        current = self.store.reservation(reservation_id)
        if current is None:
            raise KeyError(reservation_id)
        if current["status"] == "Cancel":
            raise Conflict("reservation %s is cancelled" % reservation_id)
        return current

    # front-desk uploads -----------------------------------------------------------------------

    def apply_upload(self, hotel, upload):
        """Apply one uploaded reservation (Commit/Modify/Cancel) keyed by the PMS id.

        A repeated upload replaces what the previous one held, so a retried request is harmless.
        When it names a reservation of ours (UniqueID Type 14) the front desk's version replaces it;
        a Type 14 id we never issued is taken for the PMS's own id when no ResID_Type 10 is given.
        """
        status = UPLOAD_STATUSES.get((upload["status"] or "").strip().lower())
        if status is None:
            raise error("320", "ResStatus %r" % upload["status"])
        current = (self.store.reservation(upload["reservation_id"])
                   if upload["reservation_id"] else None)
        if current is not None and current["hotel"] != hotel["code"]:
            raise error("783", "reservation %s belongs to another hotel" % upload["reservation_id"])
        pms_id = upload["pms_id"] or (None if current else upload["reservation_id"])
        if current is None and not pms_id:
            raise error("321", "HotelReservationID ResID_Type 10")
        if current is None:
            current = self.store.reservation_by_pms_id(hotel["code"], pms_id)
        if status == "Cancel":
            stays = current["room_stays"] if current else []
        else:
            stays = self._validated(hotel, [dict(stay, rate_plan=stay["rate_plan"] or _plan_for(
                hotel, stay["room_type"])) for stay in upload["room_stays"]])
        if current is not None:
            self._move(current, +1)
        stamp = hotel_stamp(hotel, current["modified_at"] if current else None)
        reservation = dict(current or {
            "id": self.store.new_id("R"), "hotel": hotel["code"], "currency": hotel["currency"],
            "version": 0, "created_at": stamp, "channel": "PMS", "channel_name": "Front desk",
            "guests": [], "comments": [], "card": None,
        })
        reservation.update(status=status, room_stays=stays, modified_at=stamp,
                           version=reservation["version"] + 1,
                           total=_total(stays))
        if upload.get("guest_name") and not reservation["guests"]:
            reservation["guest_name"] = upload["guest_name"]
        self._move(reservation, -1)
        origin = "channel" if current is not None and current["channel"] != "PMS" else "pms"
        self.store.save_reservation(reservation, origin, pms_id)
        return {"reservation_id": reservation["id"], "pms_id": pms_id, "status": status,
                "hotel": hotel["code"]}
