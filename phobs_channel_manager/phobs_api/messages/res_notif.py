"""``OTA_HotelResNotifRQ``/``RS``: Phobs pushes reservations to us with it, and we upload
front-desk changes with it; each side answers with the RS naming what it stored.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Iterable

from lxml import etree

from ..profile import DEFAULT_PROFILE, DialectProfile
from ..records import AckResult, Confirmation, OtaError, Reservation, ReservationBatch, ResStatus
from ..xml import child, descendants, sub
from .common import (
    Message,
    add_outcome,
    expect,
    new_message,
    parse_acknowledgement,
)
from .reservation_xml import (
    add_confirmation,
    add_reservation,
    parse_confirmations,
    parse_reservations,
)


def build_hotel_res_notif_rq(
    reservations: Iterable[Reservation],
    *,
    echo_token: str,
    timestamp: datetime,
    status: ResStatus | None = None,
    hotel_code: str | None = None,
    profile: DialectProfile = DEFAULT_PROFILE,
) -> etree._Element:
    """``status``, when given, is the RQ's ``ResStatus`` and overrides each reservation's."""
    reservations = tuple(reservations)
    if not reservations:
        raise ValueError("an OTA_HotelResNotifRQ carries at least one reservation")
    rq = new_message("OTA_HotelResNotifRQ", echo_token=echo_token, timestamp=timestamp,
                     profile=profile,
                     attrs={"ResStatus": profile.wire_status(status) if status else None})
    container = sub(rq, "HotelReservations")
    for reservation in reservations:
        if status:
            reservation = replace(reservation, status=ResStatus(status))
        add_reservation(container, reservation, profile, hotel_code=hotel_code)
    return rq


def parse_hotel_res_notif_rq(message: Message,
                             profile: DialectProfile = DEFAULT_PROFILE) -> ReservationBatch:
    """Pushed (or uploaded) reservations; bad ones come back in ``rejected``. The RQ's
    ``ResStatus`` and ``POS`` (where many senders put the booking channel) apply to every
    reservation without its own."""
    rq = expect(message, "OTA_HotelResNotifRQ")
    accepted, rejected = parse_reservations(
        descendants(rq, "HotelReservations/HotelReservation"), profile,
        default_status=rq.get("ResStatus"), default_pos=child(rq, "POS"),
    )
    return ReservationBatch(reservations=accepted, rejected=rejected,
                            echo_token=rq.get("EchoToken"))


def build_hotel_res_notif_rs(
    *,
    echo_token: str,
    timestamp: datetime,
    hotel_code: str | None = None,
    confirmations: Iterable[Confirmation] = (),
    errors: Iterable[OtaError] = (),
    warnings: Iterable[OtaError] = (),
    profile: DialectProfile = DEFAULT_PROFILE,
) -> etree._Element:
    """``Success`` naming each stored delivery (message, reservation and PMS id), or ``Errors``."""
    rs = new_message("OTA_HotelResNotifRS", echo_token=echo_token, timestamp=timestamp,
                     profile=profile)
    errors, confirmations = tuple(errors), tuple(confirmations)
    add_outcome(rs, errors, warnings)
    if confirmations and not errors:
        container = sub(rs, "HotelReservations")
        for confirmation in confirmations:
            add_confirmation(container, confirmation, profile, hotel_code=hotel_code)
    return rs


def parse_hotel_res_notif_rs(message: Message,
                             profile: DialectProfile = DEFAULT_PROFILE) -> AckResult:
    rs = expect(message, "OTA_HotelResNotifRS")
    return parse_acknowledgement(
        rs, parse_confirmations(descendants(rs, "HotelReservations/HotelReservation"), profile)
    )
