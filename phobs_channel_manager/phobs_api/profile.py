"""Every choice of the Phobs dialect that a live certification could change, in one object.

A certification that finds another path, spelling or limit changes a ``DialectProfile`` value
(data), not the code that builds and parses messages.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from types import MappingProxyType
from typing import Mapping

from .errors import PhobsProtocolError
from .records import ResStatus


def _frozen(mapping: dict) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class DialectProfile:
    token_path: str = "/auth/token"
    reservations_path: str = "/reservations"
    inventory_path: str = "/inventory"
    rates_path: str = "/rates"
    webhooks_path: str = "/webhooks"
    auth_mode: str = "oauth2"
    #: The OTA ``Version`` attribute of every RQ/RS we build.
    ota_version: str = "1.0"
    #: How we spell each status on the wire.
    status_spellings: Mapping[ResStatus, str] = field(
        default_factory=lambda: _frozen({s: s.value for s in ResStatus})
    )
    #: Other spellings we accept when reading (compared case-insensitively).
    status_aliases: Mapping[str, ResStatus] = field(
        default_factory=lambda: _frozen(
            {
                "Commited": ResStatus.COMMIT,
                "Committed": ResStatus.COMMIT,
                "Booked": ResStatus.BOOK,
                "Reserved": ResStatus.BOOK,
                "Modified": ResStatus.MODIFY,
                "Cancelled": ResStatus.CANCEL,
                "Canceled": ResStatus.CANCEL,
            }
        )
    )
    reservation_id_type: str = "14"
    message_id_type: str = "16"
    pms_id_type: str = "10"
    booking_channel_type: str = "7"
    pull_selection: str = "Undelivered"
    #: Reservations asked for per pull (``MaxResponses``); the server may send fewer.
    page_size: int = 100
    #: Items (runs, acknowledgements, reservations) per request message.
    message_budget: int = 200
    #: ``isoformat`` timespec of ``TimeStamp`` and our datetimes.
    timestamp_timespec: str = "seconds"
    #: Zone assumed for received timestamps without an offset; ``None`` rejects them.
    naive_timestamp_tz: tzinfo | None = timezone.utc

    def wire_status(self, status: ResStatus) -> str:
        return self.status_spellings[ResStatus(status)]

    def parse_status(self, spelling: str) -> ResStatus:
        key = spelling.strip().casefold()
        for status, wire in self.status_spellings.items():
            if wire.casefold() == key:
                return status
        for alias, status in self.status_aliases.items():
            if alias.casefold() == key:
                return status
        raise PhobsProtocolError(f"unknown ResStatus {spelling!r}")

    def format_timestamp(self, value: datetime) -> str:
        if value.utcoffset() is None:
            raise ValueError("timestamps sent to Phobs must carry an offset")
        return value.isoformat(timespec=self.timestamp_timespec)


DEFAULT_PROFILE = DialectProfile()
