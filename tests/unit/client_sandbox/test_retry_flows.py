"""Transient failures are retried with the same EchoToken; permanent ones are not retried."""
from datetime import timedelta

import pytest

from phobs_channel_manager.phobs_api import (
    AvailabilityRun,
    PhobsMappingError,
    PhobsProtocolError,
    PhobsServerError,
)

from .conftest import FAST_RETRY, counter, first_day, logged

AVAIL = "OTA_HotelAvailNotifRQ"


def _runs(limit=5, room_type="DBL"):
    start = first_day()
    return [AvailabilityRun(room_type, start, start + timedelta(days=3), limit),
            AvailabilityRun(room_type, start + timedelta(days=4), start + timedelta(days=6),
                            limit + 1)]


def _stored(peer, hotel, room_type="DBL"):
    start = first_day()
    return list(peer.availability(hotel, room_type, start, start + timedelta(days=6)).values())


# (fault rule, failed attempts before success, error the client saw, HTTP status of a failure)
TRANSIENT = {
    "http_503_retry_after": ({"kind": "http_503", "count": 2, "retry_after": 1}, 2,
                             "PhobsServerError", 503),
    "http_429": ({"kind": "http_429", "count": 2}, 2, "PhobsThrottledError", 429),
    "http_500": ({"kind": "http_500", "count": 2}, 2, "PhobsServerError", 500),
    "soap_server_fault": ({"kind": "soap_fault", "count": 2}, 2, "PhobsSoapFault", 500),
    "ota_error_448": ({"kind": "ota_error", "code": 448, "count": 2}, 2,
                      "PhobsBusinessError", 200),
    "latency_over_read_timeout": ({"kind": "latency", "latency_ms": 1500, "count": 1}, 1,
                                  "PhobsTimeoutError", None),
    "connection_dropped_after_processing": ({"kind": "drop_connection", "count": 1}, 1,
                                            "PhobsTransportError", None),
}


@pytest.mark.parametrize("rule, failures, error, status", TRANSIENT.values(), ids=TRANSIENT)
def test_transient_failure_is_retried_with_the_same_echo_token(peer, hotel, rule, failures,
                                                              error, status):
    read_timeout = 0.5 if rule["kind"] == "latency" else 10.0
    connection = peer.connect(hotel, read_timeout=read_timeout)
    peer.faults(dict(rule, path="/inventory"))
    before = peer.stats()

    results = connection.client.send_availability(_runs())

    after = peer.stats()
    assert len(results) == 1 and results[0].ok, results[0].error
    assert _stored(peer, hotel) == [5] * 4 + [6] * 3
    attempts = connection.exchanges
    assert [e.attempt for e in attempts] == list(range(1, failures + 2))
    assert [(e.http_status, e.error) for e in attempts[:-1]] == [(status, error)] * failures
    assert (attempts[-1].http_status, attempts[-1].error) == (200, None)
    token = attempts[0].echo_token
    assert {e.echo_token for e in attempts} == {token} == {results[0].ack.echo_token}
    assert logged(after, AVAIL, token) == failures + 1
    assert (counter(after, "endpoints", "/inventory")
            - counter(before, "endpoints", "/inventory")) == failures + 1
    assert len(connection.sleeps) == failures
    if rule.get("retry_after"):
        assert connection.sleeps == [1.0] * failures, "Retry-After is the floor of the wait"
    if rule["kind"] == "ota_error":
        assert all(e.ota_codes == ("448",) for e in attempts[:-1])


def test_mapping_error_is_not_retried(peer, hotel):
    connection = peer.connect(hotel)
    peer.faults({"kind": "ota_error", "code": 402, "count": 5, "path": "/inventory"})

    results = connection.client.send_availability(_runs())

    stats = peer.stats()
    assert isinstance(results[0].error, PhobsMappingError)
    assert results[0].error.ota_codes == ("402",)
    assert len(connection.exchanges) == 1 and connection.sleeps == []
    assert logged(stats, AVAIL, connection.exchanges[0].echo_token) == 1
    assert _stored(peer, hotel) == [80] * 7, "nothing was stored"


def test_unknown_room_type_is_a_mapping_error_from_the_sandbox_itself(peer, hotel):
    connection = peer.connect(hotel)

    results = connection.client.send_availability(_runs(room_type="SUITE"))

    assert isinstance(results[0].error, PhobsMappingError)
    assert results[0].error.ota_codes == ("402",)
    assert len(connection.exchanges) == 1


def test_persistent_server_error_gives_up_after_max_attempts(peer, hotel):
    connection = peer.connect(hotel)
    peer.faults({"kind": "http_500", "path": "/reservations"})

    with pytest.raises(PhobsServerError) as raised:
        connection.client.pull_reservations()

    stats = peer.stats()
    assert raised.value.http_status == 500
    attempts = connection.exchanges
    assert [e.attempt for e in attempts] == list(range(1, FAST_RETRY.max_attempts + 1))
    assert {e.http_status for e in attempts} == {500}
    assert len({e.echo_token for e in attempts}) == 1
    assert logged(stats, "OTA_ReadRQ", attempts[0].echo_token) == FAST_RETRY.max_attempts
    assert len(connection.sleeps) == FAST_RETRY.max_attempts - 1


def test_after_a_chunk_outlives_its_retries_the_rest_are_not_attempted(peer, hotel):
    start = first_day()
    runs = [AvailabilityRun("DBL", start + timedelta(days=n), start + timedelta(days=n), n % 2)
            for n in range(450)]
    connection = peer.connect(hotel)
    peer.faults({"kind": "http_503", "path": "/inventory"})

    results = connection.client.send_availability(runs)

    assert [len(r.items) for r in results] == [200, 200, 50]
    assert all(isinstance(r.error, PhobsServerError) for r in results)
    assert len(connection.exchanges) == FAST_RETRY.max_attempts
    assert len({e.echo_token for e in connection.exchanges}) == 1


def test_garbled_reply_after_processing_is_a_protocol_error_not_retried(peer, hotel):
    """Per retry.py a malformed HTTP 200 reply is not transient: the caller's outbox decides."""
    connection = peer.connect(hotel)
    peer.faults({"kind": "malformed_reply", "count": 1, "path": "/inventory"})

    results = connection.client.send_availability(_runs())

    assert isinstance(results[0].error, PhobsProtocolError)
    assert len(connection.exchanges) == 1
    assert _stored(peer, hotel) == [5] * 4 + [6] * 3, "the sandbox applied it before garbling"


def test_transient_failure_of_the_token_endpoint_is_retried(peer, hotel):
    connection = peer.connect(hotel)
    peer.faults({"kind": "http_503", "count": 2, "path": "/auth/token"})
    before = peer.stats()

    batch = connection.client.pull_reservations()

    after = peer.stats()
    assert batch.reservations == ()
    assert [(e.http_status, e.error) for e in connection.exchanges] == [
        (None, "PhobsServerError"), (None, "PhobsServerError"), (200, None)]
    assert (counter(after, "endpoints", "/auth/token")
            - counter(before, "endpoints", "/auth/token")) == 3
    assert logged(after, "OTA_ReadRQ", connection.exchanges[0].echo_token) == 1
