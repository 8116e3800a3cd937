"""A counted capacity, taken all-or-nothing without waiting: the server's bound on memory."""

from __future__ import annotations

import threading
from collections.abc import Callable


class Capacity:
    """Up to `limit` units in use; `take` refuses rather than queues, so nothing piles up."""

    def __init__(self, limit: int, on_change: Callable[[int], None] | None = None) -> None:
        self.limit = limit
        self._used = 0
        self._lock = threading.Lock()  # released from worker threads too
        # Told the units in use after each change, in order (under the lock): a gauge's feed.
        self._on_change = on_change

    @property
    def used(self) -> int:
        return self._used

    def take(self, units: int = 1, fits: Callable[[int, int], bool] | None = None) -> bool:
        """Take `units` if within the limit and, when given, `fits(used, units)` agrees: the
        check and the taking are one step, so that concurrent takers cannot both pass."""
        with self._lock:
            if self._used + units > self.limit:
                return False
            if fits is not None and not fits(self._used, units):
                return False
            self._used += units
            self._changed()
            return True

    def give_back(self, units: int = 1) -> None:
        with self._lock:
            self._used -= units
            self._changed()

    def _changed(self) -> None:
        if self._on_change is not None:
            self._on_change(self._used)
