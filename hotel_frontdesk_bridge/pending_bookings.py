"""Rooms taken by channel bookings Odoo has stored but not yet applied to the front desk.

Phobs takes a room off its availability the moment a channel sells it; until the front desk
holds that booking, a value computed from the front desk alone would tell Phobs the room is
free again. Such a booking therefore counts as taking its rooms, by the difference from what the
front desk already holds for it: its newest stored version against the applied one (a version
older than the applied one counts nothing, a cancellation frees nothing until applied).

Framework-free: stays are ``(room type code, arrival, departure, units)`` with ISO dates,
departure excluded (as ``phobs.message.room_stays`` stores them).
"""
from collections import Counter
from datetime import date, timedelta


def nights_taken(stays):
    """``Counter({(code, night): units})`` of ``[(code, arrival, departure, units)]``."""
    taken = Counter()
    for code, arrival, departure, units in stays or ():
        night, end = _day(arrival), _day(departure)
        while night < end:
            taken[code, night] += units or 0
            night += timedelta(days=1)
    return taken


def pending_rooms(bookings):
    """``Counter({(code, night): units})`` the stored, unapplied versions take beyond what the
    front desk holds for the same bookings.

    ``bookings``: ``[(stored stays, applied stays)]``, one per booking with its newest stored
    version (stored stays None or empty for a cancellation; applied stays None or empty when
    the front desk holds nothing for it)."""
    pending = Counter()
    for stored, applied in bookings:
        held = nights_taken(applied)
        for key, units in nights_taken(stored).items():
            extra = units - held[key]
            if extra > 0:
                pending[key] += extra
    return pending


def _day(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
