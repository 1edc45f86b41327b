import random

import pytest

from phobs_channel_manager.phobs_api.errors import (
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
    error_for_ota,
    error_for_status,
)
from phobs_channel_manager.phobs_api.records import OtaError
from phobs_channel_manager.phobs_api.retry import (
    RetryPolicy,
    backoff_delay,
    build_retrying,
    is_retryable,
    operations_answering_again,
    parse_retry_after,
)


def ota(*codes, type_="12"):
    return error_for_ota([OtaError(type_, code, "x") for code in codes])


@pytest.mark.parametrize(
    "exc, retryable",
    [
        (PhobsTransportError("reset"), True),
        (PhobsTimeoutError("read timeout"), True),
        (error_for_status(408, ""), True),
        (error_for_status(429, "", retry_after=3), True),
        (error_for_status(500, ""), True),
        (error_for_status(502, ""), True),
        (error_for_status(503, ""), True),
        (error_for_status(400, ""), False),
        (error_for_status(404, ""), False),
        (error_for_status(401, ""), False),
        (error_for_status(403, ""), False),
        (PhobsSoapFault("soap:Server", "down", http_status=500), True),
        (PhobsSoapFault("soap:Client", "bad request", http_status=500), False),
        (PhobsProtocolError("malformed XML"), False),
        (ota("187"), True),
        (ota("447"), True),
        (ota("448"), True),
        (ota("737"), True),
        (ota("448", "737"), True),
        (ota("448", "321"), False),
        (ota("321"), False),
        (ota(None), False),
        (ota("392"), False),
        (ota("400"), False),
        (ota("402"), False),
        (ota("436"), False),
        (ota("783"), False),
        (ota("448", "402"), False),
        (ota("448", type_="5"), False),
        (ota("448", type_="4"), False),
        (error_for_ota([OtaError("3", "321", "x")], http_status=500), False),
        (error_for_ota([OtaError("12", "448", "x")], http_status=500), True),
        (PhobsProtocolError("reply exceeds the cap", http_status=503), True),
        (ValueError("bug"), False),
    ],
)
def test_retry_table(exc, retryable):
    assert is_retryable(exc) is retryable


@pytest.mark.parametrize(
    "codes, type_, cls",
    [
        (["402"], "3", PhobsMappingError),
        (["737"], "12", PhobsThrottledError),
        (["321"], "10", PhobsBusinessError),
        ([None], "4", PhobsAuthError),
        (["448"], "12", PhobsBusinessError),
    ],
)
def test_ota_errors_are_classified(codes, type_, cls):
    err = ota(*codes, type_=type_)
    assert type(err) is cls
    assert err.ota_codes == tuple(c for c in codes if c)


def test_auth_timeout_is_marked_expired():
    assert ota(None, type_="5").expired and not ota(None, type_="4").expired


class MaxRng:
    """Always the top of the jitter range, to see the envelope."""

    def uniform(self, low, high):
        return high


def test_backoff_grows_exponentially_then_caps():
    delays = [backoff_delay(n, base=1, cap=20, rng=MaxRng()) for n in range(1, 8)]
    assert delays == [1, 2, 4, 8, 16, 20, 20]
    assert backoff_delay(10_000, base=1, cap=20, rng=MaxRng()) == 20


def test_full_jitter_stays_within_bounds():
    rng = random.Random(7)
    for attempt in range(1, 10):
        ceiling = min(30, 0.5 * 2 ** (attempt - 1))
        samples = [backoff_delay(attempt, base=0.5, cap=30, rng=rng) for _ in range(200)]
        assert all(0 <= s <= ceiling for s in samples)
        assert max(samples) - min(samples) > ceiling / 4


@pytest.mark.parametrize(
    "retry_after, expected",
    [(5, 5), (0, 0), (100, 20), (None, 0)],
)
def test_retry_after_is_a_floor_within_the_cap(retry_after, expected):
    class MinRng:
        def uniform(self, low, high):
            return low

    assert backoff_delay(3, base=1, cap=20, retry_after=retry_after, rng=MinRng()) == expected


def test_backoff_rejects_attempt_zero():
    with pytest.raises(ValueError):
        backoff_delay(0)


@pytest.mark.parametrize(
    "header, seconds",
    [("7", 7.0), ("1.5", 1.5), (" 3 ", 3.0), ("Wed, 21 Oct 2015 07:28:00 GMT", None),
     ("-1", None), ("nan", None), ("inf", None), (None, None), ("", None)],
)
def test_parse_retry_after(header, seconds):
    assert parse_retry_after(header) == seconds


def test_policy_validates():
    with pytest.raises(ValueError):
        RetryPolicy(max_attempts=0)


def run(retrying, outcomes):
    calls = []

    def fn():
        calls.append(1)
        outcome = outcomes[len(calls) - 1]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return retrying(fn), len(calls)


def test_retrying_retries_transient_errors_with_backoff_and_retry_after():
    sleeps = []
    retrying = build_retrying(RetryPolicy(4, 1, 60), sleep=sleeps.append, rng=MaxRng())
    result, calls = run(retrying, [PhobsServerError("x"), PhobsThrottledError("y", retry_after=9), "ok"])
    assert (result, calls) == ("ok", 3)
    assert sleeps == [1, 9]


def test_retrying_gives_up_after_max_attempts_with_the_last_error():
    sleeps = []
    retrying = build_retrying(RetryPolicy(3, 0.01, 0.01), sleep=sleeps.append)
    with pytest.raises(PhobsTimeoutError, match="third"):
        run(retrying, [PhobsTimeoutError("first"), PhobsTimeoutError("second"),
                       PhobsTimeoutError("third")])
    assert len(sleeps) == 2


@pytest.mark.parametrize("exc", [ota("402"), PhobsAuthError("no"), PhobsError("?"), KeyError("bug")])
def test_retrying_never_repeats_permanent_errors(exc):
    sleeps = []
    with pytest.raises(type(exc)):
        run(build_retrying(RetryPolicy(), sleep=sleeps.append), [exc, "ok"])
    assert sleeps == []


class TestOperationsAnsweringAgain:
    def test_an_operation_whose_failures_all_came_before_its_first_success_answers_again(self):
        outcomes = [("send_rates", False), ("send_rates", False), ("send_rates", True),
                    ("send_availability", True)]
        assert operations_answering_again(outcomes) == {"send_rates", "send_availability"}

    def test_an_operation_that_failed_after_a_success_does_not(self):
        outcomes = [("send_rates", True), ("send_rates", False), ("send_rates", True)]
        assert operations_answering_again(outcomes) == set()

    def test_an_operation_that_only_failed_does_not_and_leaves_the_others_alone(self):
        outcomes = [("send_availability", False), ("pull_reservations", True),
                    ("send_availability", False)]
        assert operations_answering_again(outcomes) == {"pull_reservations"}

    def test_a_session_without_requests_answers_nothing(self):
        assert operations_answering_again([]) == set()
