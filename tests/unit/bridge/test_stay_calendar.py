from datetime import date

import pytest

from hotel_frontdesk_bridge.stay_calendar import checkin_instant, checkout_instant, local_date, stay_dates


@pytest.mark.parametrize("tz, day, expected", [
    ("UTC", date(2026, 12, 1), "2026-12-01 14:00:00"),
    ("Europe/Zagreb", date(2026, 12, 1), "2026-12-01 13:00:00"),   # CET, UTC+1
    ("Europe/Zagreb", date(2026, 7, 1), "2026-07-01 12:00:00"),    # CEST, UTC+2
    ("America/New_York", date(2026, 12, 1), "2026-12-01 19:00:00"),
    (None, date(2026, 12, 1), "2026-12-01 14:00:00"),
])
def test_checkin_instant_is_local_afternoon_in_utc(tz, day, expected):
    assert checkin_instant(day, tz) == expected


def test_round_trip_of_a_stay_keeps_its_local_dates():
    tz = "Pacific/Auckland"
    checkin = checkin_instant(date(2026, 12, 31), tz)
    checkout = checkout_instant(date(2027, 1, 2), tz)
    assert checkin.startswith("2026-12-31 01:00")  # NZDT is UTC+13
    assert stay_dates(checkin, checkout, tz) == (date(2026, 12, 31), date(2027, 1, 2))


def test_local_date_crosses_midnight_by_zone():
    assert local_date("2026-12-01 23:30:00", "Europe/Zagreb") == date(2026, 12, 2)
    assert local_date("2026-12-01 23:30:00", "UTC") == date(2026, 12, 1)


def test_same_day_stay_counts_one_night():
    assert stay_dates("2026-12-01 08:00:00", "2026-12-01 10:00:00", "UTC") == (
        date(2026, 12, 1), date(2026, 12, 2))
