"""Days and timestamps: hotel-local days as ISO strings, timestamps always with their offset."""
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def day_range(start, end):
    """ISO days from ``start`` to ``end``, both included (the OTA Start/End convention)."""
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def nights(stay):
    """The days a stay occupies: arrival up to, not including, departure."""
    return day_range(date.fromisoformat(stay["arrival"]),
                     date.fromisoformat(stay["departure"]) - timedelta(days=1))


def utc_stamp():
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def hotel_today(hotel):
    return datetime.now(ZoneInfo(hotel["timezone"])).date()


def hotel_stamp(hotel, after=None):
    """Now in the hotel's zone, to the second; strictly later than ``after`` so versions order."""
    now = datetime.now(ZoneInfo(hotel["timezone"])).replace(microsecond=0)
    if after is not None:
        now = max(now, datetime.fromisoformat(after) + timedelta(seconds=1))
    return now.isoformat()
