"""The recognition pool: a fixed number of threads for the CPU-bound engine, a bounded queue.

A request's images are admitted together or refused (15); each has a time budget from
admission to result, past which it answers 203 while the pool stays bounded.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from idcard_ocr.api.capacity import Capacity
from idcard_ocr.api.reader import Reader
from idcard_ocr.card.model import CardResult, Side
from idcard_ocr.errors import (
    IdCardOcrError,
    ProcessingTimeout,
    RecognitionFailed,
    ServerBusy,
)

log = logging.getLogger(__name__)

Outcome = CardResult | IdCardOcrError


class RecognitionPool:
    """Runs `reader.read` on `threads` threads with at most `max_queued` images admitted."""

    def __init__(
        self,
        reader: Reader,
        threads: int,
        max_queued: int,
        item_timeout: float,
        on_queue_change: Callable[[int], None] | None = None,
    ) -> None:
        self._reader = reader
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="recognition")
        # `on_queue_change` is told the items admitted (queued or running) at each change.
        self._queue = Capacity(max_queued, on_queue_change)
        self._item_timeout = item_timeout

    async def recognise_all(self, images: Sequence[bytes], side: Side) -> list[Outcome]:
        """Recognise `images` concurrently; raises `ServerBusy` (15) when the queue is full."""
        if not images:
            return []
        if not self._queue.take(len(images)):
            raise ServerBusy("server busy: recognition queue is full")
        futures = [self._submit(image, side) for image in images]
        return list(await asyncio.gather(*(self._await(future) for future in futures)))

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _submit(self, image: bytes, side: Side) -> Future[CardResult]:
        future = self._executor.submit(self._reader.read, image, side)
        # The slot frees when the work ends, not when the caller stops waiting.
        future.add_done_callback(lambda _: self._queue.give_back())
        return future

    async def _await(self, future: Future[CardResult]) -> Outcome:
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self._item_timeout)
        except TimeoutError:
            return ProcessingTimeout()
        except IdCardOcrError as exc:
            return exc
        except Exception as exc:  # the engine's own bug must cost one item, not the request
            log.error("recognition raised %s", type(exc).__name__)
            return RecognitionFailed()
