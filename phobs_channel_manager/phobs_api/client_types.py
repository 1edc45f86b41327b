"""What the Phobs client takes and gives back: its configuration (one backend's connection) and
the plain results of its calls (an attempt for monitoring, a batch's fate, the webhook, a
connection check). Kept apart from :mod:`.client` so that a reader of the results needs no HTTP.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

import httpx

from .auth import Secret
from .errors import PhobsError
from .profile import DEFAULT_PROFILE, DialectProfile
from .records import AckResult
from .retry import RetryPolicy
from .xml import DEFAULT_MAX_BYTES

T = TypeVar("T")
AUTH_MODES = ("oauth2", "wsse")


@dataclass(frozen=True)
class ClientConfig:
    """Everything a backend record holds about its Phobs connection. Secrets become
    :class:`~.auth.Secret`; ``auth_mode`` defaults to the profile's."""

    base_url: str
    hotel_code: str
    auth_mode: str | None = None
    client_id: str | None = None
    client_secret: Secret | str | None = None
    username: str | None = None
    password: Secret | str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    write_timeout: float = 30.0
    pool_timeout: float = 10.0
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    max_response_bytes: int = DEFAULT_MAX_BYTES
    token_refresh_margin: float = 60.0
    verify: bool = True
    profile: DialectProfile = DEFAULT_PROFILE

    def __post_init__(self):
        for name in ("client_secret", "password"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Secret):
                object.__setattr__(self, name, Secret(value))
        mode = self.auth_mode or self.profile.auth_mode
        object.__setattr__(self, "auth_mode", mode)
        if mode not in AUTH_MODES:
            raise ValueError(f"auth_mode must be one of {AUTH_MODES}, got {mode!r}")
        needed = ("client_id", "client_secret") if mode == "oauth2" else ("username", "password")
        missing = [name for name in needed if not getattr(self, name)]
        if missing:
            raise ValueError(f"auth_mode {mode!r} needs {', '.join(missing)}")
        if not self.hotel_code:
            raise ValueError("hotel_code is required")

    @property
    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect_timeout, read=self.read_timeout,
                             write=self.write_timeout, pool=self.pool_timeout)


@dataclass(frozen=True)
class Exchange:
    """One HTTP attempt, for monitoring; never carries a body or a credential."""

    operation: str
    path: str
    http_status: int | None
    ota_codes: tuple[str, ...]
    duration_ms: float
    attempt: int
    bytes_sent: int
    bytes_received: int
    echo_token: str
    error: str | None = None


@dataclass(frozen=True)
class BatchResult(Generic[T]):
    """One request message's worth of items, and what became of it."""

    items: tuple[T, ...]
    ack: AckResult | None = None
    error: PhobsError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True)
class WebhookInfo:
    url: str | None
    has_secret: bool


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    message: str
