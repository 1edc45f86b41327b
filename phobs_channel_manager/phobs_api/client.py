"""``PhobsClient``: the one object the Odoo services talk to Phobs through.

It owns one ``httpx.Client`` (explicit timeouts), applies the backend's auth, makes one
``EchoToken`` per logical request and reuses it on every retry, retries by the rule of
:mod:`.retry`, refreshes an expired token once, caps what it reads, turns every failure into
a typed :class:`~.errors.PhobsError` and reports every attempt as an :class:`Exchange`.
"""
from __future__ import annotations

import base64
import itertools
import json
import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Iterable, Sequence

import httpx
from lxml import etree

from .auth import OAuth2TokenCache, Secret, wsse_header
from .client_types import BatchResult, ClientConfig, ConnectionCheck, Exchange, T, WebhookInfo
from .errors import (
    PhobsAuthError,
    PhobsError,
    PhobsProtocolError,
    PhobsSoapFault,
    PhobsTimeoutError,
    error_for_status,
    error_for_transport,
)
from .messages.avail_notif import build_hotel_avail_notif_rq, parse_hotel_avail_notif_rs
from .messages.common import expect, raise_for_errors, read_issues
from .messages.notif_report import build_notif_report_rq, parse_notif_report_rs
from .messages.rate_amount_notif import (
    build_hotel_rate_amount_notif_rq,
    parse_hotel_rate_amount_notif_rs,
)
from .messages.read import build_read_rq, parse_res_retrieve_rs
from .messages.res_notif import build_hotel_res_notif_rq, parse_hotel_res_notif_rs
from .ranges import batches
from .records import (
    AckResult,
    AvailabilityRun,
    OtaError,
    RateRun,
    Reservation,
    ReservationBatch,
    ResStatus,
    RestrictionRun,
)
from .retry import RetryPolicy, build_retrying, is_retryable, parse_retry_after
from .soap import build_envelope, parse_message
from .xml import local_name, to_bytes

_logger = logging.getLogger(__name__)

_RESPONSE_NAMES = {"OTA_ReadRQ": "OTA_ResRetrieveRS"}


@dataclass(frozen=True)
class _Request:
    """One logical request: the same bytes and echo token on every attempt."""

    operation: str
    method: str
    path: str
    echo_token: str
    body: bytes | None
    headers: dict
    read: Callable[[int, bytes, httpx.Headers], tuple]
    soap: bool


def new_echo_token() -> str:
    return uuid.uuid4().hex


class PhobsClient:
    """Thread-safe for concurrent calls (httpx.Client and the token cache are)."""

    def __init__(
        self,
        config: ClientConfig,
        *,
        on_exchange: Callable[[Exchange], None] | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] | None = None,
    ):
        self.config = config
        self.profile = config.profile
        self._on_exchange = on_exchange
        self._sleep = sleep
        self._rng = rng
        self._clock = clock
        self._now = now or (lambda: datetime.now(timezone.utc))
        self._timed_out: PhobsTimeoutError | None = None
        self._http = httpx.Client(
            base_url=config.base_url,
            timeout=config.timeout,
            transport=transport,
            verify=config.verify,
            follow_redirects=False,
            headers={"User-Agent": "phobs-channel-manager"},
        )
        self._tokens = (
            OAuth2TokenCache(self._http, self.profile.token_path, config.client_id,
                             config.client_secret, refresh_margin=config.token_refresh_margin,
                             clock=clock)
            if config.auth_mode == "oauth2" else None
        )

    def __repr__(self) -> str:
        return f"PhobsClient({self.config.base_url!r}, hotel={self.config.hotel_code!r})"

    def __enter__(self) -> PhobsClient:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------------ operations

    def pull_reservations(self) -> ReservationBatch:
        """Undelivered reservations, oldest first (one page; ``more`` says if others wait).
        Acknowledge them with :meth:`acknowledge`, rejected ones as failures."""
        return self._pull("pull_reservations")

    def acknowledge(
        self,
        successes: Iterable[tuple[str, str]] = (),
        failures: Iterable[tuple[str, OtaError]] = (),
    ) -> list[AckResult]:
        """Report stored ``(message_id, pms_id)`` and failed ``(message_id, error)`` deliveries,
        in separate messages; raises on the first refused one (re-acknowledging is harmless)."""
        results = []
        for kind, items in (("successes", successes), ("failures", failures)):
            for chunk in batches(items, self.profile.message_budget):
                rq = build_notif_report_rq(self.config.hotel_code, **{kind: chunk}, **self._stamp())
                rs = self.send("acknowledge", self.profile.reservations_path, rq)
                results.append(parse_notif_report_rs(rs))
        return results

    def upload_reservations(self, reservations: Iterable[Reservation],
                            status: ResStatus | None = None) -> list[BatchResult[Reservation]]:
        """Front-desk changes (``Commit``/``Modify``/``Cancel``) as ``OTA_HotelResNotifRQ``."""
        return self._send_batches(
            "upload_reservations", self.profile.reservations_path, reservations,
            lambda chunk, **stamp: build_hotel_res_notif_rq(
                chunk, status=status, hotel_code=self.config.hotel_code, **stamp),
            lambda rs: parse_hotel_res_notif_rs(rs, self.profile),
        )

    def send_availability(
        self, runs: Iterable[AvailabilityRun]
    ) -> list[BatchResult[AvailabilityRun]]:
        return self._send_inventory("send_availability", runs)

    def send_restrictions(
        self, runs: Iterable[RestrictionRun]
    ) -> list[BatchResult[RestrictionRun]]:
        return self._send_inventory("send_restrictions", runs)

    def send_rates(self, runs: Iterable[RateRun]) -> list[BatchResult[RateRun]]:
        return self._send_batches(
            "send_rates", self.profile.rates_path, runs,
            lambda chunk, **stamp: build_hotel_rate_amount_notif_rq(
                self.config.hotel_code, chunk, **stamp),
            parse_hotel_rate_amount_notif_rs,
        )

    def get_webhook(self) -> WebhookInfo:
        return self._webhook("get_webhook", "GET", None)

    def register_webhook(self, url: str, secret: Secret | str) -> WebhookInfo:
        body = {"url": url, "secret": Secret(secret).reveal()}
        return self._webhook("register_webhook", "PUT", body)

    def check_connection(self) -> ConnectionCheck:
        """Fetch a fresh token (oauth2) and read the queue once, without retrying."""
        try:
            if self._tokens is not None:
                self._tokens.invalidate()
            batch = self._pull("check_connection", RetryPolicy(max_attempts=1))
        except PhobsError as err:
            return ConnectionCheck(False, f"{type(err).__name__}: {err}")
        waiting = len(batch.reservations) + len(batch.rejected)
        return ConnectionCheck(
            True, f"connected as hotel {self.config.hotel_code}; "
                  f"{waiting}{'+' if batch.more else ''} undelivered reservation message(s)"
        )

    # ------------------------------------------------------------------ core

    def send(self, operation: str, path: str, payload: etree._Element, *,
             policy: RetryPolicy | None = None) -> etree._Element:
        """POST one OTA RQ in a SOAP envelope; return the RS element or raise a typed error.

        The payload's ``EchoToken`` (set here if missing) identifies the logical request and
        travels unchanged on every retry.
        """
        echo_token = payload.get("EchoToken") or new_echo_token()
        payload.set("EchoToken", echo_token)
        name = local_name(payload)
        expected = _RESPONSE_NAMES.get(name, name[:-2] + "RS")
        header = (wsse_header(self.config.username, self.config.password)
                  if self.config.auth_mode == "wsse" else None)
        body = to_bytes(build_envelope(payload, header))
        headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{name}"'}

        def read(status: int, data: bytes, response_headers: httpx.Headers):
            return self._read_soap(status, data, response_headers, expected)

        request = _Request(operation, "POST", path, echo_token, body, headers, read, soap=True)
        return self._call(request, policy)

    def _call(self, request: _Request, policy: RetryPolicy | None = None):
        """One logical request with its retries. Once a request timed out on every attempt,
        the session's later requests are not attempted: they fail at once with the same error
        (retryable, so the outbox tries again later). A hanging Phobs then costs a session one
        request's timeouts, not one per message, and the work queued behind it is not held up.
        """
        if self._timed_out is not None:
            raise type(self._timed_out)(
                f"not attempted: Phobs did not answer earlier in this session ({self._timed_out})")
        attempts = itertools.count(1)

        def attempt_with_refresh():
            try:
                return self._attempt(request, next(attempts))
            except PhobsAuthError as err:
                if not (err.expired and self._tokens is not None):
                    raise
                self._tokens.invalidate()
                return self._attempt(request, next(attempts))

        retrying = build_retrying(policy or self.config.retry, sleep=self._sleep, rng=self._rng)
        try:
            return retrying(attempt_with_refresh)
        except PhobsTimeoutError as err:
            self._timed_out = err
            raise

    def _attempt(self, request: _Request, number: int):
        started = self._clock()
        status, sent, received, codes = None, 0, 0, ()
        error: BaseException | None = None
        try:
            headers = {**request.headers, **self._auth_headers(soap=request.soap)}
            sent = len(request.body or b"")
            with self._http.stream(request.method, request.path, content=request.body,
                                   headers=headers) as response:
                status = response.status_code
                data = self._read_capped(response)
                received = len(data)
            result, codes = request.read(status, data, response.headers)
            return result
        except httpx.TransportError as err:
            error = error_for_transport(err)
            raise error from err
        except Exception as err:
            error = err
            raise
        finally:
            self._report(Exchange(
                operation=request.operation,
                path=request.path,
                http_status=status,
                ota_codes=tuple(getattr(error, "ota_codes", ())) if error else tuple(codes),
                duration_ms=round((self._clock() - started) * 1000, 3),
                attempt=number,
                bytes_sent=sent,
                bytes_received=received,
                echo_token=request.echo_token,
                error=type(error).__name__ if error else None,
            ))

    def _auth_headers(self, *, soap: bool) -> dict[str, str]:
        """Bearer for oauth2; for wsse the SOAP header carries it, the JSON API uses Basic."""
        if self._tokens is not None:
            return {"Authorization": f"Bearer {self._tokens.get()}"}
        if not soap:
            pair = f"{self.config.username}:{self.config.password.reveal()}".encode()
            return {"Authorization": f"Basic {base64.b64encode(pair).decode('ascii')}"}
        return {}

    def _read_capped(self, response: httpx.Response) -> bytes:
        limit = self.config.max_response_bytes
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise PhobsProtocolError(f"reply of {declared} bytes exceeds the {limit} byte cap",
                                     http_status=response.status_code)
        data = bytearray()
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > limit:
                raise PhobsProtocolError(f"reply exceeds the {limit} byte cap",
                                         http_status=response.status_code)
        return bytes(data)

    def _read_soap(self, status, data, headers, expected):
        retry_after = parse_retry_after(headers.get("Retry-After"))
        success = 200 <= status < 300
        try:
            rs = expect(parse_message(data, max_bytes=self.config.max_response_bytes,
                                      http_status=status), expected)
            raise_for_errors(rs, http_status=status)
        except PhobsSoapFault as fault:
            fault.retry_after = retry_after
            if status == 401:
                raise PhobsAuthError(fault.faultstring or "unauthorized", expired=True,
                                     http_status=status) from fault
            raise
        except PhobsProtocolError as err:
            if success:
                raise
            raise error_for_status(status, "reply without a readable SOAP body",
                                   retry_after=retry_after) from err
        except PhobsError as err:
            err.retry_after = err.retry_after or retry_after
            raise
        if not success:
            raise error_for_status(status, f"{expected} with Success", retry_after=retry_after)
        return rs, tuple(w.code for w in read_issues(rs, "Warnings") if w.code)

    def _read_json(self, status, data, headers):
        if not 200 <= status < 300:
            raise error_for_status(status, "webhooks endpoint",
                                   retry_after=parse_retry_after(headers.get("Retry-After")))
        try:
            payload = json.loads(data)
        except ValueError as err:
            raise PhobsProtocolError("webhooks endpoint answered something other than JSON",
                                     http_status=status) from err
        if not isinstance(payload, dict):
            raise PhobsProtocolError("webhooks endpoint answered a non-object", http_status=status)
        return payload, ()

    def _report(self, exchange: Exchange) -> None:
        _logger.debug("phobs %s %s attempt %d -> %s in %.0f ms%s", exchange.operation,
                      exchange.path, exchange.attempt, exchange.http_status, exchange.duration_ms,
                      f" ({exchange.error})" if exchange.error else "")
        if self._on_exchange is None:
            return
        try:
            self._on_exchange(exchange)
        except Exception:
            _logger.exception("on_exchange callback failed; the exchange itself is unaffected")

    # ------------------------------------------------------------------ helpers

    def _stamp(self) -> dict:
        return {"echo_token": new_echo_token(), "timestamp": self._now(), "profile": self.profile}

    def _pull(self, operation: str, policy: RetryPolicy | None = None) -> ReservationBatch:
        rq = build_read_rq(self.config.hotel_code, **self._stamp())
        rs = self.send(operation, self.profile.reservations_path, rq, policy=policy)
        return parse_res_retrieve_rs(rs, self.profile)

    def _send_inventory(self, operation: str, runs: Iterable) -> list[BatchResult]:
        return self._send_batches(
            operation, self.profile.inventory_path, runs,
            lambda chunk, **stamp: build_hotel_avail_notif_rq(
                self.config.hotel_code, chunk, **stamp),
            parse_hotel_avail_notif_rs,
        )

    def _send_batches(self, operation: str, path: str, items: Iterable[T],
                      build: Callable[..., etree._Element],
                      parse: Callable[[etree._Element], AckResult]) -> list[BatchResult[T]]:
        """One request per budget-sized chunk. A chunk refused for good does not stop the
        others; after a transient failure outlived its retries the rest are not attempted
        and carry the same error, so every item lands in exactly one result."""
        chunks: Sequence[list[T]] = list(batches(items, self.profile.message_budget))
        results: list[BatchResult[T]] = []
        for index, chunk in enumerate(chunks):
            try:
                results.append(BatchResult(tuple(chunk), ack=parse(
                    self.send(operation, path, build(chunk, **self._stamp())))))
            except PhobsError as err:
                results.append(BatchResult(tuple(chunk), error=err))
                if is_retryable(err):
                    results.extend(
                        BatchResult(tuple(rest), error=err) for rest in chunks[index + 1:])
                    break
        return results

    def _webhook(self, operation: str, method: str, body: dict | None) -> WebhookInfo:
        content = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json"}
        if content is not None:
            headers["Content-Type"] = "application/json"
        payload = self._call(_Request(operation, method, self.profile.webhooks_path,
                                      new_echo_token(), content, headers, self._read_json,
                                      soap=False))
        return WebhookInfo(url=payload.get("url"), has_secret=bool(payload.get("has_secret")))
