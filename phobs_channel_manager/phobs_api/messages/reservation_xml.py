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
    AGE_ADULT,
    Confirmation,
    DailyRate,
    Guest,
    GuestCount,
    MaskedCard,
    RejectedReservation,
    Reservation,
    ResStatus,
    RoomStay,
)
from ..xml import child, children, descendants, ota, parse_xml, sub, text_of, to_bytes
from .common import (
    format_money,
    parse_bool,
    parse_date,
    parse_int,
    parse_money,
    parse_timestamp,
    required,
)


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
                     comments=r.special_requests, total=r.total, currency=r.currency)
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
            rate_el = sub(rates, "Rate", {"EffectiveDate": rate.start.isoformat(),
                                          "ExpireDate": rate.end_exclusive.isoformat()})
            sub(rate_el, "Base", {"AmountAfterTax": format_money(rate.amount),
                                  "CurrencyCode": rate.currency})
    if stay.guest_counts:
        counts = sub(el, "GuestCounts")
        for count in stay.guest_counts:
            sub(counts, "GuestCount", {"AgeQualifyingCode": count.age_code,
                                       "Count": count.count, "Age": count.age})
    sub(el, "TimeSpan", {"Start": stay.arrival.isoformat(), "End": stay.departure.isoformat()})
    if stay.total is not None:
        sub(el, "Total", {"AmountAfterTax": format_money(stay.total),
                          "CurrencyCode": stay.currency})
    if stay.guest_rphs:
        sub(el, "ResGuestRPHs", text=" ".join(stay.guest_rphs))


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


def _add_global_info(el, *, hotel_code, ids, comments=None, total=None, currency=None) -> None:
    info = sub(el, "ResGlobalInfo")
    if comments:
        sub(sub(sub(info, "Comments"), "Comment"), "Text", text=comments)
    if total is not None:
        sub(info, "Total", {"AmountAfterTax": format_money(total), "CurrencyCode": currency})
    ids = [(kind, value, source) for kind, value, source in ids if value]
    if ids:
        container = sub(info, "HotelReservationIDs")
        for kind, value, source in ids:
            sub(container, "HotelReservationID",
                {"ResID_Type": kind, "ResID_Value": value, "ResID_Source": source})
    sub(info, "BasicPropertyInfo", {"HotelCode": hotel_code})


# ---------------------------------------------------------------------------- reading


def parse_reservations(
    elements: Iterable[etree._Element],
    profile: DialectProfile,
    *,
    default_status: str | None = None,
) -> tuple[tuple[Reservation, ...], tuple[RejectedReservation, ...]]:
    """Read each ``HotelReservation``; a bad one is rejected alone, never the whole batch."""
    accepted, rejected = [], []
    for el in elements:
        try:
            accepted.append(parse_reservation(el, profile, default_status=default_status))
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
                      default_status: str | None = None) -> Reservation:
    """One ``HotelReservation``; ``default_status`` is the enclosing RQ's ``ResStatus``."""
    ids = _unique_ids(el)
    reservation_id = ids.get(profile.reservation_id_type)
    if not reservation_id:
        raise PhobsProtocolError(
            f"HotelReservation without UniqueID Type={profile.reservation_id_type} (reservation id)"
        )
    where = f"HotelReservation {reservation_id}"
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
    channel = next(descendants(el, "POS/Source/BookingChannel/CompanyName"), None)
    info = child(el, "ResGlobalInfo")
    channel_ref = _booking_id(info, profile.reservation_id_type)
    pms_ref = _booking_id(info, profile.pms_id_type)
    total_el = child(info, "Total")
    room_stays = tuple(
        _parse_room_stay(stay, f"{where}: RoomStay {index}")
        for index, stay in enumerate(descendants(el, "RoomStays/RoomStay"), start=1)
    )
    if status is not ResStatus.CANCEL and not room_stays:
        raise PhobsProtocolError(f"{where}: {status.value} without RoomStay")
    return Reservation(
        reservation_id=reservation_id,
        message_id=message_id,
        status=status,
        created_at=created_at,
        modified_at=modified_at,
        hotel_code=(_attr(child(info, "BasicPropertyInfo"), "HotelCode")
                    or _attr(child(el, "RoomStays/RoomStay/BasicPropertyInfo"), "HotelCode")),
        channel_code=_attr(channel, "Code") or _attr(channel_ref, "ResID_Source"),
        channel_name=text_of(channel),
        channel_booking_id=_attr(channel_ref, "ResID_Value"),
        pms_id=_attr(pms_ref, "ResID_Value"),
        room_stays=room_stays,
        guests=tuple(_parse_guest(g) for g in descendants(el, "ResGuests/ResGuest")),
        special_requests=_comments(info),
        payment_card=_masked_card(
            child(info, "Guarantee/GuaranteesAccepted/GuaranteeAccepted/PaymentCard")),
        total=_amount(total_el, f"{where}: ResGlobalInfo Total"),
        currency=_attr(total_el, "CurrencyCode"),
        source_xml=redacted_xml(el),
    )


def parse_stored_reservation(data: bytes, profile: DialectProfile, *,
                             status: str | None = None) -> Reservation:
    """A ``HotelReservation`` as :func:`redacted_xml` stored it, read again to be applied;
    ``status`` stands in for the enclosing RQ's ``ResStatus``, which the element may lack."""
    return parse_reservation(parse_xml(data), profile, default_status=status)


def redacted_xml(el: etree._Element) -> bytes:
    """A copy of a ``HotelReservation`` safe to store: card numbers keep their last four
    digits, security codes are dropped; the received element itself is left untouched."""
    copy = deepcopy(el)
    for card in copy.iter(ota("PaymentCard")):
        if card.get("CardNumber"):
            card.set("CardNumber", _mask_digits(card.get("CardNumber")))
        for code in list(card.iter(ota("SeriesCode"))):
            code.getparent().remove(code)
        for attribute in ("SeriesCode", "CVV"):
            card.attrib.pop(attribute, None)
        for number in card.iter(ota("CardNumber")):
            if number.get("Mask"):
                number.set("Mask", _mask_digits(number.get("Mask")))
            if number.text and number.text.strip():
                number.text = _mask_digits(number.text)
            for plain in number.iter(ota("PlainText")):
                plain.text = _mask_digits(plain.text or "")
    return to_bytes(copy)


def _mask_digits(value: str) -> str:
    digits = "".join(ch for ch in value if ch.isdigit())
    return "*" * max(0, len(digits) - 4) + digits[-4:]


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


def _amount(el: etree._Element | None, what: str):
    if el is None:
        return None
    value = el.get("AmountAfterTax") or el.get("AmountBeforeTax") or el.get("Amount")
    return parse_money(value, what)


def _parse_room_stay(el: etree._Element, where: str) -> RoomStay:
    room_rate = child(el, "RoomRates/RoomRate")
    room_type_code = required(_attr(room_rate, "RoomTypeCode")
                              or _attr(child(el, "RoomTypes/RoomType"), "RoomTypeCode"),
                              f"{where}: RoomTypeCode")
    rate_plan_code = (_attr(room_rate, "RatePlanCode")
                      or _attr(child(el, "RatePlans/RatePlan"), "RatePlanCode"))
    daily_rates = tuple(
        _parse_rate(rate, f"{where}: Rate {index}")
        for index, rate in enumerate(descendants(el, "RoomRates/RoomRate/Rates/Rate"), start=1)
    )
    span = child(el, "TimeSpan")
    arrival = (parse_date(_attr(span, "Start"), f"{where}: TimeSpan Start")
               or min((r.start for r in daily_rates), default=None))
    departure = (parse_date(_attr(span, "End"), f"{where}: TimeSpan End")
                 or max((r.end_exclusive for r in daily_rates), default=None))
    if arrival is None or departure is None:
        raise PhobsProtocolError(f"{where}: no TimeSpan Start/End and no rates to infer them")
    if departure <= arrival:
        raise PhobsProtocolError(f"{where}: departure {departure} is not after arrival {arrival}")
    units = parse_int(_attr(room_rate, "NumberOfUnits")
                      or _attr(child(el, "RoomTypes/RoomType"), "NumberOfUnits"),
                      f"{where}: NumberOfUnits", minimum=1)
    total_el = child(el, "Total")
    return RoomStay(
        room_type_code=room_type_code,
        rate_plan_code=rate_plan_code,
        arrival=arrival,
        departure=departure,
        units=units or 1,
        guest_counts=tuple(_parse_guest_counts(el, where)),
        daily_rates=daily_rates,
        total=_amount(total_el, f"{where}: Total"),
        currency=_attr(total_el, "CurrencyCode"),
        guest_rphs=_guest_rphs(child(el, "ResGuestRPHs")),
    )


def _parse_rate(el: etree._Element, where: str) -> DailyRate:
    start = parse_date(required(el.get("EffectiveDate"), f"{where}: EffectiveDate"),
                       f"{where}: EffectiveDate")
    end = parse_date(el.get("ExpireDate"), f"{where}: ExpireDate") or start + timedelta(days=1)
    if end <= start:
        raise PhobsProtocolError(f"{where}: ExpireDate {end} is not after EffectiveDate {start}")
    base = child(el, "Base")
    amount = _amount(base, f"{where}: Base") if base is not None else None
    if amount is None:
        raise PhobsProtocolError(f"{where}: no Base amount")
    return DailyRate(start=start, end_exclusive=end, amount=amount,
                     currency=_attr(base, "CurrencyCode"))


def _parse_guest_counts(stay: etree._Element, where: str) -> Iterable[GuestCount]:
    for el in descendants(stay, "GuestCounts/GuestCount"):
        count = parse_int(el.get("Count"), f"{where}: GuestCount Count")
        if count == 0:
            continue
        yield GuestCount(age_code=el.get("AgeQualifyingCode") or AGE_ADULT,
                         count=1 if count is None else count,
                         age=parse_int(el.get("Age"), f"{where}: GuestCount Age"))


def _guest_rphs(el: etree._Element | None) -> tuple[str, ...]:
    """2016B list form ``<ResGuestRPHs>1 2</ResGuestRPHs>`` or older ``ResGuestRPH`` children."""
    if el is None:
        return ()
    listed = (el.text or "").split()
    older = [rph.get("RPH").strip() for rph in children(el, "ResGuestRPH") if rph.get("RPH")]
    return tuple(listed + older)


def _parse_guest(el: etree._Element) -> Guest:
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


def _comments(info: etree._Element | None) -> str | None:
    """Comments and special requests, in document order, one per line."""
    paragraphs = [*descendants(info, "Comments/Comment"),
                  *descendants(info, "SpecialRequests/SpecialRequest")]
    lines = []
    for paragraph in paragraphs:
        texts = [text_of(t) for t in children(paragraph, "Text")] or [text_of(paragraph)]
        lines.extend(t for t in texts if t)
    return "\n".join(lines) or None


def _masked_card(card: etree._Element | None) -> MaskedCard | None:
    """Keep type, holder, expiry and last four digits; the number goes out of scope here."""
    if card is None:
        return None
    number = child(card, "CardNumber")
    raw = (text_of(child(number, "PlainText")) or _attr(number, "Mask")
           or text_of(number) or card.get("CardNumber") or "")
    last4 = "".join(ch for ch in raw if ch.isdigit())[-4:] or None
    return MaskedCard(
        card_type=_attr(card, "CardCode") or text_of(child(card, "CardType")),
        holder=text_of(child(card, "CardHolderName")),
        last4=last4,
        expire=_attr(card, "ExpireDate"),
    )
