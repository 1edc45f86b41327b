"""``OTA_HotelAvailNotifRQ``/``RS``: availability (``BookingLimit``) and restrictions.

A restriction run can need several ``AvailStatusMessage``s (one ``RestrictionStatus`` each);
they share the run's range and are merged back into one run when read.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterable, Union

from lxml import etree

from ..errors import PhobsProtocolError
from ..profile import DEFAULT_PROFILE, DialectProfile
from ..records import AckResult, AvailabilityRun, OtaError, RestrictionRun
from ..xml import child, descendants, sub
from .common import (
    Message,
    add_status_application_control,
    build_acknowledgement,
    expect,
    new_message,
    parse_acknowledgement,
    parse_int,
    read_status_application_control,
)

InventoryRun = Union[AvailabilityRun, RestrictionRun]

_LOS_FIELDS = {"SetMinLOS": "min_los", "MinLOS": "min_los",
               "SetMaxLOS": "max_los", "MaxLOS": "max_los"}
#: Removing a length of stay reads back as its neutral value: no minimum is 1, no maximum is 0.
_LOS_REMOVED = {"RemoveMinLOS": ("min_los", 1), "RemoveMaxLOS": ("max_los", 0)}
_RESTRICTION_FIELDS = {"Arrival": "closed_to_arrival", "Departure": "closed_to_departure",
                       None: "stop_sell", "Master": "stop_sell"}
_STATUS = {"Close": True, "Open": False}


@dataclass(frozen=True)
class AvailNotif:
    hotel_code: str | None
    availability: tuple[AvailabilityRun, ...] = ()
    restrictions: tuple[RestrictionRun, ...] = ()


def build_hotel_avail_notif_rq(
    hotel_code: str,
    runs: Iterable[InventoryRun],
    *,
    echo_token: str,
    timestamp: datetime,
    profile: DialectProfile = DEFAULT_PROFILE,
) -> etree._Element:
    rq = new_message("OTA_HotelAvailNotifRQ", echo_token=echo_token, timestamp=timestamp,
                     profile=profile)
    container = sub(rq, "AvailStatusMessages", {"HotelCode": hotel_code})
    for run in runs:
        if isinstance(run, AvailabilityRun):
            _add_availability(container, run)
        else:
            _add_restrictions(container, run)
    if not len(container):
        raise ValueError("an OTA_HotelAvailNotifRQ carries at least one run")
    return rq


def _add_availability(container: etree._Element, run: AvailabilityRun) -> None:
    if run.booking_limit < 0:
        raise ValueError(f"negative BookingLimit for {run.room_type_code}")
    message = sub(container, "AvailStatusMessage", {"BookingLimit": run.booking_limit})
    add_status_application_control(message, room_type_code=run.room_type_code,
                                   rate_plan_code=None, start=run.start, end=run.end)


def _add_restrictions(container: etree._Element, run: RestrictionRun) -> None:
    lengths = [(kind, value) for kind, value in (("SetMinLOS", run.min_los),
                                                 ("SetMaxLOS", run.max_los)) if value is not None]
    # max_los 0 means "no maximum": OTA has no SetMaxLOS for that, it removes the maximum.
    lengths = [("RemoveMaxLOS", None) if (kind, value) == ("SetMaxLOS", 0) else (kind, value)
               for kind, value in lengths]
    statuses = [(restriction, flag) for restriction, flag in (
        ("Arrival", run.closed_to_arrival),
        ("Departure", run.closed_to_departure),
        (None, run.stop_sell),
    ) if flag is not None]
    if not lengths and not statuses:
        raise ValueError(f"restriction run for {run.room_type_code} {run.start} sets nothing")
    for index in range(max(1, len(statuses))):
        message = sub(container, "AvailStatusMessage")
        add_status_application_control(message, room_type_code=run.room_type_code,
                                       rate_plan_code=run.rate_plan_code,
                                       start=run.start, end=run.end)
        if index == 0 and lengths:
            los = sub(message, "LengthsOfStay")
            for kind, value in lengths:
                sub(los, "LengthOfStay", {"MinMaxMessageType": kind, "Time": value,
                                          "TimeUnit": "Day" if value is not None else None})
        if index < len(statuses):
            restriction, flag = statuses[index]
            sub(message, "RestrictionStatus",
                {"Status": "Close" if flag else "Open", "Restriction": restriction})


def parse_hotel_avail_notif_rq(message: Message) -> AvailNotif:
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


def build_hotel_avail_notif_rs(*, echo_token: str, timestamp: datetime,
                               errors: Iterable[OtaError] = (), warnings: Iterable[OtaError] = (),
                               profile: DialectProfile = DEFAULT_PROFILE) -> etree._Element:
    return build_acknowledgement("OTA_HotelAvailNotifRS", echo_token=echo_token,
                                 timestamp=timestamp, profile=profile, errors=errors,
                                 warnings=warnings)


def parse_hotel_avail_notif_rs(message: Message) -> AckResult:
    return parse_acknowledgement(expect(message, "OTA_HotelAvailNotifRS"))
