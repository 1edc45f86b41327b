"""PhobsDataMapperService: OTA records <-> the plain values our models store. Pure functions.

Nothing here touches the database: the model layer turns codes (currency, channel) into records.
Datetimes become naive UTC (how Odoo stores them); stay dates stay hotel-local dates. Amounts come
from :mod:`nightly_prices`, so the stays' nights always total the booking's amount_total.
"""
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from ..phobs_api.dates import days_between, last_night
from ..phobs_api.records import AGE_ADULT, ResStatus
from .nightly_prices import PricingError, price_plan  # noqa: F401 (PricingError for callers)

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
    """(adults, children, child ages) of a room stay (or of a booking's global counts);
    infants (7) and children (8) are children, every other age code counts as adults."""
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


def stay_values(stay, units=None, nights=(), guest_names=False):
    """One stay row; ``units`` and ``nights`` (night, price of one room) from the price plan."""
    adults, children, ages = guest_counts(stay)
    units = units or stay.units or 1
    return {
        "room_type_code": stay.room_type_code,
        "rate_plan_code": stay.rate_plan_code or False,
        "arrival": to_server_date(stay.arrival),
        "departure": to_server_date(stay.departure),
        "units": units,
        "adults": adults,
        "children": children,
        "child_ages": ",".join(str(age) for age in ages) or False,
        "amount": float(sum((amount for _night, amount in nights), Decimal(0)) * units),
        "guest_names": guest_names or False,
        "nights": [{"night": to_server_date(night), "amount": float(amount)}
                   for night, amount in nights],
    }


def priced_stays(reservation, plan):
    """The stay rows of a booking: one per priced group of rooms (see nightly_prices), the
    booking's global guest counts on its first stay when no stay gives its own."""
    stays = []
    global_counts = reservation.guest_counts and not any(
        stay.guest_counts for stay in reservation.room_stays)
    for index, priced in enumerate(plan.stays):
        stay = priced.stay
        if global_counts and index == 0:
            stay = replace(stay, guest_counts=reservation.guest_counts)
        names = _guest_names(reservation, stay)
        for group in priced.groups:
            stays.append(stay_values(stay, group.units, group.nights, names))
    return stays


def _guest_names(reservation, stay):
    guests = [g for g in reservation.guests if g.rph and g.rph in stay.guest_rphs]
    if not stay.guest_rphs and len(reservation.room_stays) == 1:
        guests = list(reservation.guests)
    return ", ".join(filter(None, map(guest_display_name, guests))) or False


def card_expiry(mmyy):
    """``MMYY`` as staff read it, ``MM/YY``."""
    return "%s/%s" % (mmyy[:2], mmyy[2:]) if mmyy and len(mmyy) == 4 else False


def reservation_values(reservation):
    """The binding's values for one delivered version (stays as plain dicts under ``stays``,
    each with its ``nights``). Raises :class:`nightly_prices.PricingError` for amounts that
    contradict each other."""
    guest = primary_guest(reservation)
    plan = price_plan(reservation)
    stays = priced_stays(reservation, plan)
    card = reservation.payment_card
    if stays:
        adults = sum(stay["adults"] * stay["units"] for stay in stays)
        children = sum(stay["children"] * stay["units"] for stay in stays)
    else:
        adults, children, _ages = guest_counts(reservation)
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
        "guest_street": ", ".join(guest.address_lines) if guest and guest.address_lines
        else False,
        "guest_city": (guest.city if guest else None) or False,
        "guest_zip": (guest.postal_code if guest else None) or False,
        "adults": adults,
        "children": children,
        "amount_total": float(plan.total),
        "currency_code": plan.currency,
        "special_requests": reservation.special_requests or False,
        "comments": reservation.comments or False,
        "payment_card": " ".join(
            part for part in (card.card_type, card.masked_number) if part) or False
        if card else False,
        "card_type": (card.card_type if card else None) or False,
        "card_holder": (card.holder if card else None) or False,
        "card_last4": (card.last4 if card else None) or False,
        "card_expiry": card_expiry(card.expire if card else None),
        "penalty_amount": float(reservation.penalty_amount)
        if reservation.penalty_amount is not None else 0.0,
        "channel_code": reservation.channel_code or False,
        "channel_name": reservation.channel_name or False,
        "stays": stays,
    }


def nights(date_from, date_to):
    """Every night of a stay: arrival included, departure excluded."""
    day = date_from
    while day < date_to:
        yield day
        day += timedelta(days=1)


def nights_between(arrival, departure):
    """The nights of server-format dates ``arrival``..``departure`` as server-format dates."""
    start, end = (datetime.strptime(value, SERVER_DATE).date() for value in (arrival, departure))
    return [to_server_date(day) for day in days_between(start, last_night(end))]
