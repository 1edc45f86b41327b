"""Reading the room stays and guests of a delivered ``HotelReservation``, leniently.

Codes on ``RoomRate`` or ``RoomType``; dates from ``TimeSpan`` (``End`` or a ``Duration`` in
nights), else from the rates, else from ``ResGlobalInfo/TimeSpan``; guest counts by
``AgeQualifyingCode`` or by ``Age`` alone; ``ResGuestRPHs`` as a 2016B list or as older
``ResGuestRPH`` children.
"""
from __future__ import annotations

import re
from datetime import timedelta
from typing import Iterable

from lxml import etree

from ..errors import PhobsProtocolError
from ..records import AGE_ADULT, AGE_CHILD, Guest, GuestCount, RoomStay
from ..xml import child, children, descendants, text_of
from .common import parse_bool, parse_date, parse_int, required
from .reservation_amounts import amount_of, parse_room_rates

#: A guest counted by ``Age`` alone, without an ``AgeQualifyingCode``, is a child below this.
ADULT_AGE = 18
_TAG = re.compile(r"<[^<>]*>")
_NIGHTS = re.compile(r"^P(\d{1,4})[DN]$")


def plain_text(value: str | None, limit: int = 128) -> str | None:
    """Text a sender may fill with anything, as plain text: markup tags and control
    characters removed, whitespace collapsed, cut to the schema's length."""
    if not value:
        return None
    value = _TAG.sub(" ", value)
    value = "".join(ch if ch.isprintable() else " " for ch in value)
    value = " ".join(value.replace("<", " ").replace(">", " ").split())
    return value[:limit] or None


def parse_room_stay(el: etree._Element, where: str,
                     global_span: etree._Element | None) -> RoomStay:
    room_rate = child(el, "RoomRates/RoomRate")
    room_type_code = required(_attr(room_rate, "RoomTypeCode")
                              or _attr(child(el, "RoomTypes/RoomType"), "RoomTypeCode"),
                              f"{where}: RoomTypeCode")
    rate_plan_code = (_attr(room_rate, "RatePlanCode")
                      or _attr(child(el, "RatePlans/RatePlan"), "RatePlanCode"))
    daily_rates = parse_room_rates(el, where)
    arrival, departure = _span(child(el, "TimeSpan"), f"{where}: TimeSpan")
    arrival = arrival or min((r.start for r in daily_rates), default=None)
    departure = departure or max((r.end_exclusive for r in daily_rates), default=None)
    if arrival is None or departure is None:
        arrival, departure = _span(global_span, f"{where}: ResGlobalInfo TimeSpan")
    if arrival is None or departure is None:
        raise PhobsProtocolError(f"{where}: no TimeSpan Start/End and no rates to infer them")
    if departure <= arrival:
        raise PhobsProtocolError(f"{where}: departure {departure} is not after arrival {arrival}")
    for index, rate in enumerate(daily_rates, start=1):
        if rate.start < arrival or rate.end_exclusive > departure:
            raise PhobsProtocolError(
                f"{where}: Rate {index} ({rate.start} to {rate.end_exclusive}) lies outside the "
                f"stay ({arrival} to {departure})")
    units = parse_int(_attr(room_rate, "NumberOfUnits")
                      or _attr(child(el, "RoomTypes/RoomType"), "NumberOfUnits"),
                      f"{where}: NumberOfUnits", minimum=1)
    total, currency = amount_of(child(el, "Total"), f"{where}: Total")
    return RoomStay(
        room_type_code=room_type_code,
        rate_plan_code=rate_plan_code,
        arrival=arrival,
        departure=departure,
        units=units or 1,
        guest_counts=tuple(parse_guest_counts(el, where)),
        daily_rates=daily_rates,
        total=total,
        currency=currency,
        guest_rphs=_guest_rphs(child(el, "ResGuestRPHs")),
    )


def _span(span: etree._Element | None, what: str):
    """``(start, end)`` of a ``TimeSpan``: ``End``, or ``Duration`` in nights (``P3N``/``P3D``)."""
    if span is None:
        return None, None
    start = parse_date(_attr(span, "Start"), f"{what} Start")
    end = parse_date(_attr(span, "End"), f"{what} End")
    duration = _attr(span, "Duration")
    if start and end is None and duration:
        match = _NIGHTS.match(duration)
        if not match:
            raise PhobsProtocolError(f"{what} Duration {duration!r} is not a number of nights")
        end = start + timedelta(days=int(match.group(1)))
    return start, end


def parse_guest_counts(parent: etree._Element | None, where: str) -> Iterable[GuestCount]:
    """Counts by ``AgeQualifyingCode``; a count with only an ``Age`` is a child under 18."""
    for el in descendants(parent, "GuestCounts/GuestCount"):
        count = parse_int(el.get("Count"), f"{where}: GuestCount Count")
        if count == 0:
            continue
        age = parse_int(el.get("Age"), f"{where}: GuestCount Age")
        code = _attr(el, "AgeQualifyingCode")
        if code is None:
            code = AGE_CHILD if age is not None and age < ADULT_AGE else AGE_ADULT
        yield GuestCount(age_code=code, count=1 if count is None else count, age=age)


def _guest_rphs(el: etree._Element | None) -> tuple[str, ...]:
    """2016B list form ``<ResGuestRPHs>1 2</ResGuestRPHs>`` or older ``ResGuestRPH`` children."""
    if el is None:
        return ()
    listed = (el.text or "").split()
    older = [rph.get("RPH").strip() for rph in children(el, "ResGuestRPH") if rph.get("RPH")]
    return tuple(listed + older)


def parse_guest(el: etree._Element) -> Guest:
    customer = child(el, "Profiles/ProfileInfo/Profile/Customer")
    name = child(customer, "PersonName")
    address = child(customer, "Address")
    return Guest(
        rph=_attr(el, "ResGuestRPH"),
        primary=parse_bool(el.get("PrimaryIndicator")),
        given_name=text_of(child(name, "GivenName")),
        surname=text_of(child(name, "Surname")),
        email=text_of(child(customer, "Email")),
        phone=_attr(child(customer, "Telephone"), "PhoneNumber"),
        address_lines=tuple(filter(None, map(text_of, children(address, "AddressLine")))),
        city=text_of(child(address, "CityName")),
        postal_code=text_of(child(address, "PostalCode")),
        country_code=(_attr(child(address, "CountryName"), "Code") or "").upper() or None,
    )


def _attr(el: etree._Element | None, name: str) -> str | None:
    return ((el.get(name) if el is not None else None) or "").strip() or None
