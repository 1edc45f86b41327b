"""The Phobs side of the OTA messages, for tests that play Phobs against our client.

The addon only ever builds requests and reads replies (plus the push it receives); reading our
requests and building Phobs' replies is the peer's work. The sandbox does that with code of its
own (it shares none with the addon); the unit tests of the client do it with these functions,
built on the addon's framework-free XML helpers.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Iterable

from lxml import etree

from phobs_channel_manager.phobs_api.errors import PhobsProtocolError
from phobs_channel_manager.phobs_api.messages.common import (
    Message,
    add_outcome,
    build_acknowledgement,
    expect,
    new_message,
    parse_date,
    parse_int,
    parse_money,
    read_issues,
    required,
)
from phobs_channel_manager.phobs_api.messages.reservation_xml import (
    add_reservation,
    parse_confirmations,
)
from phobs_channel_manager.phobs_api.profile import DEFAULT_PROFILE, DialectProfile
from phobs_channel_manager.phobs_api.records import (
    AvailabilityRun,
    Confirmation,
    OtaError,
    RateRun,
    Reservation,
    RestrictionRun,
)
from phobs_channel_manager.phobs_api.xml import child, descendants, sub

# -- what the peer reads of our requests ---------------------------------------------------------


@dataclass(frozen=True)
class AvailNotif:
    hotel_code: str | None
    availability: tuple[AvailabilityRun, ...] = ()
    restrictions: tuple[RestrictionRun, ...] = ()


@dataclass(frozen=True)
class RateAmountNotif:
    hotel_code: str | None
    rates: tuple[RateRun, ...] = ()


@dataclass(frozen=True)
class NotifReport:
    """What an ``OTA_NotifReportRQ`` says: stored deliveries, or failed ones with their errors."""

    successes: tuple[Confirmation, ...] = ()
    failures: tuple[tuple[str, OtaError], ...] = ()
    echo_token: str | None = None


_LOS_FIELDS = {"SetMinLOS": "min_los", "MinLOS": "min_los",
               "SetMaxLOS": "max_los", "MaxLOS": "max_los"}
#: Removing a length of stay reads back as its neutral value: no minimum is 1, no maximum is 0.
_LOS_REMOVED = {"RemoveMinLOS": ("min_los", 1), "RemoveMaxLOS": ("max_los", 0)}
_RESTRICTION_FIELDS = {"Arrival": "closed_to_arrival", "Departure": "closed_to_departure",
                       None: "stop_sell", "Master": "stop_sell"}
_STATUS = {"Close": True, "Open": False}


def parse_read_rq(message: Message) -> str | None:
    """The hotel code asked for."""
    rq = expect(message, "OTA_ReadRQ")
    request = child(rq, "ReadRequests/HotelReadRequest")
    return request.get("HotelCode") if request is not None else None


def parse_notif_report_rq(message: Message,
                          profile: DialectProfile = DEFAULT_PROFILE) -> NotifReport:
    """Errors are matched to the named deliveries by ``RecordID``, else by position."""
    rq = expect(message, "OTA_NotifReportRQ")
    named = parse_confirmations(
        descendants(rq, "NotifDetails/HotelNotifReport/HotelReservations/HotelReservation"),
        profile,
    )
    errors = read_issues(rq, "Errors")
    if not errors:
        return NotifReport(successes=named, echo_token=rq.get("EchoToken"))
    by_record = {e.record_id: e for e in errors if e.record_id}
    failures = tuple(
        (c.message_id, by_record.get(c.message_id, errors[min(i, len(errors) - 1)]))
        for i, c in enumerate(named)
    )
    return NotifReport(failures=failures, echo_token=rq.get("EchoToken"))


def read_status_application_control(message: etree._Element,
                                    where: str) -> tuple[str, str | None, date, date]:
    """``(room_type_code, rate_plan_code, start, end)``; a reversed range is refused."""
    control = child(message, "StatusApplicationControl")
    if control is None:
        raise PhobsProtocolError(f"{where}: no StatusApplicationControl")
    room_type_code = required(control.get("InvTypeCode"), f"{where}: InvTypeCode")
    start = parse_date(required(control.get("Start"), f"{where}: Start"), f"{where}: Start")
    end = parse_date(required(control.get("End"), f"{where}: End"), f"{where}: End")
    if end < start:
        raise PhobsProtocolError(f"{where}: End {end} is before Start {start}")
    return room_type_code, control.get("RatePlanCode") or None, start, end


def parse_hotel_avail_notif_rq(message: Message) -> AvailNotif:
    """Availability runs, and restriction runs merged back from their several
    ``AvailStatusMessage``s (one ``RestrictionStatus`` each)."""
    rq = expect(message, "OTA_HotelAvailNotifRQ")
    availability: list[AvailabilityRun] = []
    restrictions: dict[tuple, RestrictionRun] = {}
    container = child(rq, "AvailStatusMessages")
    for index, el in enumerate(descendants(container, "AvailStatusMessage"), start=1):
        where = f"AvailStatusMessage {index}"
        room, rate_plan, start, end = read_status_application_control(el, where)
        limit = parse_int(el.get("BookingLimit"), f"{where}: BookingLimit")
        if limit is not None:
            availability.append(AvailabilityRun(room, start, end, limit))
        changes = _restriction_changes(el, where)
        if changes:
            key = (room, rate_plan, start, end)
            run = restrictions.get(key) or RestrictionRun(room, rate_plan, start, end)
            restrictions[key] = replace(run, **changes)
    return AvailNotif(
        hotel_code=container.get("HotelCode") if container is not None else None,
        availability=tuple(availability),
        restrictions=tuple(restrictions.values()),
    )


def _restriction_changes(el: etree._Element, where: str) -> dict:
    changes = {}
    for los in descendants(el, "LengthsOfStay/LengthOfStay"):
        removed = _LOS_REMOVED.get(los.get("MinMaxMessageType"))
        if removed:
            changes[removed[0]] = removed[1]
            continue
        field = _LOS_FIELDS.get(los.get("MinMaxMessageType"))
        if field:
            changes[field] = parse_int(los.get("Time"), f"{where}: LengthOfStay Time")
    status = child(el, "RestrictionStatus")
    if status is not None:
        if status.get("Status") not in _STATUS:
            raise PhobsProtocolError(f"{where}: RestrictionStatus Status {status.get('Status')!r}")
        field = _RESTRICTION_FIELDS.get(status.get("Restriction"))
        if field is None:
            raise PhobsProtocolError(
                f"{where}: unsupported Restriction {status.get('Restriction')!r}"
            )
        changes[field] = _STATUS[status.get("Status")]
    return changes


def parse_hotel_rate_amount_notif_rq(message: Message) -> RateAmountNotif:
    rq = expect(message, "OTA_HotelRateAmountNotifRQ")
    container = child(rq, "RateAmountMessages")
    runs = []
    for index, el in enumerate(descendants(container, "RateAmountMessage"), start=1):
        where = f"RateAmountMessage {index}"
        room, rate_plan, start, end = read_status_application_control(el, where)
        rate_plan = required(rate_plan, f"{where}: RatePlanCode")
        amounts = list(descendants(el, "Rates/Rate/BaseByGuestAmts/BaseByGuestAmt"))
        if not amounts:
            raise PhobsProtocolError(f"{where}: no BaseByGuestAmt")
        for amount_el in amounts:
            amount = parse_money(
                amount_el.get("AmountAfterTax") or amount_el.get("AmountBeforeTax"),
                f"{where}: amount",
            )
            if amount is None:
                raise PhobsProtocolError(f"{where}: BaseByGuestAmt without an amount")
            runs.append(RateRun(
                room_type_code=room,
                rate_plan_code=rate_plan,
                start=start,
                end=end,
                amount=amount,
                currency=required(amount_el.get("CurrencyCode"), f"{where}: CurrencyCode"),
                guests=parse_int(amount_el.get("NumberOfGuests"), f"{where}: NumberOfGuests",
                                 minimum=1),
            ))
    return RateAmountNotif(
        hotel_code=container.get("HotelCode") if container is not None else None,
        rates=tuple(runs),
    )


# -- what the peer answers -----------------------------------------------------------------------

def build_res_retrieve_rs(
    reservations: Iterable[Reservation] = (),
    *,
    echo_token: str,
    timestamp: datetime,
    more: bool = False,
    errors: Iterable[OtaError] = (),
    warnings: Iterable[OtaError] = (),
    profile: DialectProfile = DEFAULT_PROFILE,
) -> etree._Element:
    rs = new_message("OTA_ResRetrieveRS", echo_token=echo_token, timestamp=timestamp,
                     profile=profile, attrs={"MoreIndicator": "true" if more else None})
    errors = tuple(errors)
    add_outcome(rs, errors, warnings)
    reservations = tuple(reservations)
    if reservations and not errors:
        listing = sub(rs, "ReservationsList")
        for reservation in reservations:
            add_reservation(listing, reservation, profile)
    return rs


def _acknowledgement_builder(root_name):
    def build(*, echo_token: str, timestamp: datetime, errors: Iterable[OtaError] = (),
              warnings: Iterable[OtaError] = (),
              profile: DialectProfile = DEFAULT_PROFILE) -> etree._Element:
        return build_acknowledgement(root_name, echo_token=echo_token, timestamp=timestamp,
                                     profile=profile, errors=errors, warnings=warnings)
    build.__name__ = "build_" + root_name
    return build


build_notif_report_rs = _acknowledgement_builder("OTA_NotifReportRS")
build_hotel_avail_notif_rs = _acknowledgement_builder("OTA_HotelAvailNotifRS")
build_hotel_rate_amount_notif_rs = _acknowledgement_builder("OTA_HotelRateAmountNotifRS")
