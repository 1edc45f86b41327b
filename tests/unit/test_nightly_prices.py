"""Nightly prices: whatever forms the amounts come in, the nights total the OTA total exactly."""
import random
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from phobs_channel_manager.phobs_api.records import DailyRate, Reservation, ResStatus, RoomStay
from phobs_channel_manager.services.nightly_prices import PricingError, price_plan

START = date(2027, 1, 10)


def make_reservation():
    return Reservation(reservation_id="R-1", status=ResStatus.BOOK, message_id="M-1")


def random_stay(rng, index):
    nights = rng.randint(1, 9)
    arrival = START + timedelta(days=rng.randint(0, 5))
    departure = arrival + timedelta(days=nights)
    rates = []
    form = rng.choice(["night", "block", "span", "none"])
    if form == "night":
        rates = [DailyRate(arrival + timedelta(days=n), arrival + timedelta(days=n + 1),
                           Decimal(rng.randint(1000, 30000)) / 100, "EUR") for n in range(nights)]
    elif form == "span":
        rates = [DailyRate(arrival, departure, Decimal(rng.randint(1000, 90000)) / 1000, "EUR",
                           unit_nights=None)]
    elif form == "block" and nights % 2 == 0:
        rates = [DailyRate(arrival, departure, Decimal(rng.randint(1000, 30000)) / 100, "EUR",
                           unit_nights=2)]
    total = Decimal(rng.randint(1000, 200000)) / 100 if rng.random() < 0.4 else None
    return RoomStay(room_type_code="T%d" % index, rate_plan_code=None, arrival=arrival,
                    departure=departure, units=rng.randint(1, 4), daily_rates=tuple(rates),
                    total=total, currency="EUR" if total is not None else None)


@pytest.mark.parametrize("seed", range(300))
def test_nights_times_rooms_equal_the_total_exactly(seed):
    rng = random.Random(seed)
    stays = tuple(random_stay(rng, i) for i in range(rng.randint(1, 4)))
    priced = [s for s in stays if s.daily_rates or s.total is not None]
    total = (Decimal(rng.randint(priced and 0 or 1000, 500000)) / 100
             if rng.random() < 0.5 or not priced else None)
    reservation = replace(make_reservation(), room_stays=stays, total=total, currency="EUR")
    try:
        plan = price_plan(reservation)
    except PricingError as err:
        assert "less than" in str(err)
        return
    nights = sum(amount * group.units for stay in plan.stays for group in stay.groups
                 for _night, amount in group.nights)
    assert nights == plan.total
    assert all(amount >= 0 and amount == amount.quantize(Decimal("0.01"))
               for stay in plan.stays for group in stay.groups for _n, amount in group.nights)
    if total is not None:
        assert plan.total == total
    for priced_stay in plan.stays:
        assert sum(g.units for g in priced_stay.groups) == priced_stay.stay.units
        for group in priced_stay.groups:
            assert [n for n, _a in group.nights] == [
                priced_stay.stay.arrival + timedelta(days=k)
                for k in range((priced_stay.stay.departure - priced_stay.stay.arrival).days)]


def test_rounding_remainder_is_on_the_last_night():
    stay = RoomStay("DBL", None, START, START + timedelta(days=3), total=Decimal("100.00"))
    plan = price_plan(replace(make_reservation(), room_stays=(stay,), total=None))
    assert [a for _n, a in plan.stays[0].groups[0].nights] == [
        Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_three_decimal_currencies_keep_their_minor_unit():
    stay = RoomStay("DBL", None, START, START + timedelta(days=3), total=Decimal("10.000"),
                    currency="KWD")
    plan = price_plan(replace(make_reservation(), room_stays=(stay,), total=None, currency=None))
    assert [a for _n, a in plan.stays[0].groups[0].nights] == [
        Decimal("3.333"), Decimal("3.333"), Decimal("3.334")]


def test_a_booking_without_stays_sells_nothing():
    cancel = replace(make_reservation(), status=ResStatus.CANCEL, total=Decimal("200.00"),
                     currency="EUR")
    plan = price_plan(cancel)
    assert (plan.total, plan.stays, plan.currency) == (Decimal(0), (), "EUR")
