"""A sliding-window counter of failures per key, for refusing work after too many of them.

The push endpoint keys it by (backend, client address) and consults it only AFTER a request
failed authentication, so a correctly signed push is never refused by it: after ``limit``
failures within ``window_seconds`` a source is answered 429 instead of 401 until the oldest
failure leaves the window. It lives in the memory of one server process: with several Odoo
workers each counts its own failures (the bound is then ``limit`` per worker). Framework-free,
so it is unit-tested without Odoo.
"""
from __future__ import annotations

import math
import threading
import time
from collections import deque
from typing import Callable, Hashable


class FailureLimiter:
    def __init__(self, limit: int = 10, window_seconds: float = 60.0,
                 clock: Callable[[], float] = time.monotonic, max_keys: int = 10000):
        if limit < 1 or window_seconds <= 0:
            raise ValueError("FailureLimiter needs limit >= 1 and a positive window")
        self.limit = limit
        self.window = window_seconds
        self._clock = clock
        self._max_keys = max_keys
        self._failures: dict[Hashable, deque] = {}
        self._lock = threading.Lock()

    def _expire(self, key, now):
        failures = self._failures.get(key)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return None
        return failures

    def retry_after(self, key) -> int:
        """Seconds until ``key`` may try again; 0 when it is not blocked."""
        with self._lock:
            now = self._clock()
            failures = self._expire(key, now)
            if failures is None or len(failures) < self.limit:
                return 0
            wait = failures[-self.limit] + self.window - now
            return max(1, math.ceil(wait))

    def record_failure(self, key) -> None:
        with self._lock:
            now = self._clock()
            failures = self._expire(key, now)
            if failures is None:
                if len(self._failures) >= self._max_keys:
                    self._failures.pop(next(iter(self._failures)))
                failures = self._failures[key] = deque()
            failures.append(now)
            while len(failures) > self.limit:
                failures.popleft()

    def reset(self, key=None) -> None:
        with self._lock:
            if key is None:
                self._failures.clear()
            else:
                self._failures.pop(key, None)
