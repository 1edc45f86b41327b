"""The pull: ``OTA_ReadRQ`` asks for undelivered reservations, ``OTA_ResRetrieveRS`` lists them."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from lxml import etree

from ..profile import DEFAULT_PROFILE, DialectProfile
from ..records import OtaError, Reservation, ReservationBatch
from ..xml import child, descendants, sub
from .common import (
    Message,
    add_outcome,
    expect,
    new_message,
    parse_bool,
    raise_for_errors,
    read_issues,
)
from .reservation_xml import add_reservation, parse_reservations


def build_read_rq(hotel_code: str, *, echo_token: str, timestamp: datetime,
                  profile: DialectProfile = DEFAULT_PROFILE) -> etree._Element:
    rq = new_message("OTA_ReadRQ", echo_token=echo_token, timestamp=timestamp, profile=profile,
                     attrs={"MaxResponses": profile.page_size})
    request = sub(sub(rq, "ReadRequests"), "HotelReadRequest", {"HotelCode": hotel_code})
    sub(request, "SelectionCriteria", {"SelectionType": profile.pull_selection})
    return rq


def parse_read_rq(message: Message) -> str | None:
    """The hotel code asked for."""
    rq = expect(message, "OTA_ReadRQ")
    request = child(rq, "ReadRequests/HotelReadRequest")
    return request.get("HotelCode") if request is not None else None


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


def parse_res_retrieve_rs(message: Message,
                          profile: DialectProfile = DEFAULT_PROFILE) -> ReservationBatch:
    """Undelivered reservations, oldest first; bad ones come back in ``rejected``."""
    rs = expect(message, "OTA_ResRetrieveRS")
    raise_for_errors(rs)
    accepted, rejected = parse_reservations(
        descendants(rs, "ReservationsList/HotelReservation"), profile
    )
    return ReservationBatch(
        reservations=accepted,
        rejected=rejected,
        more=parse_bool(rs.get("MoreIndicator")),
        echo_token=rs.get("EchoToken"),
        warnings=read_issues(rs, "Warnings"),
    )
