"""The acknowledgement of pulled reservations: ``OTA_NotifReportRQ`` and its RS.

Successes and failures never share a message (``Success`` and ``Errors`` are exclusive).
A failure's ``Error`` carries ``RecordID`` = the message id it is about.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Iterable

from lxml import etree

from ..profile import DEFAULT_PROFILE, DialectProfile
from ..records import AckResult, Confirmation, OtaError
from ..xml import sub
from .common import Message, build_acknowledgement, expect, parse_acknowledgement
from .reservation_xml import add_confirmation


def build_notif_report_rq(
    hotel_code: str,
    *,
    successes: Iterable[tuple[str, str]] = (),
    failures: Iterable[tuple[str, OtaError]] = (),
    echo_token: str,
    timestamp: datetime,
    profile: DialectProfile = DEFAULT_PROFILE,
) -> etree._Element:
    """``successes`` are ``(message_id, pms_id)``; ``failures`` are ``(message_id, error)``."""
    successes, failures = tuple(successes), tuple(failures)
    if bool(successes) == bool(failures):
        raise ValueError("a NotifReportRQ carries either successes or failures, not both or none")
    rq = build_acknowledgement(
        "OTA_NotifReportRQ", echo_token=echo_token, timestamp=timestamp, profile=profile,
        errors=[replace(error, record_id=message_id) for message_id, error in failures],
    )
    reservations = sub(sub(sub(rq, "NotifDetails"), "HotelNotifReport"), "HotelReservations")
    for message_id, pms_id in successes:
        add_confirmation(reservations, Confirmation(message_id=message_id, pms_id=pms_id),
                         profile, hotel_code=hotel_code)
    for message_id, _ in failures:
        add_confirmation(reservations, Confirmation(message_id=message_id), profile,
                         hotel_code=hotel_code)
    return rq


def parse_notif_report_rs(message: Message) -> AckResult:
    return parse_acknowledgement(expect(message, "OTA_NotifReportRS"))
