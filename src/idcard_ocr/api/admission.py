"""Admission control: a request's items are taken only if the pool can read them in budget.

The time one read takes is learnt from the reads that finished (`ServiceTime`, smoothed as
RFC 6298 smooths round-trip times). A new request joins the items already queued or running;
with `threads` reads at once they need `ceil(items / threads)` rounds, and the request is
admitted only if that many rounds are predicted to end within the item budget. Otherwise it
is refused whole, at once, so that a busy server answers 15 (retry later) instead of
accepting work it would answer 203.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

from idcard_ocr.api.capacity import Capacity

# RFC 6298's gains: the mean follows 1/8 of each new sample, the deviation 1/4.
MEAN_GAIN = 0.125
DEVIATION_GAIN = 0.25


class ServiceTime:
    """Seconds one read takes: a smoothed mean and mean deviation of the reads measured.

    Before any measurement it is `cold_start` seconds, give or take half of that (RFC 6298's
    first sample rule, applied to the guess).
    """

    def __init__(self, cold_start: float) -> None:
        self.mean = cold_start
        self.deviation = cold_start / 2
        self.samples = 0

    def measured(self, seconds: float) -> None:
        """Fold in one finished read; the first one replaces the cold-start guess."""
        if self.samples == 0:
            self.mean, self.deviation = seconds, seconds / 2
        else:
            error = seconds - self.mean
            self.deviation += DEVIATION_GAIN * (abs(error) - self.deviation)
            self.mean += MEAN_GAIN * error
        self.samples += 1


@dataclass(frozen=True)
class AdmissionPolicy:
    threads: int  # reads at once
    max_items: int  # items queued or running, whatever the prediction (bounds memory)
    budget: float  # seconds from admission to the last item's result
    deviations: float  # margin of the prediction, in mean deviations of a read


class Admission:
    """Items queued or running, taken a request at a time or refused; thread-safe."""

    def __init__(
        self,
        policy: AdmissionPolicy,
        service_time: ServiceTime,
        on_change: Callable[[int], None] | None = None,
    ) -> None:
        self.policy = policy
        self.service_time = service_time
        # `on_change` is told the items admitted at each change: the queue-depth gauge's feed.
        self._items = Capacity(policy.max_items, on_change)
        self._measuring = threading.Lock()  # reads end on several worker threads

    @property
    def used(self) -> int:
        return self._items.used

    def take(self, items: int) -> bool:
        """Admit `items` if they fit the bound and the budget. A pool with no item waiting (a
        thread free, or the last round running) admits any request within the bound: waiting
        would not make it sooner, and refusing it would soon leave a thread idle."""
        return self._items.take(items, self._fits)

    def finished(self, seconds: float | None) -> None:
        """One admitted item left the pool; `seconds` is its read's duration, if it was read."""
        if seconds is not None:
            with self._measuring:
                self.service_time.measured(seconds)
        self._items.give_back()

    def predicted_seconds(self, items: int) -> float:
        """When `items` items would all be read, from an empty pool: rounds of `threads`
        reads at the mean, plus a margin that grows as the deviation of a sum of rounds does
        (with their square root), not with each round."""
        rounds = math.ceil(items / self.policy.threads)
        estimate = self.service_time
        margin = self.policy.deviations * estimate.deviation * math.sqrt(rounds)
        return rounds * estimate.mean + margin

    def wait_seconds(self, items: int) -> float:
        """About when `items` more would be admitted: the rounds of reads until the items
        ahead have shrunk to a number that `items` fit behind."""
        used = self._items.used
        room = used
        while room > 0 and (room + items > self.policy.max_items or not self._fits(room, items)):
            room -= 1
        return math.ceil((used - room) / self.policy.threads) * self.service_time.mean

    def _fits(self, used: int, items: int) -> bool:
        if used <= self.policy.threads:
            return True
        return self.predicted_seconds(used + items) <= self.policy.budget
