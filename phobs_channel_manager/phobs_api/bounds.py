"""Sanity bounds of a delivered reservation, checked before anything of it is stored.

A well-formed booking can still be absurd: a stay ending in 9999 would hold a room for ever, a
stay in 1900 would be confirmed, an amount of 1e400 cannot become money, a 5,000-character id
is no id. :func:`check` names the first such problem in words staff and Phobs can act on; the
caller refuses the delivery with it (OTA error 450) and applies nothing.

Id and code lengths are the OTA 2016B schema's: ``UniqueID/@ID``, ``CompanyName/@Code`` 1-32,
``HotelReservationID/@ResID_Value`` 1-64, ``RoomTypeCode`` and ``HotelCode`` 1-16,
``RatePlanCode`` 1-64.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .records import Reservation


@dataclass(frozen=True)
class BoundsPolicy:
    """The limits, per backend; the defaults are those of the documentation (README)."""

    past_days: int = 365
    future_days: int = 730
    max_nights: int = 90
    max_amount: Decimal = Decimal(10) ** 9
    max_guests: int = 99
    max_units: int = 99


#: (what, schema limit) of each identifier a reservation carries.
ID_LIMITS = {
    "reservation_id": ("reservation id (UniqueID Type 14)", 32),
    "message_id": ("message id (UniqueID Type 16)", 32),
    "channel_booking_id": ("channel booking id (HotelReservationID ResID_Value)", 64),
    "pms_id": ("front-desk id (HotelReservationID ResID_Value)", 64),
    "channel_code": ("channel code (CompanyName Code)", 32),
    "hotel_code": ("hotel code (HotelCode)", 16),
}
STAY_CODE_LIMITS = {
    "room_type_code": ("RoomTypeCode", 16),
    "rate_plan_code": ("RatePlanCode", 64),
}


class OutOfBounds(ValueError):
    """The reason a reservation is refused, as one sentence."""


def check(reservation: Reservation, policy: BoundsPolicy, today: date) -> None:
    """Raises :class:`OutOfBounds` with the first problem found; returns when all is sane."""
    for attribute, (what, limit) in ID_LIMITS.items():
        _check_length(getattr(reservation, attribute), what, limit)
    earliest = today - timedelta(days=policy.past_days)
    latest = today + timedelta(days=policy.future_days)
    for index, stay in enumerate(reservation.room_stays, start=1):
        where = f"room stay {index}"
        for attribute, (what, limit) in STAY_CODE_LIMITS.items():
            _check_length(getattr(stay, attribute), f"{where}: {what}", limit)
        if stay.arrival < earliest or stay.departure > latest:
            raise OutOfBounds(
                f"{where}: {stay.arrival} to {stay.departure} lies outside the dates this "
                f"property accepts ({earliest} to {latest}, {policy.past_days} days back and "
                f"{policy.future_days} ahead; set on the backend)")
        nights = (stay.departure - stay.arrival).days
        if nights > policy.max_nights:
            raise OutOfBounds(f"{where}: {nights} nights exceed the {policy.max_nights} nights "
                              "a stay may last (set on the backend)")
        if not 1 <= stay.units <= policy.max_units:
            raise OutOfBounds(f"{where}: {stay.units} rooms; a room stay books 1 to "
                              f"{policy.max_units}")
        _check_guests(stay.guest_counts, where, policy)
        _check_amount(stay.total, f"{where}: Total", policy)
        for number, rate in enumerate(stay.daily_rates, start=1):
            _check_amount(rate.amount, f"{where}: Rate {number}", policy)
    _check_guests(reservation.guest_counts, "the booking", policy)
    _check_amount(reservation.total, "the booking's Total", policy)
    _check_amount(reservation.penalty_amount, "the cancellation penalty", policy)


def _check_length(value: str | None, what: str, limit: int) -> None:
    if value is not None and not 1 <= len(value) <= limit:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise OutOfBounds(f"{what} {shown!r} has {len(value)} characters; OTA allows 1 to {limit}")


def _check_guests(counts, where: str, policy: BoundsPolicy) -> None:
    total = 0
    for count in counts:
        if not 0 <= count.count <= policy.max_guests:
            raise OutOfBounds(f"{where}: a guest count of {count.count}; 0 to "
                              f"{policy.max_guests} are accepted")
        if count.age is not None and not 0 <= count.age <= 120:
            raise OutOfBounds(f"{where}: a guest aged {count.age}")
        total += count.count
    if total > policy.max_guests:
        raise OutOfBounds(f"{where}: {total} guests; at most {policy.max_guests} are accepted")


def _check_amount(amount: Decimal | None, what: str, policy: BoundsPolicy) -> None:
    if amount is None:
        return
    if not amount.is_finite() or amount < 0 or amount >= policy.max_amount:
        raise OutOfBounds(f"{what} of {amount} is not an amount between 0 and "
                          f"{policy.max_amount:,.0f}")
