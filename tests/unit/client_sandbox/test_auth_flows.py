"""OAuth2 token lifecycle, WS-Security, and refused credentials, against the real sandbox."""
from datetime import timedelta

import pytest

from phobs_channel_manager.phobs_api import (
    AvailabilityRun,
    PhobsAuthError,
    is_retryable,
)

from .conftest import counter, first_day, logged

AVAIL = "OTA_HotelAvailNotifRQ"


def _runs():
    start = first_day()
    return [AvailabilityRun("DBL", start, start + timedelta(days=2), 7)]


def _tokens(stats):
    return counter(stats, "endpoints", "/auth/token")


def _assert_pushed(peer, hotel):
    start = first_day()
    assert set(peer.availability(hotel, "DBL", start, start + timedelta(days=2)).values()) == {7}


def test_oauth2_token_is_fetched_once_and_reused(peer, hotel):
    connection = peer.connect(hotel)
    before = peer.stats()
    connection.client.send_availability(_runs())
    connection.client.pull_reservations()
    connection.client.pull_reservations()
    after = peer.stats()
    assert _tokens(after) - _tokens(before) == 1
    assert [e.error for e in connection.exchanges] == [None, None, None]


@pytest.mark.parametrize("kind, first_status", [("token_expiry", 401), ("auth_timeout", 200)])
def test_expired_token_is_refreshed_once_and_the_request_repeated(peer, hotel, kind,
                                                                  first_status):
    connection = peer.connect(hotel)
    peer.faults({"kind": kind, "count": 1, "path": "/inventory"})
    before = peer.stats()

    results = connection.client.send_availability(_runs())

    after = peer.stats()
    assert results[0].ok, results[0].error
    _assert_pushed(peer, hotel)
    assert _tokens(after) - _tokens(before) == 2, "first token, then exactly one refresh"
    first, second = connection.exchanges
    assert (first.attempt, first.http_status, first.error) == (1, first_status, "PhobsAuthError")
    assert (second.attempt, second.http_status, second.error) == (2, 200, None)
    assert first.echo_token == second.echo_token == results[0].ack.echo_token
    assert logged(after, AVAIL, first.echo_token) == 2
    assert connection.sleeps == [], "a token refresh is not a backoff retry"
    if kind == "auth_timeout":
        assert first.ota_codes == ("497",)


def test_token_refresh_happens_once_not_in_a_loop(peer, hotel):
    connection = peer.connect(hotel)
    peer.faults({"kind": "token_expiry", "count": 3, "path": "/reservations"})
    before = peer.stats()

    with pytest.raises(PhobsAuthError) as raised:
        connection.client.pull_reservations()

    after = peer.stats()
    assert raised.value.expired and not is_retryable(raised.value)
    assert [e.http_status for e in connection.exchanges] == [401, 401]
    assert _tokens(after) - _tokens(before) == 2
    assert logged(after, "OTA_ReadRQ", connection.exchanges[0].echo_token) == 2


def test_wsse_mode_pushes_and_pulls_without_a_token(peer, hotel):
    connection = peer.connect(hotel, "wsse")
    before = peer.stats()

    results = connection.client.send_availability(_runs())
    batch = connection.client.pull_reservations()

    after = peer.stats()
    assert results[0].ok, results[0].error
    _assert_pushed(peer, hotel)
    assert batch.reservations == () and batch.more is False
    assert _tokens(after) == _tokens(before)
    assert [(e.http_status, e.error) for e in connection.exchanges] == [(200, None), (200, None)]


def test_wrong_client_secret_is_an_auth_error_without_retry(peer, hotel):
    wrong = dict(hotel, credentials=dict(hotel["credentials"], client_secret="not-the-secret"))
    connection = peer.connect(wrong)
    before = peer.stats()

    with pytest.raises(PhobsAuthError) as raised:
        connection.client.pull_reservations()

    after = peer.stats()
    assert not raised.value.expired and not is_retryable(raised.value)
    assert len(connection.exchanges) == 1 and connection.exchanges[0].error == "PhobsAuthError"
    assert connection.sleeps == []
    assert _tokens(after) - _tokens(before) == 1
    assert (counter(after, "statuses", "/auth/token", "401")
            - counter(before, "statuses", "/auth/token", "401")) == 1
    assert counter(after, "endpoints", "/reservations") == counter(
        before, "endpoints", "/reservations"), "no SOAP request without a token"


def test_wrong_wsse_password_is_an_auth_error_without_retry(peer, hotel):
    wrong = dict(hotel, credentials=dict(hotel["credentials"], password="not-the-password"))
    connection = peer.connect(wrong, "wsse")
    before = peer.stats()

    with pytest.raises(PhobsAuthError) as raised:
        connection.client.pull_reservations()

    after = peer.stats()
    assert not raised.value.expired and not is_retryable(raised.value)
    assert raised.value.errors[0].type == "4"
    assert len(connection.exchanges) == 1 and connection.sleeps == []
    assert logged(after, "OTA_ReadRQ", connection.exchanges[0].echo_token) == 1
    assert _tokens(after) == _tokens(before)


def test_webhooks_json_api_refreshes_an_expired_token(peer, hotel):
    connection = peer.connect(hotel)
    registered = connection.client.register_webhook("http://127.0.0.1:9/phobs/push", "s3cret")
    peer.faults({"kind": "token_expiry", "count": 1, "path": "/webhooks"})
    before = peer.stats()

    info = connection.client.get_webhook()

    after = peer.stats()
    assert registered == info
    assert (info.url, info.has_secret) == ("http://127.0.0.1:9/phobs/push", True)
    assert [(e.http_status, e.error) for e in connection.attempts("get_webhook")] == [
        (401, "PhobsAuthError"), (200, None)]
    assert _tokens(after) - _tokens(before) == 1


def test_wsse_mode_uses_basic_auth_on_the_webhooks_json_api(peer, hotel):
    connection = peer.connect(hotel, "wsse")
    before = peer.stats()
    info = connection.client.register_webhook("http://127.0.0.1:9/wsse/push", "s3cret")
    assert connection.client.get_webhook() == info
    assert info.url == "http://127.0.0.1:9/wsse/push" and info.has_secret
    assert _tokens(peer.stats()) == _tokens(before)
