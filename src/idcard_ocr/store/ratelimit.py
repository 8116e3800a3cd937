"""Requests per second per appid: over the app's limit a request is refused with 15."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class RateLimiter(Protocol):
    """Admits or refuses one request of an app under its requests-per-second limit."""

    def admit(self, appid: str, qps: int) -> bool:
        """True when the request is within the limit (and counts it), False when over."""
        ...


@dataclass
class _Bucket:
    tokens: float
    updated: float


class MemoryRateLimiter:
    """A token bucket per appid in this process: `qps` per second, bursts up to `qps`."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()

    def admit(self, appid: str, qps: int) -> bool:
        now = self._clock()
        with self._lock:
            bucket = self._buckets.setdefault(appid, _Bucket(float(qps), now))
            bucket.tokens = min(float(qps), bucket.tokens + (now - bucket.updated) * qps)
            bucket.updated = now
            if bucket.tokens < 1.0:
                return False
            bucket.tokens -= 1.0
            return True
