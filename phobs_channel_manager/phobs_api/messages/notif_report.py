"""The acknowledgement of pulled reservations: ``OTA_NotifReportRQ`` and its RS.

Successes and failures never share a message (``Success`` and ``Errors`` are exclusive).
A failure's ``Error`` carries ``RecordID`` = the message id it is about.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterable

from lxml import etree

from ..profile import DEFAULT_PROFILE, DialectProfile
from ..records import AckResult, Confirmation, OtaError
from ..xml import descendants, sub
from .common import (
    Message,
    build_acknowledgement,
    expect,
    parse_acknowledgement,
    read_issues,
)
from .reservation_xml import add_confirmation, parse_confirmations


@dataclass(frozen=True)
class NotifReport:
    """What an ``OTA_NotifReportRQ`` says: stored deliveries, or failed ones with their errors."""

    successes: tuple[Confirmation, ...] = ()
    failures: tuple[tuple[str, OtaError], ...] = ()
    echo_token: str | None = None


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


def build_notif_report_rs(*, echo_token: str, timestamp: datetime,
                          errors: Iterable[OtaError] = (), warnings: Iterable[OtaError] = (),
                          profile: DialectProfile = DEFAULT_PROFILE) -> etree._Element:
    return build_acknowledgement("OTA_NotifReportRS", echo_token=echo_token, timestamp=timestamp,
                                 profile=profile, errors=errors, warnings=warnings)


def parse_notif_report_rs(message: Message) -> AckResult:
    return parse_acknowledgement(expect(message, "OTA_NotifReportRS"))
