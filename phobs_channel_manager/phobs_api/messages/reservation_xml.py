"""The ``HotelReservation`` element, shared by the pull (``OTA_ResRetrieveRS``), the push and
the upload (``OTA_HotelResNotifRQ``), and the confirmations of ``OTA_NotifReportRQ`` and
``OTA_HotelResNotifRS``.

Building follows OTA 2016B exactly. Reading is lenient about form (older ``ResGuestRPH``
children, ``ResGlobalInfo`` children in any order, codes on ``RoomType`` or ``RoomRate``, the
pre-2006 ``CardNumber`` attribute) and strict about meaning: a reservation without id, with a
departure not after its arrival or with a negative amount is refused with the reason.
Payment cards are cut to their last four digits while reading; builders never send a card.
"""
from __future__ import annotations

from copy import deepcopy
from datetime import timedelta
from typing import Iterable

from lxml import etree

from ..errors import PhobsProtocolError
from ..profile import DialectProfile
from ..records import (
    Confirmation,
    Guest,
    GuestCount,
    RejectedReservation,
    Reservation,
    ResStatus,
    RoomStay,
)
from ..xml import child, children, descendants, parse_xml, sub, text_of, to_bytes
from .common import (
    format_money,
    parse_bool,
    parse_date,
    parse_int,
    parse_timestamp,
    required,
)
from .payment_card import find_card, masked_card, redact, redacted_xml
from .reservation_amounts import amount_of, penalty_amount, texts
from .reservation_stays import parse_guest, parse_guest_counts, parse_room_stay, plain_text


# ---------------------------------------------------------------------------- building


def add_reservation(parent: etree._Element, reservation: Reservation, profile: DialectProfile,
                    *, hotel_code: str | None = None) -> etree._Element:
    """Append ``reservation`` as a 2016B ``HotelReservation`` (without its payment card)."""
    r = reservation
    stamp = profile.format_timestamp
    el = sub(parent, "HotelReservation", {
        "CreateDateTime": stamp(r.created_at) if r.created_at else None,
        "LastModifyDateTime": stamp(r.modified_at) if r.modified_at else None,
        "ResStatus": profile.wire_status(r.status),
    })
    if r.channel_code or r.channel_name:
        source = sub(sub(el, "POS"), "Source")
        channel = sub(source, "BookingChannel", {"Type": profile.booking_channel_type})
        sub(channel, "CompanyName", {"Code": r.channel_code}, r.channel_name)
    _add_unique_ids(el, profile, r.reservation_id, r.message_id)
    if r.room_stays:
        stays = sub(el, "RoomStays")
        for stay in r.room_stays:
            _add_room_stay(stays, stay)
    if r.guests:
        guests = sub(el, "ResGuests")
        for guest in r.guests:
            _add_guest(guests, guest)
    ids = [(profile.reservation_id_type, r.channel_booking_id, r.channel_code),
           (profile.pms_id_type, r.pms_id, None)]
    _add_global_info(el, hotel_code=r.hotel_code or hotel_code, ids=ids,
                     comments=r.comments, special_requests=r.special_requests,
                     guest_counts=r.guest_counts, total=r.total, currency=r.currency)
    return el


def add_confirmation(parent: etree._Element, confirmation: Confirmation, profile: DialectProfile,
                     *, hotel_code: str | None) -> etree._Element:
    """A ``HotelReservation`` naming a delivery: its ids and, once stored, our PMS id."""
    el = sub(parent, "HotelReservation")
    _add_unique_ids(el, profile, confirmation.reservation_id, confirmation.message_id)
    if confirmation.pms_id:
        _add_global_info(el, hotel_code=hotel_code,
                         ids=[(profile.pms_id_type, confirmation.pms_id, None)])
    return el


def _add_unique_ids(el, profile, reservation_id, message_id) -> None:
    for id_type, value in ((profile.reservation_id_type, reservation_id),
                           (profile.message_id_type, message_id)):
        if value:
            sub(el, "UniqueID", {"Type": id_type, "ID": value})


def _add_room_stay(stays: etree._Element, stay: RoomStay) -> None:
    el = sub(stays, "RoomStay")
    sub(sub(el, "RoomTypes"), "RoomType", {"RoomTypeCode": stay.room_type_code})
    if stay.rate_plan_code:
        sub(sub(el, "RatePlans"), "RatePlan", {"RatePlanCode": stay.rate_plan_code})
    room_rate = sub(sub(el, "RoomRates"), "RoomRate", {
        "RoomTypeCode": stay.room_type_code,
        "RatePlanCode": stay.rate_plan_code,
        "NumberOfUnits": stay.units,
    })
    if stay.daily_rates:
        rates = sub(room_rate, "Rates")
        for rate in stay.daily_rates:
            _add_rate(rates, rate)
    _add_guest_counts(el, stay.guest_counts)
    sub(el, "TimeSpan", {"Start": stay.arrival.isoformat(), "End": stay.departure.isoformat()})
    if stay.total is not None:
        sub(el, "Total", {"AmountAfterTax": format_money(stay.total),
                          "CurrencyCode": stay.currency})
    if stay.guest_rphs:
        sub(el, "ResGuestRPHs", text=" ".join(stay.guest_rphs))


def _add_rate(rates: etree._Element, rate) -> None:
    """Per night as ``Base``; per block of nights as ``Base`` with ``UnitMultiplier``; a
    whole-span price as ``Total`` (see :class:`DailyRate`)."""
    per_block = rate.unit_nights not in (None, 1)
    rate_el = sub(rates, "Rate", {
        "EffectiveDate": rate.start.isoformat(),
        "ExpireDate": rate.end_exclusive.isoformat(),
        "RateTimeUnit": "Day" if per_block else None,
        "UnitMultiplier": rate.unit_nights if per_block else None,
    })
    sub(rate_el, "Total" if rate.unit_nights is None else "Base",
        {"AmountAfterTax": format_money(rate.amount), "CurrencyCode": rate.currency})


def _add_guest(guests: etree._Element, guest: Guest) -> None:
    el = sub(guests, "ResGuest", {"ResGuestRPH": guest.rph,
                                  "PrimaryIndicator": "true" if guest.primary else None})
    customer = sub(sub(sub(sub(el, "Profiles"), "ProfileInfo"), "Profile"), "Customer")
    if guest.surname:
        name = sub(customer, "PersonName")
        if guest.given_name:
            sub(name, "GivenName", text=guest.given_name)
        sub(name, "Surname", text=guest.surname)
    elif guest.given_name:
        raise ValueError("a guest with a given name needs a surname (OTA PersonName)")
    if guest.phone:
        sub(customer, "Telephone", {"PhoneNumber": guest.phone})
    if guest.email:
        sub(customer, "Email", text=guest.email)
    if guest.address_lines or guest.city or guest.postal_code or guest.country_code:
        address = sub(customer, "Address")
        for line in guest.address_lines:
            sub(address, "AddressLine", text=line)
        if guest.city:
            sub(address, "CityName", text=guest.city)
        if guest.postal_code:
            sub(address, "PostalCode", text=guest.postal_code)
        if guest.country_code:
            sub(address, "CountryName", {"Code": guest.country_code})


def _add_global_info(el, *, hotel_code, ids, comments=None, special_requests=None,
                     guest_counts=(), total=None, currency=None) -> None:
    info = sub(el, "ResGlobalInfo")
    _add_guest_counts(info, guest_counts)
    if comments:
        sub(sub(sub(info, "Comments"), "Comment"), "Text", text=comments)
    if special_requests:
        sub(sub(sub(info, "SpecialRequests"), "SpecialRequest"), "Text", text=special_requests)
    if total is not None:
        sub(info, "Total", {"AmountAfterTax": format_money(total), "CurrencyCode": currency})
    ids = [(kind, value, source) for kind, value, source in ids if value]
    if ids:
        container = sub(info, "HotelReservationIDs")
        for kind, value, source in ids:
            sub(container, "HotelReservationID",
                {"ResID_Type": kind, "ResID_Value": value, "ResID_Source": source})
    sub(info, "BasicPropertyInfo", {"HotelCode": hotel_code})


def _add_guest_counts(parent, guest_counts) -> None:
    if guest_counts:
        counts = sub(parent, "GuestCounts")
        for count in guest_counts:
            sub(counts, "GuestCount", {"AgeQualifyingCode": count.age_code,
                                       "Count": count.count, "Age": count.age})


# ---------------------------------------------------------------------------- reading


def parse_reservations(
    elements: Iterable[etree._Element],
    profile: DialectProfile,
    *,
    default_status: str | None = None,
    default_pos: etree._Element | None = None,
) -> tuple[tuple[Reservation, ...], tuple[RejectedReservation, ...]]:
    """Read each ``HotelReservation``; a bad one is rejected alone, never the whole batch.

    ``default_status`` and ``default_pos`` are the enclosing RQ's ``ResStatus`` and ``POS``,
    which apply to every reservation that lacks its own."""
    accepted, rejected = [], []
    for el in elements:
        try:
            accepted.append(parse_reservation(el, profile, default_status=default_status,
                                              default_pos=default_pos))
        except PhobsProtocolError as err:
            ids = _unique_ids(el)
            rejected.append(RejectedReservation(
                message_id=ids.get(profile.message_id_type),
                reservation_id=ids.get(profile.reservation_id_type),
                problem=str(err),
                source_xml=redacted_xml(el),
            ))
    return tuple(accepted), tuple(rejected)


def parse_reservation(el: etree._Element, profile: DialectProfile, *,
                      default_status: str | None = None,
                      default_pos: etree._Element | None = None) -> Reservation:
    """One ``HotelReservation``; ``default_status``/``default_pos`` come from the enclosing RQ."""
    ids = _unique_ids(el)
    reservation_id = ids.get(profile.reservation_id_type)
    if not reservation_id:
        raise PhobsProtocolError(
            f"HotelReservation without UniqueID Type={profile.reservation_id_type} (reservation id)"
        )
    where = f"HotelReservation {reservation_id[:40]}"
    message_id = ids.get(profile.message_id_type)
    if not message_id:
        raise PhobsProtocolError(
            f"{where}: no UniqueID Type={profile.message_id_type} (message id)"
        )
    status = profile.parse_status(required(el.get("ResStatus") or default_status,
                                           f"{where}: ResStatus"))
    created_at = parse_timestamp(el.get("CreateDateTime"), f"{where}: CreateDateTime", profile)
    modified_at = parse_timestamp(el.get("LastModifyDateTime"),
                                  f"{where}: LastModifyDateTime", profile)
    if created_at is None and modified_at is None:
        raise PhobsProtocolError(f"{where}: neither LastModifyDateTime nor CreateDateTime")
    pos = child(el, "POS")
    inherited_pos = default_pos if pos is None else None
    channel = next(descendants(pos if pos is not None else default_pos,
                               "Source/BookingChannel/CompanyName"), None)
    info = child(el, "ResGlobalInfo")
    channel_ref = _booking_id(info, profile.reservation_id_type)
    pms_ref = _booking_id(info, profile.pms_id_type)
    total, currency = amount_of(child(info, "Total"), f"{where}: ResGlobalInfo Total")
    global_span = child(info, "TimeSpan")
    room_stays = tuple(
        parse_room_stay(stay, f"{where}: RoomStay {index}", global_span)
        for index, stay in enumerate(descendants(el, "RoomStays/RoomStay"), start=1)
    )
    if status is not ResStatus.CANCEL and not room_stays:
        raise PhobsProtocolError(f"{where}: {status.value} without RoomStay")
    stays_and_info = [info, *descendants(el, "RoomStays/RoomStay")]
    return Reservation(
        reservation_id=reservation_id,
        message_id=message_id,
        status=status,
        created_at=created_at,
        modified_at=modified_at,
        hotel_code=(_attr(child(info, "BasicPropertyInfo"), "HotelCode")
                    or _attr(child(el, "RoomStays/RoomStay/BasicPropertyInfo"), "HotelCode")),
        channel_code=(_attr(channel, "Code") or _attr(channel, "CompanyShortName")
                      or _attr(channel_ref, "ResID_Source")),
        channel_name=plain_text(channel.text if channel is not None else None),
        channel_booking_id=_attr(channel_ref, "ResID_Value"),
        pms_id=_attr(pms_ref, "ResID_Value"),
        room_stays=room_stays,
        guests=tuple(parse_guest(g) for g in descendants(el, "ResGuests/ResGuest")),
        special_requests=_joined(texts(
            [c for p in stays_and_info for c in children(p, "SpecialRequests")],
            "SpecialRequest")),
        comments=_joined(texts([c for p in stays_and_info for c in children(p, "Comments")],
                               "Comment")),
        guest_counts=tuple(parse_guest_counts(info, f"{where}: ResGlobalInfo")),
        payment_card=masked_card(find_card(el)),
        penalty_amount=(penalty_amount(el, where) if status is ResStatus.CANCEL else None),
        total=total,
        currency=currency,
        source_xml=_stored_xml(el, inherited_pos),
    )


def parse_stored_reservation(data: bytes, profile: DialectProfile, *,
                             status: str | None = None) -> Reservation:
    """A ``HotelReservation`` as :func:`redacted_xml` stored it, read again to be applied;
    ``status`` stands in for the enclosing RQ's ``ResStatus``, which the element may lack."""
    return parse_reservation(parse_xml(data), profile, default_status=status)


def _stored_xml(el: etree._Element, inherited_pos: etree._Element | None) -> bytes:
    """The redacted element, carrying the RQ's ``POS`` when it had none of its own: the stored
    copy is read again at apply time, without the RQ around it."""
    copy = deepcopy(el)
    if inherited_pos is not None:
        copy.insert(0, deepcopy(inherited_pos))
    return to_bytes(redact(copy))


def parse_confirmations(elements: Iterable[etree._Element],
                        profile: DialectProfile) -> tuple[Confirmation, ...]:
    confirmations = []
    for el in elements:
        ids = _unique_ids(el)
        confirmations.append(Confirmation(
            message_id=ids.get(profile.message_id_type),
            reservation_id=ids.get(profile.reservation_id_type),
            pms_id=_attr(_booking_id(child(el, "ResGlobalInfo"), profile.pms_id_type),
                         "ResID_Value"),
        ))
    return tuple(confirmations)


def _unique_ids(el: etree._Element) -> dict[str, str]:
    ids: dict[str, str] = {}
    for unique in children(el, "UniqueID"):
        if unique.get("Type") and unique.get("ID"):
            ids.setdefault(unique.get("Type"), unique.get("ID").strip())
    return ids


def _booking_id(info: etree._Element | None, kind: str) -> etree._Element | None:
    """The first ``HotelReservationID`` of ``ResID_Type`` ``kind``."""
    return next((h for h in descendants(info, "HotelReservationIDs/HotelReservationID")
                 if h.get("ResID_Type") == kind), None)


def _attr(el: etree._Element | None, name: str) -> str | None:
    return ((el.get(name) if el is not None else None) or "").strip() or None


def _joined(lines: list[str]) -> str | None:
    return "\n".join(lines) or None
