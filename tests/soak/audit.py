"""The soak's final audit, from both sides: what the sandbox (Phobs and its channels) holds
against what Odoo's front desk holds, computed here from the front-desk records themselves.

- every channel booking of the sandbox is one binding at its latest status, placed at the front
  desk with exactly its room types, number of rooms and nights, with one folio of its total to
  the cent; a cancelled one holds no room; one the channels sold beyond the hotel's rooms is in
  the front desk without a room, as an overbooking conflict for staff (counted apart);
- every message the sandbox saw acknowledged is stored in Odoo (and applied or set aside as
  older);
- per room type and night of the horizon, the BookingLimit the channels sell from equals the
  rooms the front desk has free (never negative: Phobs has nothing to sell below zero).
"""
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

from odoo.addons.hotel_frontdesk_bridge.stay_calendar import stay_dates

OCCUPYING = ("confirm", "done")
CENT = Decimal("0.01")


def audit(env, backend, sandbox, hotel_code, horizon_days):
    everything = sandbox.call("GET", "/bookings", params={"hotel": hotel_code})["bookings"]
    bookings = [b for b in everything if b["channel"] != "PMS"]
    report = {"bookings": len(bookings), "lost": [], "duplicated": [], "wrong": [],
              "overbooked": []}
    tz = backend._phobs_tz()
    sold = _sold_at_phobs(everything)
    rooms = {t.phobs_code: env["hotel.room"].search_count([("room_categ_id", "=", t.id)])
             for t in backend._phobs_room_types()}
    oversold = {key for key, units in sold.items() if units > rooms.get(key[0], 0)}
    bindings = {}
    for binding in env["phobs.reservation"].search([("backend_id", "=", backend.id)]):
        bindings.setdefault(binding.external_id, []).append(binding)
    for booking in bookings:
        found = bindings.get(booking["id"], [])
        if not found:
            report["lost"].append({"booking": booking["id"], "why": "no binding"})
            continue
        if len(found) > 1:
            report["duplicated"].append({"booking": booking["id"], "bindings": len(found)})
        _audit_booking(env, booking, found[0], tz, report, oversold)
    report.update(_audit_messages(env, backend, sandbox, hotel_code))
    report["wrong_nights"] = _audit_availability(env, backend, sandbox, hotel_code, tz,
                                                 horizon_days)
    for wrong in report["wrong_nights"]:  # did Phobs's counter drift from its own bookings?
        wrong["sold_at_phobs"] = sold[wrong["room_type"], wrong["night"]]
        wrong["evidence"] = night_evidence(env, backend, everything, wrong["room_type"],
                                           wrong["night"])
    return report


def night_evidence(env, backend, sandbox_bookings, code, night):
    """What explains a wrong night: the value Odoo last stored as accepted for it, the outbox
    rows that covered it, the front-desk lines and the Phobs bookings holding it."""
    state = env["phobs.ari.state"].search([
        ("backend_id", "=", backend.id), ("kind", "=", "availability"),
        ("room_type_code", "=", code), ("day", "=", night)])
    rows = env["phobs.outbox"].search([
        ("backend_id", "=", backend.id), ("kind", "=", "availability"),
        ("room_type_code", "=", code), ("date_from", "<=", night), ("date_to", ">=", night)],
        order="id")
    lines = env["hotel.room.reservation.line"].search([
        ("room_id.room_categ_id.phobs_code", "=", code)])
    tz = backend._phobs_tz()
    holding = []
    for line in lines:
        arrival, departure = stay_dates(line.check_in, line.check_out, tz)
        if str(arrival) <= night < str(departure):
            holding.append({"reservation": line.reservation_id.id, "room": line.room_id.name,
                            "state": line.reservation_id.state,
                            "write_date": line.reservation_id.write_date})
    return {
        "accepted": [(s.value, s.accepted_at) for s in state],
        "outbox": [{"id": r.id, "state": r.state, "force": r.force, "created": r.create_date,
                    "written": r.write_date, "done_at": r.done_at, "attempts": r.attempts,
                    "range": "%s..%s" % (r.date_from, r.date_to)} for r in rows[-30:]],
        "front_desk": holding,
        # One room, two stays the same night: the free-room count counts that room once.
        "double_booked_rooms": sorted(room for room, n in Counter(
            h["room"] for h in holding if h["state"] in OCCUPYING).items() if n > 1),
        "phobs_bookings": [{"id": b["id"], "channel": b["channel"], "status": b["status"],
                            "version": b["version"]} for b in sandbox_bookings
                           if any(s["room_type"] == code and night in _nights(
                               s["arrival"], s["departure"]) for s in b["room_stays"])],
    }


def _nights(arrival, departure):
    first = date.fromisoformat(arrival)
    return [str(first + timedelta(days=n))
            for n in range((date.fromisoformat(departure) - first).days)]


def _sold_at_phobs(bookings):
    """Rooms the live bookings at Phobs hold, per (room type, night)."""
    sold = Counter()
    for booking in bookings:
        if booking["status"] == "Cancel":
            continue
        for stay in booking["room_stays"]:
            for night in _nights(stay["arrival"], stay["departure"]):
                sold[stay["room_type"], night] += stay["units"]
    return sold


def _audit_booking(env, booking, binding, tz, report, oversold):
    problems = []
    if binding.status != booking["status"]:
        problems.append("status %s, Phobs says %s" % (binding.status, booking["status"]))
    reservations = binding.hotel_reservation_ids
    lines = env["hotel.room.reservation.line"].search([("reservation_id", "in", reservations.ids)])
    held = Counter()
    for line in lines:
        if line.reservation_id.state in OCCUPYING:
            arrival, departure = stay_dates(line.check_in, line.check_out, tz)
            held[line.room_id.room_categ_id.phobs_code, str(arrival), str(departure)] += 1
    folios = env["hotel.folio"].search([("phobs_reservation_id", "=", binding.id),
                                        ("state", "!=", "cancel")])
    if booking["status"] == "Cancel":
        if held:
            problems.append("cancelled but holds %d room(s)" % sum(held.values()))
        if folios.mapped("room_lines"):
            problems.append("cancelled but its folio still bills rooms")
    else:
        wanted = Counter()
        for stay in booking["room_stays"]:
            wanted[stay["room_type"], stay["arrival"], stay["departure"]] += stay["units"]
        if not held:
            nights = {(room_type, night) for room_type, arrival, departure in wanted
                      for night in _nights(arrival, departure)}
            conflict = env["phobs.conflict"].search_count([
                ("phobs_reservation_id", "=", binding.id), ("kind", "=", "overbooking"),
                ("state", "=", "open")])
            if binding.sync_state == "conflict" and reservations and conflict:
                # Placed when the channels had sold more rooms than the hotel has (Phobs sold
                # from a value sent before the front desk's latest sale reached it): in the
                # front desk without a room, an overbooking conflict for staff. Counted apart.
                report["overbooked"].append({"booking": booking["id"],
                                             "still_oversold": bool(nights & oversold)})
            else:
                report["lost"].append({"booking": booking["id"], "why": "holds no room (%s)"
                                       % binding.sync_state})
            return
        extra = held - wanted
        if extra and not wanted - held:
            report["duplicated"].append({"booking": booking["id"], "extra rooms": sorted(extra)})
        elif held != wanted:
            problems.append("rooms %s, Phobs sold %s" % (sorted(held.items()),
                                                         sorted(wanted.items())))
        if len(folios) > 1:
            report["duplicated"].append({"booking": booking["id"], "folios": len(folios)})
        elif not folios:
            problems.append("no folio")
        elif Decimal(str(folios.amount_total)).quantize(CENT) != Decimal(
                booking["total"]).quantize(CENT):
            problems.append("folio %.2f, Phobs total %s" % (folios.amount_total,
                                                             booking["total"]))
    if problems:
        report["wrong"].append({"booking": booking["id"], "problems": problems})


def _audit_messages(env, backend, sandbox, hotel_code):
    acked = [m["id"] for m in sandbox.messages(hotel_code, "acked")]
    stored = {m["message_id"]: m["state"] for m in env["phobs.message"].search_read(
        [("backend_id", "=", backend.id), ("direction", "=", "in")], ["message_id", "state"])}
    return {
        "messages_acked": len(acked),
        "acked_not_stored": [m for m in acked if m not in stored],
        "acked_not_applied": [m for m in acked if stored.get(m) not in (None, "processed",
                                                                         "ignored")],
        "pending_at_phobs": len(sandbox.messages(hotel_code, "pending")),
    }


def _audit_availability(env, backend, sandbox, hotel_code, tz, horizon_days):
    """Night by night: the sandbox's BookingLimit against the front desk's free rooms (rooms
    in service minus rooms held that night minus channel bookings waiting for a room)."""
    first = date.today()
    last = first + timedelta(days=horizon_days - 1)
    days = [first + timedelta(days=n) for n in range(horizon_days)]
    wrong = []
    for room_type in backend._phobs_room_types():
        code = room_type.phobs_code
        rooms = env["hotel.room"].search([("room_categ_id", "=", room_type.id),
                                          ("phobs_out_of_service", "=", False)])
        busy = {day: set() for day in days}
        for line in env["hotel.room.reservation.line"].search([
                ("room_id", "in", rooms.ids), ("reservation_id.state", "in", OCCUPYING)]):
            arrival, departure = stay_dates(line.check_in, line.check_out, tz)
            for offset in range((departure - arrival).days):
                night = arrival + timedelta(days=offset)
                if night in busy:
                    busy[night].add(line.room_id.id)
        waiting = Counter()
        for stay in env["phobs.reservation.stay"].search([
                ("reservation_id.backend_id", "=", backend.id), ("room_type_code", "=", code),
                ("reservation_id.sync_state", "=", "conflict")]):
            arrival, departure = date.fromisoformat(stay.arrival), date.fromisoformat(
                stay.departure)
            for offset in range((departure - arrival).days):
                waiting[arrival + timedelta(days=offset)] += stay.units
        held = sandbox.availability(hotel_code, code, first, last)
        for day in days:
            free = max(0, len(rooms) - len(busy[day]) - waiting[day])
            if held[str(day)] != free:
                wrong.append({"room_type": code, "night": str(day), "front_desk": free,
                              "phobs": held[str(day)]})
    return wrong
