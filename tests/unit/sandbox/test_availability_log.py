"""The BookingLimit log the soak reads to tell why a room was sold twice (--log-availability)."""
from phobs_sandbox.state import Store

from .conftest import day

HOTEL = {"code": "HTL1", "name": "Hotel", "currency": "EUR", "timezone": "UTC",
         "default_rate": "100.00", "room_types": [{"code": "DBL", "name": "Double", "units": 5}],
         "rate_plans": [{"code": "BAR", "name": "Best Available Rate", "room_types": ["DBL"]}]}


def test_every_change_is_logged_with_what_made_it_only_when_asked():
    store = Store(log_availability=True)
    store.put_hotel(HOTEL)
    store.set_availability("HTL1", "DBL", [day(3), day(4)], 2, ref="echo-1")
    store.adjust_availability("HTL1", "DBL", day(3), -1, "channel", "R-1:1")

    rows = [(r["day"], r["booking_limit"], r["delta"], r["source"], r["ref"])
            for r in store.availability_log("HTL1")]
    assert rows == [(day(3), 2, None, "ota", "echo-1"), (day(4), 2, None, "ota", "echo-1"),
                    (day(3), 1, -1, "channel", "R-1:1")]
    assert [r["seq"] for r in store.availability_log("HTL1", since=2)] == [3]

    quiet = Store()
    quiet.put_hotel(HOTEL)
    quiet.set_availability("HTL1", "DBL", [day(3)], 2)
    assert quiet.availability_log("HTL1") == []
