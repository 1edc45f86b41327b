"""Authenticity of a Phobs push: HMAC-SHA256 over ``timestamp + "." + body``.

The timestamp window stops replays of captured requests; ``hmac.compare_digest`` keeps the
comparison constant-time. The timestamp is whole seconds since the epoch in ASCII digits and
nothing else: ``float()`` would also take ``nan`` (which compares false with everything, so it
never leaves the window), ``inf``, ``1e9``, ``+1800000000`` or non-ASCII digits, each a way to
sign once and replay for ever. Framework-free, so the controller's rules are unit-tested here.
"""
from __future__ import annotations

import hashlib
import hmac
import time

from .auth import Secret
from .errors import PhobsAuthError

SIGNATURE_HEADER = "X-Phobs-Signature"
TIMESTAMP_HEADER = "X-Phobs-Timestamp"
DEFAULT_WINDOW_SECONDS = 300
#: Seconds since the epoch have 10 digits until the year 2286; a few more are still harmless.
TIMESTAMP_MAX_DIGITS = 12
_ASCII_DIGITS = frozenset("0123456789")


def parse_timestamp(value: str | None) -> int:
    """The header's seconds as an int; :class:`PhobsAuthError` unless it is 1 to 12 ASCII
    digits (no sign, point, exponent, spaces, nan or inf)."""
    if not value or len(value) > TIMESTAMP_MAX_DIGITS or not set(value) <= _ASCII_DIGITS:
        raise PhobsAuthError("malformed %s header: whole seconds expected" % TIMESTAMP_HEADER)
    return int(value)


def sign(secret: Secret | str, timestamp: str, body: bytes) -> str:
    key = Secret(secret).reveal().encode("utf-8")
    digest = hmac.new(key, timestamp.encode("ascii") + b"." + body, hashlib.sha256).hexdigest()
    return "sha256=" + digest


def verify(secret: Secret | str | None, timestamp: str | None, signature: str | None,
           body: bytes, *, now: float | None = None,
           window: float = DEFAULT_WINDOW_SECONDS) -> None:
    """Raises :class:`PhobsAuthError` saying what is wrong; returns None when authentic."""
    if not secret:
        raise PhobsAuthError("no webhook secret is configured for this backend")
    if not timestamp or not signature:
        raise PhobsAuthError("missing %s or %s header" % (TIMESTAMP_HEADER, SIGNATURE_HEADER))
    sent_at = parse_timestamp(timestamp)
    now = time.time() if now is None else now
    if abs(now - sent_at) > window:
        raise PhobsAuthError("timestamp outside the %d s window (replayed or clock skew)" % window)
    expected = sign(secret, timestamp, body)
    if not hmac.compare_digest(expected.encode("ascii"), signature.strip().encode("ascii", "replace")):
        raise PhobsAuthError("signature does not match")
