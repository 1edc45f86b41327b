"""What every OTA message shares: the root and its standard attributes, the Success/Warnings/
Errors outcome, and the value formats (money, dates, timestamps) in both directions.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Callable, Iterable

from lxml import etree

from ..errors import PhobsProtocolError, error_for_ota
from ..profile import DialectProfile
from ..records import AckResult, Confirmation, OtaError
from ..soap import parse_message
from ..xml import OTA_NS, child, children, element, local_name, sub

Message = etree._Element | bytes


def build_notification(name: str, container: str, hotel_code: str, runs: Iterable,
                       add_run: Callable[[etree._Element, object], None], *, echo_token: str,
                       timestamp: datetime, profile: DialectProfile) -> etree._Element:
    """An inventory or rate notification: ``add_run(container, run)`` for each run inside one
    container naming the hotel. A notification without a run means nothing: refused."""
    rq = new_message(name, echo_token=echo_token, timestamp=timestamp, profile=profile)
    element_ = sub(rq, container, {"HotelCode": hotel_code})
    for run in runs:
        add_run(element_, run)
    if not len(element_):
        raise ValueError(f"an {name} carries at least one run")
    return rq


def new_message(
    name: str,
    *,
    echo_token: str,
    timestamp: datetime,
    profile: DialectProfile,
    attrs: dict | None = None,
) -> etree._Element:
    """An OTA root with ``Version``, ``EchoToken`` and ``TimeStamp`` (in that order)."""
    return element(
        name,
        {
            "Version": profile.ota_version,
            "EchoToken": echo_token,
            "TimeStamp": profile.format_timestamp(timestamp),
            **(attrs or {}),
        },
        nsmap={None: OTA_NS},
    )


def expect(message: Message, name: str) -> etree._Element:
    """The OTA root called ``name``: given as an element, or as received bytes (a SOAP 1.1
    envelope or the bare OTA message, see :func:`parse_message`)."""
    root = parse_message(message) if isinstance(message, (bytes, bytearray)) else message
    if local_name(root) != name:
        raise PhobsProtocolError(f"expected {name}, got {local_name(root)}")
    return root


def add_outcome(root: etree._Element, errors: Iterable[OtaError] = (),
                warnings: Iterable[OtaError] = ()) -> None:
    """``Errors`` when there are errors, otherwise ``Success`` and any ``Warnings``."""
    errors, warnings = tuple(errors), tuple(warnings)
    if errors:
        _add_issues(sub(root, "Errors"), "Error", errors)
        return
    sub(root, "Success")
    if warnings:
        _add_issues(sub(root, "Warnings"), "Warning", warnings)


def _add_issues(parent: etree._Element, tag: str, issues: tuple[OtaError, ...]) -> None:
    for issue in issues:
        sub(parent, tag, {"Type": issue.type, "Code": issue.code, "RecordID": issue.record_id},
            issue.text or None)


def read_issues(root: etree._Element, group: str) -> tuple[OtaError, ...]:
    """The ``Error``s of ``Errors`` (or ``Warning``s of ``Warnings``) of an RS."""
    return tuple(
        OtaError(
            type=issue.get("Type") or "1",
            code=issue.get("Code"),
            text=(issue.text or issue.get("ShortText") or "").strip(),
            record_id=issue.get("RecordID"),
        )
        for issue in children(child(root, group), group[:-1])
    )


def raise_for_errors(rs: etree._Element, *, http_status: int | None = None) -> None:
    """Raise the typed error for an RS with ``Errors``; an RS with neither outcome is malformed."""
    errors = read_issues(rs, "Errors")
    if errors or child(rs, "Errors") is not None:
        raise error_for_ota(errors, http_status=http_status)
    if child(rs, "Success") is None:
        raise PhobsProtocolError(f"{local_name(rs)} has neither Success nor Errors")


def build_acknowledgement(
    name: str,
    *,
    echo_token: str,
    timestamp: datetime,
    profile: DialectProfile,
    errors: Iterable[OtaError] = (),
    warnings: Iterable[OtaError] = (),
) -> etree._Element:
    """A ``MessageAcknowledgementType`` RS (the avail, rate and notif-report replies)."""
    rs = new_message(name, echo_token=echo_token, timestamp=timestamp, profile=profile)
    add_outcome(rs, errors, warnings)
    return rs


def parse_acknowledgement(rs: etree._Element,
                          confirmations: Iterable[Confirmation] = ()) -> AckResult:
    raise_for_errors(rs)
    return AckResult(
        echo_token=rs.get("EchoToken"),
        warnings=read_issues(rs, "Warnings"),
        confirmations=tuple(confirmations),
    )


def format_money(amount: Decimal) -> str:
    """OTA ``Money``: non-negative, at most three decimals, never rounded behind our back."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"money must be a finite Decimal, got {amount!r}")
    if amount < 0:
        raise ValueError(f"money must not be negative, got {amount}")
    if amount.as_tuple().exponent < -3:
        raise ValueError(f"money has more than three decimals: {amount}")
    return format(amount, "f")


def parse_money(value: str | None, what: str) -> Decimal | None:
    if value is None or not value.strip():
        return None
    try:
        amount = Decimal(value.strip())
    except InvalidOperation as err:
        raise PhobsProtocolError(f"{what} is not a number: {value!r}") from err
    if not amount.is_finite():
        raise PhobsProtocolError(f"{what} is not a finite number: {value!r}")
    if amount < 0:
        raise PhobsProtocolError(f"{what} is negative: {value}")
    return amount


def parse_date(value: str | None, what: str) -> date | None:
    """A date; a dateTime is cut to its (hotel-local) date part, as sent."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)
    except ValueError as err:
        raise PhobsProtocolError(f"{what} is not a date: {value!r}") from err


def parse_timestamp(value: str | None, what: str, profile: DialectProfile) -> datetime | None:
    """An aware datetime; a missing offset gets the profile's zone or is refused."""
    if value is None or not value.strip():
        return None
    try:
        stamp = datetime.fromisoformat(value.strip())
    except ValueError as err:
        raise PhobsProtocolError(f"{what} is not a timestamp: {value!r}") from err
    if stamp.utcoffset() is None:
        if profile.naive_timestamp_tz is None:
            raise PhobsProtocolError(f"{what} has no UTC offset: {value!r}")
        stamp = stamp.replace(tzinfo=profile.naive_timestamp_tz)
    return stamp


def parse_int(value: str | None, what: str, *, minimum: int = 0) -> int | None:
    if value is None or not value.strip():
        return None
    try:
        number = int(value.strip())
    except ValueError as err:
        raise PhobsProtocolError(f"{what} is not an integer: {value!r}") from err
    if number < minimum:
        raise PhobsProtocolError(f"{what} must be at least {minimum}, got {number}")
    return number


def parse_bool(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1")


def required(value: str | None, what: str) -> str:
    if value is None or not value.strip():
        raise PhobsProtocolError(f"{what} is missing")
    return value.strip()



def add_status_application_control(parent: etree._Element, *, room_type_code: str,
                                   rate_plan_code: str | None, start: date,
                                   end: date) -> etree._Element:
    """The inclusive ``Start``/``End`` range and the codes an inventory message applies to."""
    if end < start:
        raise ValueError(f"range ends ({end}) before it starts ({start})")
    return sub(parent, "StatusApplicationControl", {
        "Start": start.isoformat(),
        "End": end.isoformat(),
        "InvTypeCode": room_type_code,
        "RatePlanCode": rate_plan_code,
    })


