"""``OTA_HotelAvailNotifRQ``/``RS``: availability (``BookingLimit``) and restrictions.

A restriction run can need several ``AvailStatusMessage``s (one ``RestrictionStatus`` each);
they share the run's range. Reading a request is Phobs' side: tests/harness/ota_peer.py.
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterable, Union

from lxml import etree

from ..profile import DEFAULT_PROFILE, DialectProfile
from ..records import AckResult, AvailabilityRun, RestrictionRun
from ..xml import sub
from .common import (
    Message,
    add_status_application_control,
    build_notification,
    expect,
    parse_acknowledgement,
)

InventoryRun = Union[AvailabilityRun, RestrictionRun]


def build_hotel_avail_notif_rq(
    hotel_code: str,
    runs: Iterable[InventoryRun],
    *,
    echo_token: str,
    timestamp: datetime,
    profile: DialectProfile = DEFAULT_PROFILE,
) -> etree._Element:
    return build_notification("OTA_HotelAvailNotifRQ", "AvailStatusMessages", hotel_code, runs,
                              _add_run, echo_token=echo_token, timestamp=timestamp,
                              profile=profile)


def _add_run(container: etree._Element, run: InventoryRun) -> None:
    if isinstance(run, AvailabilityRun):
        _add_availability(container, run)
    else:
        _add_restrictions(container, run)


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


def parse_hotel_avail_notif_rs(message: Message) -> AckResult:
    return parse_acknowledgement(expect(message, "OTA_HotelAvailNotifRS"))
