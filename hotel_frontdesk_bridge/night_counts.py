"""Rooms free per night of a room type, from the stays that hold its rooms.

Framework-free. Each stay is walked over its own nights, so a year's horizon costs the nights
booked, not (nights of the horizon) x (stays): a chain's audit counts a year of 60-room hotels.
"""
from datetime import timedelta

ONE_DAY = timedelta(days=1)


def free_per_night(room_count, placed, waiting, first, last):
    """``{day: rooms free}`` for every night of ``[first, last]``: ``room_count`` minus the
    rooms some placed stay holds that night (a room counts once however many stays overlap on
    it) minus the units of stays waiting for a room (open overbookings).

    ``placed``: objects with ``room``, ``arrival`` and ``departure`` (departure night excluded);
    ``waiting``: ``(arrival, departure, units)`` tuples.
    """
    busy, short = {}, {}
    for stay in placed:
        for day in _nights(stay.arrival, stay.departure, first, last):
            busy.setdefault(day, set()).add(stay.room)
    for arrival, departure, units in waiting:
        for day in _nights(arrival, departure, first, last):
            short[day] = short.get(day, 0) + units
    free, day = {}, first
    while day <= last:
        free[day] = room_count - len(busy.get(day, ())) - short.get(day, 0)
        day += ONE_DAY
    return free


def _nights(arrival, departure, first, last):
    day, end = max(arrival, first), min(departure, last + ONE_DAY)
    while day < end:
        yield day
        day += ONE_DAY
