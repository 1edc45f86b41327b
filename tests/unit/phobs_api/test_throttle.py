"""The failure window behind the push endpoint's 429: per key, sliding, thread-safe."""
import threading

import pytest

from phobs_channel_manager.phobs_api.throttle import FailureLimiter


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_blocks_after_the_limit_within_the_window_and_frees_as_failures_age():
    clock = Clock()
    limiter = FailureLimiter(limit=3, window_seconds=60, clock=clock)
    for second in (0, 10, 20):
        assert limiter.retry_after("b1") == 0
        clock.now = 1000 + second
        limiter.record_failure("b1")
    assert limiter.retry_after("b1") == 40            # the first failure leaves at 1060
    clock.now = 1059.5
    assert limiter.retry_after("b1") == 1
    clock.now = 1060
    assert limiter.retry_after("b1") == 0             # two failures left in the window
    limiter.record_failure("b1")
    assert limiter.retry_after("b1") == 10            # now 10, 20 and 60: free at 1070


def test_keys_are_independent_and_reset():
    clock = Clock()
    limiter = FailureLimiter(limit=2, window_seconds=60, clock=clock)
    limiter.record_failure(1)
    limiter.record_failure(1)
    assert limiter.retry_after(1) > 0
    assert limiter.retry_after(2) == 0
    limiter.reset(1)
    assert limiter.retry_after(1) == 0


def test_failures_outside_the_window_do_not_count():
    clock = Clock()
    limiter = FailureLimiter(limit=2, window_seconds=60, clock=clock)
    limiter.record_failure("x")
    clock.now += 61
    limiter.record_failure("x")
    assert limiter.retry_after("x") == 0


def test_memory_is_bounded():
    limiter = FailureLimiter(limit=1, window_seconds=60, clock=Clock(), max_keys=100)
    for key in range(1000):
        limiter.record_failure(key)
    assert len(limiter._failures) <= 100
    assert limiter.retry_after(999) > 0


def test_concurrent_failures_are_all_counted():
    limiter = FailureLimiter(limit=1000, window_seconds=60)
    threads = [threading.Thread(target=lambda: [limiter.record_failure("k") for _ in range(50)])
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(limiter._failures["k"]) == 400


def test_rejects_nonsense_settings():
    with pytest.raises(ValueError):
        FailureLimiter(limit=0)
    with pytest.raises(ValueError):
        FailureLimiter(window_seconds=0)
