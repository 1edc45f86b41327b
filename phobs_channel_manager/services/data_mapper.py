"""PhobsDataMapperService: OTA records <-> the plain values our models store. Pure functions.

Nothing here touches the database: the model layer turns codes (currency, channel) into records.
Datetimes become naive UTC (how Odoo stores them); stay dates stay hotel-local dates.
"""
from datetime import timedelta, timezone

from ..phobs_api.records import AGE_ADULT, ResStatus

SERVER_DATETIME = "%Y-%m-%d %H:%M:%S"
SERVER_DATE = "%Y-%m-%d"


def to_server_datetime(value):
    """An aware datetime as Odoo's naive-UTC string; ``False`` when absent."""
    if value is None:
        return False
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
    return value.strftime(SERVER_DATETIME)


def to_server_date(value):
    return value.strftime(SERVER_DATE) if value else False


def guest_counts(stay):
    """(adults, children, child ages) of a room stay; unknown age codes count as adults."""
    adults = children = 0
    ages = []
    for count in stay.guest_counts:
        if count.age_code == AGE_ADULT or count.age_code not in ("7", "8"):
            adults += count.count
        else:
            children += count.count
            if count.age is not None:
                ages.extend([count.age] * count.count)
    return adults, children, ages


def primary_guest(reservation):
    primary = [guest for guest in reservation.guests if guest.primary]
    return (primary or list(reservation.guests) or [None])[0]


def guest_display_name(guest):
    if guest is None:
        return False
    name = " ".join(part for part in (guest.given_name, guest.surname) if part)
    return name or guest.email or False


def stay_values(stay):
    adults, children, ages = guest_counts(stay)
    return {
        "room_type_code": stay.room_type_code,
        "rate_plan_code": stay.rate_plan_code or False,
        "arrival": to_server_date(stay.arrival),
        "departure": to_server_date(stay.departure),
        "units": stay.units or 1,
        "adults": adults,
        "children": children,
        "child_ages": ",".join(str(age) for age in ages) or False,
        "amount": float(stay.total) if stay.total is not None else 0.0,
    }


def reservation_values(reservation):
    """The binding's values for one delivered version (stays as plain dicts under ``stays``)."""
    guest = primary_guest(reservation)
    stays = [stay_values(stay) for stay in reservation.room_stays]
    total = reservation.total
    if total is None and reservation.room_stays:
        known = [stay.total for stay in reservation.room_stays if stay.total is not None]
        total = sum(known) if known else None
    card = reservation.payment_card
    return {
        "external_id": reservation.reservation_id,
        "status": ResStatus(reservation.status).value,
        "version_at": to_server_datetime(reservation.version),
        "booked_at": to_server_datetime(reservation.created_at),
        "channel_booking_id": reservation.channel_booking_id or False,
        "arrival": to_server_date(reservation.arrival),
        "departure": to_server_date(reservation.departure),
        "guest_name": guest_display_name(guest),
        "guest_email": (guest.email if guest else None) or False,
        "guest_phone": (guest.phone if guest else None) or False,
        "guest_country_code": (guest.country_code if guest else None) or False,
        "adults": sum(stay["adults"] * stay["units"] for stay in stays),
        "children": sum(stay["children"] * stay["units"] for stay in stays),
        "amount_total": float(total) if total is not None else 0.0,
        "currency_code": reservation.currency or next(
            (stay.currency for stay in reservation.room_stays if stay.currency), None),
        "special_requests": reservation.special_requests or False,
        "payment_card": " ".join(
            part for part in (card.card_type, card.masked_number) if part) if card else False,
        "channel_code": reservation.channel_code,
        "channel_name": reservation.channel_name,
        "stays": stays,
    }


def nights(date_from, date_to):
    """Every night of a stay: arrival included, departure excluded."""
    day = date_from
    while day < date_to:
        yield day
        day += timedelta(days=1)
