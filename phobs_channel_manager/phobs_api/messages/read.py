"""The pull: ``OTA_ReadRQ`` asks for undelivered reservations, ``OTA_ResRetrieveRS`` lists them."""
from __future__ import annotations

from datetime import datetime

from lxml import etree

from ..profile import DEFAULT_PROFILE, DialectProfile
from ..records import ReservationBatch
from ..xml import descendants, sub
from .common import Message, expect, new_message, parse_bool, raise_for_errors, read_issues
from .reservation_xml import parse_reservations


def build_read_rq(hotel_code: str, *, echo_token: str, timestamp: datetime,
                  profile: DialectProfile = DEFAULT_PROFILE) -> etree._Element:
    rq = new_message("OTA_ReadRQ", echo_token=echo_token, timestamp=timestamp, profile=profile,
                     attrs={"MaxResponses": profile.page_size})
    request = sub(sub(rq, "ReadRequests"), "HotelReadRequest", {"HotelCode": hotel_code})
    sub(request, "SelectionCriteria", {"SelectionType": profile.pull_selection})
    return rq


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
