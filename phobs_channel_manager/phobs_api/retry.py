"""The one retry decision, shared by the client (within a call) and the Odoo outbox (across
cron runs): what is worth trying again, and how long to wait before doing so.

Transient: no HTTP answer, timeouts, HTTP 408/429/5xx, server-side SOAP Faults and OTA codes
187 (unavailable), 447 (simultaneous update), 448 (system error), 737 (throttled).
Never transient: business and mapping errors, and auth errors (the client has already
refreshed its token once before raising one).
"""
from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Callable

import tenacity

from .errors import (
    PhobsAuthError,
    PhobsError,
    PhobsMappingError,
    PhobsServerError,
    PhobsSoapFault,
    PhobsThrottledError,
    PhobsTransportError,
)

RETRYABLE_OTA_CODES = frozenset({"187", "447", "448", "737"})
RETRYABLE_HTTP_STATUSES = frozenset({408, 429})


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` counts the first try; delays are seconds (exponential, full jitter)."""

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 30.0

    def __post_init__(self):
        if self.max_attempts < 1 or self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("RetryPolicy needs max_attempts >= 1 and non-negative delays")


def is_retryable(exc: BaseException) -> bool:
    """Whether repeating the same request later may succeed.

    OTA ``Errors`` in the reply are more specific than its HTTP status, so they decide first.
    """
    if not isinstance(exc, PhobsError) or isinstance(exc, (PhobsAuthError, PhobsMappingError)):
        return False
    if isinstance(exc, (PhobsTransportError, PhobsThrottledError, PhobsServerError)):
        return True
    if isinstance(exc, PhobsSoapFault):
        return exc.is_server_fault
    if exc.errors:
        return all(e.code in RETRYABLE_OTA_CODES for e in exc.errors)
    status = exc.http_status
    return status is not None and (status in RETRYABLE_HTTP_STATUSES or status >= 500)


def backoff_delay(
    attempt: int,
    base: float = RetryPolicy.base_delay,
    cap: float = RetryPolicy.max_delay,
    retry_after: float | None = None,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based).

    Full jitter: uniform in ``[0, min(cap, base * 2**(attempt-1))]``. A ``Retry-After`` is a
    floor (the server knows best), and everything stays within ``cap``.
    """
    if attempt < 1:
        raise ValueError("attempt numbers start at 1")
    ceiling = min(cap, base * 2 ** min(attempt - 1, 62))
    delay = (rng or random).uniform(0, ceiling)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return min(cap, delay)


def parse_retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds; the HTTP-date form and garbage are ignored."""
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds < float("inf") else None


def operations_answering_again(outcomes: list[tuple[str, bool]]) -> set[str]:
    """The operations of one client session that go through again: ``outcomes`` is each HTTP
    attempt's ``(operation, went through)`` in order. An operation counts when its last attempt
    went through and none failed after its first success: Phobs came back during or before the
    session. One that failed after succeeding is flaky, or refuses one payload, so its waiting
    updates keep their backoff."""
    first_success, failed_after = {}, set()
    for index, (operation, ok) in enumerate(outcomes):
        if ok:
            first_success.setdefault(operation, index)
        elif operation in first_success:
            failed_after.add(operation)
    return set(first_success) - failed_after


def build_retrying(
    policy: RetryPolicy,
    *,
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
) -> tenacity.Retrying:
    """A tenacity ``Retrying`` applying :func:`is_retryable` and :func:`backoff_delay`."""

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        return backoff_delay(
            state.attempt_number,
            policy.base_delay,
            policy.max_delay,
            getattr(exc, "retry_after", None),
            rng,
        )

    return tenacity.Retrying(
        stop=tenacity.stop_after_attempt(policy.max_attempts),
        wait=wait,
        retry=tenacity.retry_if_exception(is_retryable),
        sleep=sleep,
        reraise=True,
    )
