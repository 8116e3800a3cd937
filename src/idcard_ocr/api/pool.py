"""The recognition pool: a fixed number of threads for the CPU-bound engine, a bounded queue.

A request's images are admitted together or refused (15); each has a time budget from
admission to result, past which it answers 203 while the pool stays bounded. Each image is read
in the context of the request that submitted it, so the lines logged on a recognition thread
carry that request's id.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
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
        """Drop what is still queued and let the running reads end on their own.

        Called from the app's lifespan shutdown, which uvicorn runs only once every request in
        flight has been answered: what is left then is the work of items already answered 203,
        which no one waits for any more.
        """
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _submit(self, image: bytes, side: Side) -> Future[CardResult]:
        context = contextvars.copy_context()  # the request's id, for the thread's log lines
        future = self._executor.submit(context.run, self._read, image, side)
        # The slot frees when the work ends, not when the caller stops waiting.
        future.add_done_callback(lambda _: self._queue.give_back())
        return future

    def _read(self, image: bytes, side: Side) -> CardResult:
        """`reader.read`, on a recognition thread, with one debug line: code and time taken."""
        start = time.perf_counter()
        code: int | str = 0
        try:
            return self._reader.read(image, side)
        except IdCardOcrError as exc:
            code = exc.code
            raise
        except Exception as exc:
            code = type(exc).__name__
            raise
        finally:
            milliseconds = round((time.perf_counter() - start) * 1000, 1)
            log.debug("image read", extra={"code": code, "read_ms": milliseconds})

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
