"""Framework-free Phobs client: OTA 2016B messages in SOAP 1.1 over HTTPS.

Nothing here imports Odoo, and imports inside the package are relative, so the same code
runs as ``odoo.addons.phobs_channel_manager.phobs_api`` and, in tests and tools, as plain
``phobs_channel_manager.phobs_api``.
"""
from .auth import OAuth2TokenCache, Secret, wsse_header
from .client import PhobsClient, new_echo_token
from .client_types import BatchResult, ClientConfig, ConnectionCheck, Exchange, WebhookInfo
from .errors import (
    PhobsAuthError,
    PhobsBusinessError,
    PhobsError,
    PhobsMappingError,
    PhobsProtocolError,
    PhobsServerError,
    PhobsSoapFault,
    PhobsThrottledError,
    PhobsTimeoutError,
    PhobsTransportError,
)
from .profile import DEFAULT_PROFILE, DialectProfile
from .ranges import Run, batches, collapse
from .records import (
    AckResult,
    AvailabilityRun,
    Confirmation,
    DailyRate,
    Guest,
    GuestCount,
    MaskedCard,
    OtaError,
    RateRun,
    RejectedReservation,
    Reservation,
    ReservationBatch,
    ResStatus,
    RestrictionRun,
    RoomStay,
)
from .retry import RetryPolicy, backoff_delay, build_retrying, is_retryable

__all__ = [
    "AckResult",
    "AvailabilityRun",
    "BatchResult",
    "ClientConfig",
    "Confirmation",
    "ConnectionCheck",
    "DEFAULT_PROFILE",
    "DailyRate",
    "DialectProfile",
    "Exchange",
    "Guest",
    "GuestCount",
    "MaskedCard",
    "OAuth2TokenCache",
    "OtaError",
    "PhobsAuthError",
    "PhobsBusinessError",
    "PhobsClient",
    "PhobsError",
    "PhobsMappingError",
    "PhobsProtocolError",
    "PhobsServerError",
    "PhobsSoapFault",
    "PhobsThrottledError",
    "PhobsTimeoutError",
    "PhobsTransportError",
    "RateRun",
    "RejectedReservation",
    "ResStatus",
    "Reservation",
    "ReservationBatch",
    "RestrictionRun",
    "RetryPolicy",
    "RoomStay",
    "Run",
    "Secret",
    "WebhookInfo",
    "backoff_delay",
    "batches",
    "build_retrying",
    "collapse",
    "is_retryable",
    "new_echo_token",
    "wsse_header",
]
