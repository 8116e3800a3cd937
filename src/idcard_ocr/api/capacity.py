"""A counted capacity, taken all-or-nothing without waiting: the server's bound on memory."""

from __future__ import annotations

import threading


class Capacity:
    """Up to `limit` units in use; `take` refuses rather than queues, so nothing piles up."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._used = 0
        self._lock = threading.Lock()  # released from worker threads too

    @property
    def used(self) -> int:
        return self._used

    def take(self, units: int = 1) -> bool:
        with self._lock:
            if self._used + units > self.limit:
                return False
            self._used += units
            return True

    def give_back(self, units: int = 1) -> None:
        with self._lock:
            self._used -= units
