"""Credentials: an OAuth2 client-credentials token cache and the WS-Security header.

Secrets travel wrapped in :class:`Secret`, whose ``repr``/``str`` is ``***``, so a config
object, a traceback or a log line can never show them.
"""
from __future__ import annotations

import hmac
import threading
import time
from typing import Callable

import httpx
from lxml import etree

from .errors import (
    PhobsAuthError,
    PhobsProtocolError,
    error_for_status,
    error_for_transport,
)
from .retry import parse_retry_after
from .xml import WSSE_NS

PASSWORD_TEXT = (
    "http://docs.oasis-open.org/wss/2004/01/"
    "oasis-200401-wss-username-token-profile-1.0#PasswordText"
)


class Secret:
    """A string that does not show itself; call :meth:`reveal` where it must be used."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        if isinstance(value, Secret):
            value = value.reveal()
        if not isinstance(value, str):
            raise TypeError("Secret wraps a str")
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "***"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    __hash__ = None

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self):
        raise TypeError("a Secret is not pickled")


def wsse_header(username: str, password: Secret | str) -> etree._Element:
    """``wsse:Security/wsse:UsernameToken`` with a ``#PasswordText`` password."""
    password = Secret(password)
    nsmap = {"wsse": WSSE_NS}
    security = etree.Element(f"{{{WSSE_NS}}}Security", nsmap=nsmap)
    token = etree.SubElement(security, f"{{{WSSE_NS}}}UsernameToken")
    etree.SubElement(token, f"{{{WSSE_NS}}}Username").text = username
    pwd = etree.SubElement(token, f"{{{WSSE_NS}}}Password", Type=PASSWORD_TEXT)
    pwd.text = password.reveal()
    return security


class OAuth2TokenCache:
    """Client-credentials bearer token, fetched lazily and shared by every thread.

    The token is refreshed ``refresh_margin`` seconds before it expires, so a request never
    leaves with a token about to die on the way, and on demand via :meth:`invalidate` when
    Phobs says it has expired anyway. One lock: concurrent callers wait for one fetch.
    """

    def __init__(
        self,
        http: httpx.Client,
        token_url: str,
        client_id: str,
        client_secret: Secret | str,
        *,
        refresh_margin: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._http = http
        self._token_url = token_url
        self._client_id = client_id
        self._client_secret = Secret(client_secret)
        self._refresh_margin = refresh_margin
        self._clock = clock
        self._lock = threading.Lock()
        self._token: Secret | None = None
        self._expires_at = 0.0

    def __repr__(self) -> str:
        return f"OAuth2TokenCache(token_url={self._token_url!r}, client_id={self._client_id!r})"

    def get(self) -> str:
        """A valid access token, fetching one if none is cached or it is about to expire."""
        with self._lock:
            if self._token is None or self._clock() >= self._expires_at - self._refresh_margin:
                self._token, lifetime = self._fetch()
                self._expires_at = self._clock() + lifetime
            return self._token.reveal()

    def invalidate(self) -> None:
        with self._lock:
            self._token = None

    def _fetch(self) -> tuple[Secret, float]:
        try:
            response = self._http.post(
                self._token_url,
                data={"grant_type": "client_credentials"},
                auth=httpx.BasicAuth(self._client_id, self._client_secret.reveal()),
                headers={"Accept": "application/json"},
            )
        except httpx.TransportError as err:
            raise error_for_transport(err) from err
        if response.status_code in (400, 401):
            raise PhobsAuthError(
                f"token endpoint refused the client credentials (HTTP {response.status_code})",
                http_status=response.status_code,
            )
        if response.status_code != 200:
            raise error_for_status(
                response.status_code,
                "token endpoint",
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        try:
            payload = response.json()
        except ValueError as err:
            raise PhobsProtocolError("token endpoint answered something other than JSON") from err
        token = payload.get("access_token") if isinstance(payload, dict) else None
        if not isinstance(token, str) or not token:
            raise PhobsProtocolError("token endpoint answered without an access_token")
        try:
            lifetime = float(payload.get("expires_in", 3600))
        except (TypeError, ValueError) as err:
            raise PhobsProtocolError("token endpoint answered a non-numeric expires_in") from err
        return Secret(token), lifetime
