"""Single-use signatures seen so far: each is accepted once, a reuse is a replay (13)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol


class ReplayGuard(Protocol):
    """Remembers single-use signatures for as long as they could still be accepted."""

    def claim(self, signature: str, ttl_seconds: float) -> bool:
        """True the first time a signature is claimed within its ttl, False after."""
        ...


class MemoryReplayGuard:
    """A per-process replay guard; a shared one (Redis) is needed with several workers."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._expiry: dict[str, float] = {}
        self._lock = threading.Lock()

    def claim(self, signature: str, ttl_seconds: float) -> bool:
        now = self._clock()
        with self._lock:
            self._forget_expired(now)
            if signature in self._expiry:
                return False
            self._expiry[signature] = now + ttl_seconds
            return True

    def _forget_expired(self, now: float) -> None:
        expired = [key for key, until in self._expiry.items() if until <= now]
        for key in expired:
            del self._expiry[key]
