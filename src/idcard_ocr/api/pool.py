"""The recognition pool: a fixed number of threads for the CPU-bound engine, admission control.

A request's items are admitted together or refused (15) by `Admission`, which predicts from
the measured read time whether they would be read within the item budget. Admitted work
finishes: an item answers 203 only when something broke, that is when its own read has run
past the item timeout, or when it has waited while the pool made no progress for that long
(every thread stuck). Load alone never makes an item 203: load is refused at the door.
Each image is read in the context of the request that submitted it, so the lines logged on
a recognition thread carry that request's id.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

from idcard_ocr.api.admission import Admission
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


class Slots:
    """Admitted items of one request not yet handed to the pool."""

    def __init__(self, count: int) -> None:
        self.count = count

    def spend(self, count: int) -> None:
        if count > self.count:
            raise ValueError("more images than admitted items")
        self.count -= count


class _Read:
    """One image's work: when its read began (set on the worker thread) and its result."""

    def __init__(self) -> None:
        self.started: Future[float] = Future()
        self.result: Future[CardResult] | None = None


class RecognitionPool:
    """Runs `reader.read` on `admission.policy.threads` threads, admitting requests whole."""

    def __init__(self, reader: Reader, admission: Admission, item_timeout: float) -> None:
        self._reader = reader
        self._admission = admission
        threads = admission.policy.threads
        self._executor = ThreadPoolExecutor(threads, thread_name_prefix="recognition")
        self._item_timeout = item_timeout
        self._progress = time.monotonic()  # when a read last began or ended
        self._lock = threading.Lock()

    @contextmanager
    def admitted(self, items: int) -> Iterator[Slots]:
        """Hold `items` slots for one request, or raise `ServerBusy` (15) at once; the slots
        not spent on recognition (items that failed before it) come back at the end."""
        if items and not self._admission.take(items):
            wait = self._admission.wait_seconds(items)
            raise ServerBusy("server busy: recognition queue is full", retry_after=wait)
        slots = Slots(items)
        try:
            yield slots
        finally:
            for _ in range(slots.count):
                self._admission.finished(None)

    async def recognise_all(
        self, images: Sequence[bytes], side: Side, slots: Slots
    ) -> list[Outcome]:
        """Recognise `images` concurrently, one admitted slot each."""
        slots.spend(len(images))
        reads = [self._submit(image, side) for image in images]
        return list(await asyncio.gather(*(self._await(read) for read in reads)))

    def shutdown(self) -> None:
        """Drop what is still queued and let the running reads end on their own.

        Called from the app's lifespan shutdown, which uvicorn runs only once every request in
        flight has been answered: what is left then is the work of items already answered 203,
        which no one waits for any more.
        """
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _submit(self, image: bytes, side: Side) -> _Read:
        read = _Read()
        context = contextvars.copy_context()  # the request's id, for the thread's log lines
        read.result = self._executor.submit(context.run, self._run, read, image, side)
        # The slot frees when the work ends, not when the caller stops waiting.
        read.result.add_done_callback(lambda _: self._ended(read))
        return read

    def _run(self, read: _Read, image: bytes, side: Side) -> CardResult:
        read.started.set_result(self._advance())
        return self._read(image, side)

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

    def _ended(self, read: _Read) -> None:
        began = read.started.result() if read.started.done() else None
        ended = self._advance()
        self._admission.finished(None if began is None else ended - began)

    def _advance(self) -> float:
        with self._lock:
            self._progress = time.monotonic()
            return self._progress

    async def _await(self, read: _Read) -> Outcome:
        assert read.result is not None
        try:
            began = await self._started(read)
            left = began + self._item_timeout - time.monotonic()
            return await asyncio.wait_for(asyncio.wrap_future(read.result), max(left, 0.0))
        except TimeoutError:
            read.result.cancel()  # a queued read is dropped; a running one ends, discarded
            return ProcessingTimeout()
        except IdCardOcrError as exc:
            return exc
        except Exception as exc:  # the engine's own bug must cost one item, not the request
            log.error("recognition raised %s", type(exc).__name__)
            return RecognitionFailed()

    async def _started(self, read: _Read) -> float:
        """When the read began; `TimeoutError` if the pool stopped progressing meanwhile."""
        while True:
            waiting = asyncio.shield(asyncio.wrap_future(read.started))
            try:
                return await asyncio.wait_for(waiting, self._item_timeout)
            except TimeoutError:
                if time.monotonic() - self._progress >= self._item_timeout:
                    raise
