"""Sanity bounds: each limit just inside is accepted, just outside refused with the reason."""
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from phobs_api_samples import make_reservation
from phobs_channel_manager.phobs_api.bounds import BoundsPolicy, OutOfBounds, check
from phobs_channel_manager.phobs_api.records import DailyRate, GuestCount

TODAY = date(2026, 12, 1)
POLICY = BoundsPolicy()


def one_stay(**stay_changes):
    reservation = make_reservation()
    stay = replace(reservation.room_stays[0], **stay_changes)
    return replace(reservation, room_stays=(stay,))


def dates(arrival, nights):
    return dict(arrival=arrival, departure=arrival + timedelta(days=nights), daily_rates=())


CASES = [
    # (what, inside, outside, reason)
    ("earliest arrival", one_stay(**dates(TODAY - timedelta(days=365), 2)),
     one_stay(**dates(TODAY - timedelta(days=366), 2)), "lies outside the dates"),
    ("latest departure", one_stay(**dates(TODAY + timedelta(days=728), 2)),
     one_stay(**dates(TODAY + timedelta(days=729), 2)), "lies outside the dates"),
    ("nights", one_stay(**dates(TODAY, 90)), one_stay(**dates(TODAY, 91)),
     "91 nights exceed the 90 nights"),
    ("units", one_stay(units=99), one_stay(units=100), "100 rooms"),
    ("guest count", one_stay(guest_counts=(GuestCount("10", 99),)),
     one_stay(guest_counts=(GuestCount("10", 100),)), "a guest count of 100"),
    ("guests per stay", one_stay(guest_counts=(GuestCount("10", 50), GuestCount("8", 49, 4))),
     one_stay(guest_counts=(GuestCount("10", 50), GuestCount("8", 50, 4))), "100 guests"),
    ("booking total", replace(make_reservation(), total=Decimal("999999999.99")),
     replace(make_reservation(), total=Decimal("1000000000")), "Total of 1000000000"),
    ("huge exponent", replace(make_reservation(), total=Decimal("1e8")),
     replace(make_reservation(), total=Decimal("1e400")), "Total of 1E+400"),
    ("rate amount", one_stay(daily_rates=(DailyRate(date(2024, 6, 1), date(2024, 6, 2),
                                                    Decimal("999999999")),)),
     one_stay(daily_rates=(DailyRate(date(2024, 6, 1), date(2024, 6, 2), Decimal("1e9")),)),
     "Rate 1 of 1E+9"),
    ("penalty", replace(make_reservation(), penalty_amount=Decimal("0")),
     replace(make_reservation(), penalty_amount=Decimal("-1")), "cancellation penalty of -1"),
    ("reservation id", replace(make_reservation(), reservation_id="R" * 32),
     replace(make_reservation(), reservation_id="R" * 33), "has 33 characters; OTA allows 1 to 32"),
    ("message id", replace(make_reservation(), message_id="M" * 32),
     replace(make_reservation(), message_id="M" * 5000), "has 5000 characters"),
    ("channel booking id", replace(make_reservation(), channel_booking_id="9" * 64),
     replace(make_reservation(), channel_booking_id="9" * 65), "1 to 64"),
    ("channel code", replace(make_reservation(), channel_code="C" * 32),
     replace(make_reservation(), channel_code="C" * 33), "channel code"),
    ("empty id", replace(make_reservation(), channel_booking_id="4711"),
     replace(make_reservation(), channel_booking_id=""), "has 0 characters"),
    ("room type code", one_stay(room_type_code="D" * 16), one_stay(room_type_code="D" * 17),
     "RoomTypeCode"),
]


@pytest.mark.parametrize("what, inside, outside, reason", CASES, ids=[c[0] for c in CASES])
def test_each_bound(what, inside, outside, reason):
    today = TODAY if "date" in what or "arrival" in what or "departure" in what or \
        what == "nights" else date(2024, 5, 20)
    check(inside, POLICY, today)
    with pytest.raises(OutOfBounds) as refused:
        check(outside, POLICY, today)
    assert reason in str(refused.value)


def test_the_policy_is_configurable():
    long_stay = one_stay(**dates(TODAY, 120))
    with pytest.raises(OutOfBounds):
        check(long_stay, POLICY, TODAY)
    check(long_stay, BoundsPolicy(max_nights=120), TODAY)
    far = one_stay(**dates(TODAY + timedelta(days=1000), 2))
    check(far, BoundsPolicy(future_days=1100), TODAY)
    with pytest.raises(OutOfBounds, match="1100 ahead"):
        check(one_stay(**dates(TODAY + timedelta(days=1099), 2)), BoundsPolicy(future_days=1100),
              TODAY)
