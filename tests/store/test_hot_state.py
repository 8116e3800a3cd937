"""The in-memory replay guard and rate limiter, on a controlled clock."""

from __future__ import annotations

from idcard_ocr.store.ratelimit import MemoryRateLimiter
from idcard_ocr.store.replay import MemoryReplayGuard


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_signature_is_claimed_once_while_it_lives() -> None:
    clock = Clock()
    guard = MemoryReplayGuard(clock)
    assert guard.claim("sig", 300)
    assert not guard.claim("sig", 300)
    assert guard.claim("other", 300)
    clock.now += 301
    assert guard.claim("sig", 300)  # forgotten once it could no longer be accepted anyway


def test_rate_limit_per_app_refills_over_time() -> None:
    clock = Clock()
    limiter = MemoryRateLimiter(clock)
    assert [limiter.admit("a", 2) for _ in range(3)] == [True, True, False]
    assert limiter.admit("b", 2)
    clock.now += 0.5
    assert limiter.admit("a", 2)
    assert not limiter.admit("a", 2)
