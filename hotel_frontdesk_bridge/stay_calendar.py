"""Hotel-local stay dates <-> the UTC datetimes the OCA front desk stores. Framework-free.

A stay's nights are hotel-local dates; the front desk stores check-in and check-out instants.
Check-in is at ``CHECKIN_HOUR`` and check-out at ``CHECKOUT_HOUR`` local time, so that a
departure and the next arrival on the same day do not overlap.
"""
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

CHECKIN_HOUR = 14
CHECKOUT_HOUR = 11
SERVER_FORMAT = "%Y-%m-%d %H:%M:%S"


def _zone(tz_name):
    return ZoneInfo(tz_name or "UTC")


def utc_instant(day, hour, tz_name):
    """The naive UTC datetime string of ``hour``:00 local time on ``day``."""
    local = datetime.combine(day, time(hour)).replace(tzinfo=_zone(tz_name))
    return local.astimezone(timezone.utc).replace(tzinfo=None).strftime(SERVER_FORMAT)


def checkin_instant(day, tz_name):
    return utc_instant(day, CHECKIN_HOUR, tz_name)


def checkout_instant(day, tz_name):
    return utc_instant(day, CHECKOUT_HOUR, tz_name)


@lru_cache(maxsize=4096)  # stays share their instants: a year has 365 check-in times
def local_date(server_datetime, tz_name):
    """The hotel-local date of a naive UTC datetime (string or datetime)."""
    if isinstance(server_datetime, str):
        server_datetime = datetime.strptime(server_datetime[:19], SERVER_FORMAT)
    return server_datetime.replace(tzinfo=timezone.utc).astimezone(_zone(tz_name)).date()


def stay_dates(checkin, checkout, tz_name):
    """(arrival, departure) local dates of a stored stay; a same-day stay holds one night."""
    arrival = local_date(checkin, tz_name)
    departure = local_date(checkout, tz_name)
    return arrival, max(departure, arrival + timedelta(days=1))
