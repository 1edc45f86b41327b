"""Why each overbooking of the soak happened, from the sandbox's BookingLimit log and the
times Odoo stored and applied each message.

For a channel booking the front desk could not place, its sale's nights are replayed in the
log of its room type: was the night free by Phobs's own bookings (then the front desk took the
room and Phobs did not know yet), or had a value we sent told Phobs that sold rooms were free?
For such a value, the sales it did not count (their live version's rooms above what Odoo had
applied of the booking when the value reached Phobs) say the cause:

- ``stored_unapplied``: Odoo had stored the sale's message but not applied it;
- ``in_flight``: the sale was at Phobs, not yet stored in Odoo (or sold while the value was
  on its way: the value's computation time is not known here, only its arrival);
- ``front_desk``: Phobs's own bookings left the room free, and a front-desk booking of those
  nights reached Phobs (as an upload) only after the sale: a race with a walk-in that no value
  can close;
- ``one_room_for_the_stay``: Phobs's own bookings left a room on every night, and no front-desk
  booking was on its way, but no one room was free for the whole stay (guests already in
  house are not moved): availability is counted per night;
- ``applied_before_arrival``: every uncounted sale was applied before the value arrived (the
  value was computed before it was applied);
- ``other``: none of these.
"""
from collections import Counter, defaultdict
from datetime import datetime, timezone

CAUSES = ("stored_unapplied", "in_flight", "front_desk", "one_room_for_the_stay",
          "applied_before_arrival", "other")
#: How long after a channel sale a front-desk booking of the same nights may reach Phobs and
#: still count as the walk-in the sale raced with.
UPLOAD_RACE_S = 300


def classify(env, backend, sandbox, hotel_code, overbooked, rooms):
    log = sandbox.call("GET", "/hotels/%s/availability-log" % hotel_code)["log"]
    bookings = {b["id"]: b for b in sandbox.call("GET", "/bookings",
                                                 params={"hotel": hotel_code})["bookings"]}
    versions = {(m["reservation_id"], m["version"]): m["id"]
                for m in sandbox.messages(hotel_code)}
    stored = {row["message_id"]: row for row in env["phobs.message"].search_read(
        [("backend_id", "=", backend.id), ("direction", "=", "in")],
        ["message_id", "create_date", "write_date", "state"])}
    by_night = defaultdict(list)
    for row in log:
        by_night[row["room_type"], row["day"]].append(row)
    details, counts = [], Counter()
    for entry in overbooked:
        booking = bookings.get(entry["booking"])
        detail = _explain(booking, by_night, versions, stored, rooms) if booking else {
            "cause": "other", "why": "not at Phobs"}
        detail["booking"] = entry["booking"]
        counts[detail["cause"]] += 1
        details.append(detail)
    return {cause: counts[cause] for cause in CAUSES}, details


def _explain(booking, by_night, versions, stored, rooms):
    ref = "%s:%s" % (booking["id"], booking["version"])
    sales = [row for rows in by_night.values() for row in rows
             if row["ref"] == ref and (row["delta"] or 0) < 0]
    if not sales:
        return {"cause": "other", "why": "no sale of version %s in the log" % ref}
    for sale in sorted(sales, key=lambda row: row["seq"]):
        night = by_night[sale["room_type"], sale["day"]]
        before = [row for row in night if row["seq"] < sale["seq"]]
        free_by_phobs = rooms[sale["room_type"]] - _sold(before)
        if free_by_phobs >= -sale["delta"]:
            continue  # this night was free by Phobs's own books
        sets = [row for row in before if row["source"] == "ota"]
        if not sets:
            return {"cause": "other", "why": "no value sent before the sale"}
        value = sets[-1]
        at_set = [row for row in night if row["seq"] < value["seq"]]
        excess = value["booking_limit"] - (rooms[sale["room_type"]] - _sold(at_set))
        uncounted = _uncounted(at_set, value["at"], versions, stored)
        causes = {item["cause"] for item in uncounted}
        cause = next((c for c in ("stored_unapplied", "in_flight", "applied_before_arrival")
                      if c in causes), "other")
        return {"cause": cause, "room_type": sale["room_type"], "night": sale["day"],
                "sold_at": sale["at"], "value": value["booking_limit"], "value_at": value["at"],
                "excess": excess, "uncounted": uncounted}
    uploads = [row for sale in sales for row in by_night[sale["room_type"], sale["day"]]
               if row["source"] == "upload" and row["delta"] < 0
               and 0 <= row["at"] - sale["at"] <= UPLOAD_RACE_S]
    if uploads:
        return {"cause": "front_desk", "why": "free by Phobs's own bookings; front-desk booking "
                "%s reached Phobs %.1f s after the sale" % (
                    uploads[0]["ref"], uploads[0]["at"] - sales[0]["at"])}
    return {"cause": "one_room_for_the_stay", "why": "a room free on every night at Phobs, "
            "none for the whole stay"}


def _sold(rows):
    return -sum(row["delta"] for row in rows if row["source"] != "ota")


def _uncounted(rows, at, versions, stored):
    """The causes of the sales live at ``at`` whose rooms Odoo had not applied then."""
    live, taken = {}, defaultdict(int)  # reservation -> live version; (res, version) -> units
    for row in rows:
        if row["source"] != "channel":
            continue
        reservation, version = row["ref"].rsplit(":", 1)
        taken[reservation, int(version)] -= row["delta"]
        if row["delta"] < 0:
            live[reservation] = int(version)
    causes = []  # per uncounted sale: its cause, and how long before the value's arrival
    # it was sold, stored and applied (negative: after), in seconds
    sold_at = {row["ref"]: row["at"] for row in rows if row["source"] == "channel"
               and row["delta"] < 0}
    for reservation, version in live.items():
        units = taken[reservation, version]
        if units <= 0:
            continue
        applied = 0
        state = "in_flight"
        for older in range(version, 0, -1):
            message = stored.get(versions.get((reservation, older)))
            if message is None or _epoch(message["create_date"]) > at:
                continue
            done = message["state"] in ("processed", "ignored")
            if done and _epoch(message["write_date"]) <= at:
                applied = _units_of(rows, reservation, older)
                if older == version:
                    state = "applied_before_arrival"
                break
            if older == version:
                state = "stored_unapplied"
        if units > applied:
            message = stored.get(versions.get((reservation, version))) or {}
            causes.append({
                "cause": state, "reservation": reservation, "version": version,
                "sold_s": round(at - sold_at.get("%s:%s" % (reservation, version), at), 1),
                "stored_s": message and round(at - _epoch(message["create_date"]), 1),
                "applied_s": message and round(at - _epoch(message["write_date"]), 1)})
    return causes


def _units_of(rows, reservation, version):
    ref = "%s:%s" % (reservation, version)
    return -sum(row["delta"] for row in rows if row["ref"] == ref and row["delta"] < 0)


def _epoch(value):
    return datetime.strptime(value[:19], "%Y-%m-%d %H:%M:%S").replace(
        tzinfo=timezone.utc).timestamp()
