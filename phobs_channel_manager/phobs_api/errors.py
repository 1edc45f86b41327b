"""The exceptions the Phobs client raises.

Classes say *what* went wrong; whether it is worth trying again is decided only in
:mod:`.retry`, so the client and the Odoo outbox apply one rule.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import httpx

if TYPE_CHECKING:
    from .records import OtaError

#: OTA codes that mean "our codes do not match Phobs' codes": staff must fix a mapping.
MAPPING_CODES = frozenset({"392", "400", "402", "436", "783"})
#: OTA error types about credentials (4 authentication, 5 authentication timeout).
AUTH_ERROR_TYPES = frozenset({"4", "5"})
#: OTA error type meaning the credentials were good but have expired: refresh and repeat once.
AUTH_TIMEOUT_TYPE = "5"
THROTTLED_CODE = "737"


class PhobsError(Exception):
    """Base of every error the client raises.

    ``http_status``, ``retry_after`` (seconds) and ``errors`` (the OTA ``Error``s of the reply)
    are what the retry decision and the monitoring need; they are empty when not applicable.
    """

    def __init__(
        self,
        message: str,
        *,
        http_status: int | None = None,
        retry_after: float | None = None,
        errors: Iterable[OtaError] = (),
    ):
        super().__init__(message)
        self.message = message
        self.http_status = http_status
        self.retry_after = retry_after
        self.errors: tuple[OtaError, ...] = tuple(errors)

    @property
    def ota_codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.errors if e.code)


class PhobsTransportError(PhobsError):
    """The request did not get an HTTP answer (DNS, refused, reset, TLS)."""


class PhobsTimeoutError(PhobsTransportError):
    """Connect/read/write/pool timeout, or HTTP 408."""


class PhobsThrottledError(PhobsError):
    """HTTP 429 or OTA code 737: Phobs asks us to slow down."""


class PhobsAuthError(PhobsError):
    """Credentials refused (HTTP 401/403, OTA error type 4 or 5).

    ``expired`` marks the kind a fresh token may cure (HTTP 401, type 5); the client refreshes
    once and repeats, and raises only if that did not help.
    """

    def __init__(self, message: str, *, expired: bool = False, **kwargs):
        super().__init__(message, **kwargs)
        self.expired = expired


class PhobsProtocolError(PhobsError):
    """The peer broke the wire contract: unsafe or malformed XML, unexpected reply or status."""


class PhobsServerError(PhobsError):
    """HTTP 5xx without a SOAP Fault."""


class PhobsSoapFault(PhobsError):
    """A SOAP 1.1 Fault; ``faultcode`` is kept as sent (e.g. ``soap:Server``)."""

    def __init__(self, faultcode: str, faultstring: str, **kwargs):
        super().__init__(f"SOAP Fault {faultcode}: {faultstring}", **kwargs)
        self.faultcode = faultcode
        self.faultstring = faultstring

    @property
    def is_server_fault(self) -> bool:
        return self.faultcode.rpartition(":")[2].startswith("Server")


class PhobsBusinessError(PhobsError):
    """The reply carried OTA ``Errors``: the message was understood and refused."""


class PhobsMappingError(PhobsBusinessError):
    """Unknown hotel, room type or rate plan on Phobs' side (codes 392/400/402/436/783)."""


def _describe(errors: Iterable[OtaError]) -> str:
    return "; ".join(
        f"[type {e.type}{f' code {e.code}' if e.code else ''}] {e.text}".rstrip() for e in errors
    )


def error_for_ota(errors: Iterable[OtaError], *, http_status: int | None = None) -> PhobsError:
    """The exception for an RS with ``Errors``: auth first, then mapping, throttling, business."""
    errors = tuple(errors)
    text = _describe(errors) or "reply carried Errors"
    types = {e.type for e in errors}
    codes = {e.code for e in errors}
    if types & AUTH_ERROR_TYPES:
        return PhobsAuthError(
            text, expired=AUTH_TIMEOUT_TYPE in types, http_status=http_status, errors=errors
        )
    if codes & MAPPING_CODES:
        return PhobsMappingError(text, http_status=http_status, errors=errors)
    if THROTTLED_CODE in codes:
        return PhobsThrottledError(text, http_status=http_status, errors=errors)
    return PhobsBusinessError(text, http_status=http_status, errors=errors)


def error_for_status(status: int, message: str, *, retry_after: float | None = None) -> PhobsError:
    """The exception for a non-2xx HTTP answer that carried no SOAP Fault or OTA Errors."""
    kwargs = {"http_status": status, "retry_after": retry_after}
    text = f"HTTP {status}: {message}" if message else f"HTTP {status}"
    if status == 401:
        return PhobsAuthError(text, expired=True, **kwargs)
    if status == 403:
        return PhobsAuthError(text, **kwargs)
    if status == 408:
        return PhobsTimeoutError(text, **kwargs)
    if status == 429:
        return PhobsThrottledError(text, **kwargs)
    if status >= 500:
        return PhobsServerError(text, **kwargs)
    return PhobsProtocolError(text, **kwargs)


def error_for_transport(err: httpx.TransportError) -> PhobsTransportError:
    """Translate an httpx failure; the message names the kind, never headers or bodies."""
    cls = PhobsTimeoutError if isinstance(err, httpx.TimeoutException) else PhobsTransportError
    return cls(f"{type(err).__name__}: {err}")
