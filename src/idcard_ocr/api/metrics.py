"""The service's Prometheus metrics, served at `GET /metrics`, and the hooks that feed them.

Each app registers its metrics on a registry of its own, so that several apps in one process
(the tests) do not collide. Under `idcard-ocr serve --workers N` every worker writes its
values to files in `PROMETHEUS_MULTIPROC_DIR` (prometheus-client's multiprocess mode, chosen
by that variable when the client is first imported), and a scrape answered by any worker
reads all of them: counters and histograms add up, gauges are summed over live workers.

Only codes, sides, stages, durations and counts are recorded: never a field value, an
image, a URL or a credential.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
    multiprocess,
)

from idcard_ocr.api.pipeline import Fetcher
from idcard_ocr.api.reader import Reader
from idcard_ocr.card.model import CardResult, Side
from idcard_ocr.vision.stages import Stage, recorded

CONTENT_TYPE = CONTENT_TYPE_LATEST
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
# The stages of one image (fetch for URL items; decode, locate, read in the engine) and the
# whole request (total), from a few milliseconds to past the 10 s item budget.
STAGES = ("fetch", *(stage.value for stage in Stage), "total")
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
SIDES = {Side.FRONT: "front", Side.BACK: "back"}


def multiprocess_dir() -> str | None:
    """The directory of multiprocess mode, when this process runs in it."""
    return os.environ.get(MULTIPROCESS_DIR) or None


class ServiceMetrics:
    """Requests and items by code, stage durations, queue and in-flight gauges, refusals."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        if multiprocess_dir() is None:
            ProcessCollector(registry=self.registry)  # this process's CPU and memory
        on = self.registry
        self.requests = Counter(
            "idcard_ocr_requests",
            "Answers of POST /ocr/idcard by code (0: a result_list was returned).",
            ["code"],
            registry=on,
        )
        self.items = Counter(
            "idcard_ocr_items",
            "Items (images or URLs) of result_list answers by code and side.",
            ["code", "side"],
            registry=on,
        )
        self.durations = Histogram(
            "idcard_ocr_stage_duration_seconds",
            "Seconds per stage: fetch, decode, locate and read per item, total per request.",
            ["stage"],
            buckets=BUCKETS,
            registry=on,
        )
        self.refusals = Counter(
            "idcard_ocr_admission_refusals",
            "Requests refused with code 15 because the server was busy (not an app's rate limit).",
            registry=on,
        )
        self.queue_depth = _gauge(
            "idcard_ocr_queue_depth",
            "Items admitted to recognition and not finished: waiting or being read.",
            on,
        )
        self.items_in_flight = _gauge(
            "idcard_ocr_items_in_flight", "Items being read by the engine now.", on
        )
        self.requests_in_flight = _gauge(
            "idcard_ocr_requests_in_flight",
            "Requests holding a slot: their body being read or their items served.",
            on,
        )
        for stage in STAGES:
            self.durations.labels(stage)  # every stage is listed from the first scrape

    def exposition(self) -> bytes:
        """The text format of every metric; of every worker in multiprocess mode."""
        directory = multiprocess_dir()
        if directory is None:
            return generate_latest(self.registry)
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, directory)
        return generate_latest(registry)

    def request_answered(self, code: int, seconds: float) -> None:
        self.requests.labels(str(code)).inc()
        self.durations.labels("total").observe(seconds)

    def items_answered(self, side: Side, codes: Iterable[int]) -> None:
        for code in codes:
            self.items.labels(str(code), SIDES[side]).inc()

    def admission_refused(self) -> None:
        self.refusals.inc()

    def stages_read(self, seconds: Mapping[Stage, float]) -> None:
        for stage, spent in seconds.items():
            self.durations.labels(stage.value).observe(spent)

    def timed_fetches(self, fetcher: Fetcher) -> Fetcher:
        """`fetcher`, each fetch timed as the fetch stage (failed ones too)."""
        return _TimedFetcher(fetcher, self.durations.labels("fetch"))

    def watched_reads(self, reader: Reader) -> Reader:
        """`reader`, counted in flight while it reads and its stages timed (`vision.stages`)."""
        return _WatchedReader(reader, self)


class _TimedFetcher:
    def __init__(self, fetcher: Fetcher, durations: Histogram) -> None:
        self._fetcher = fetcher
        self._durations = durations

    async def fetch(self, url: str) -> bytes:
        start = time.perf_counter()
        try:
            return await self._fetcher.fetch(url)
        finally:
            self._durations.observe(time.perf_counter() - start)


class _WatchedReader:
    def __init__(self, reader: Reader, metrics: ServiceMetrics) -> None:
        self._reader = reader
        self._metrics = metrics

    def read(self, image: bytes, side: Side) -> CardResult:
        # Runs on the recognition thread, where the engine marks its stages.
        with self._metrics.items_in_flight.track_inprogress(), recorded(self._metrics.stages_read):
            return self._reader.read(image, side)


def _gauge(name: str, documentation: str, registry: CollectorRegistry) -> Gauge:
    # livesum: a scrape sums the values of the workers alive, whichever answers it.
    return Gauge(name, documentation, registry=registry, multiprocess_mode="livesum")


def forget_dead_workers(directory: str) -> None:
    """Drop the live gauges of workers that are gone: uvicorn replaces a worker that died
    without running its shutdown, and that worker's in-flight counts would stay summed."""
    for path in Path(directory).glob("gauge_live*_*.db"):
        pid = int(path.stem.rsplit("_", 1)[1])
        if not _alive(pid):
            multiprocess.mark_process_dead(pid, directory)


def worker_exited(directory: str) -> None:
    """This worker's live gauges leave the sums when it shuts down."""
    multiprocess.mark_process_dead(os.getpid(), directory)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process took the number: not ours to judge
    return True
