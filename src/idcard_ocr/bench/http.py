"""`idcard-ocr bench http`: the server, driven through the client, beside the engine in process.

Both paths read the same cards with the same parallelism: `threads` engine threads fed by
`concurrency` callers that each hand over `batch` images and wait for them all. Over HTTP the
callers are `Client`s posting to the real app on loopback (signature, multipart, store checks,
metering, JSON); in process they submit `CardReader.read` calls to a pool of the same size.
What HTTP costs is the difference in images per second.
"""

from __future__ import annotations

import os
import queue
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from idcard_ocr.api.app import create_app
from idcard_ocr.api.server import running
from idcard_ocr.bench.dataset import LabelledImage
from idcard_ocr.bench.scoring import percentiles
from idcard_ocr.card.model import CardResult, Side
from idcard_ocr.client import Client, ItemResult
from idcard_ocr.errors import IdCardOcrError
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import CredentialStore, IssuedCredential
from idcard_ocr.store.database import Database
from idcard_ocr.vision.reader import CardReader

# What is compared between the paths: the item's code and its (field, text, confidences).
Answer = tuple[int, tuple[tuple[str, str, tuple[int, ...]], ...]]
Send = Callable[[int, "Batch"], list[Answer]]

APPID = "1000000001"
BUCKET = "bench"
# The limits of the benchmark's server are set so that throttling, the in-flight cap and the
# per-item time budget never decide a figure: the work is what is measured.
UNTHROTTLED_QPS = 1_000_000
UNBOUNDED_ITEM_SECONDS = 3600.0


@dataclass(frozen=True)
class Card:
    """One image of the set, in memory so that no run times the disk."""

    name: str
    side: Side
    data: bytes

    @classmethod
    def of(cls, image: LabelledImage) -> Card:
        return cls(image.path.name, image.side, image.data)


@dataclass(frozen=True)
class Parallelism:
    threads: int  # the server's recognition pool; the in-process pool has as many
    engine_threads: int  # onnxruntime intra-op threads of each read
    concurrency: int  # clients (in process: callers) sending batches at once
    batch: int  # images per request


@dataclass(frozen=True)
class Batch:
    """One request's images: indices into the card list, all of one side."""

    side: Side
    indices: tuple[int, ...]


@dataclass(frozen=True)
class Run:
    """One pass over every card by one path."""

    seconds: float
    cpu_seconds: float  # of this whole process (server, clients and engine), all threads
    others_cpu_seconds: float  # of every other process on the machine meanwhile
    request_ms: list[float]
    image_ms: list[float]  # time inside `CardReader.read`, per image
    answers: list[Answer]  # in card order

    def figures(self) -> dict[str, float]:
        requests, images = percentiles(self.request_ms), percentiles(self.image_ms)
        return {
            "images": len(self.answers),
            "seconds": self.seconds,
            "images_per_s": len(self.answers) / self.seconds,
            "cpu_ms_per_image": 1000 * self.cpu_seconds / len(self.answers),
            # Share of the machine's cores other processes took while this run ran.
            "others_cpu_share": self.others_cpu_seconds / (self.seconds * (os.cpu_count() or 1)),
            "request_p50_ms": requests["p50"] or 0.0,
            "request_p99_ms": requests["p99"] or 0.0,
            "image_p50_ms": images["p50"] or 0.0,
            "image_p99_ms": images["p99"] or 0.0,
            "not_ok": sum(1 for code, _ in self.answers if code != 0),
        }


class TimedReader:
    """The engine with the duration of each read kept: per-image latency on both paths."""

    def __init__(self, reader: CardReader) -> None:
        self._reader = reader
        self._lock = threading.Lock()
        self._ms: list[float] = []

    def read(self, image: bytes, side: Side) -> CardResult:
        start = time.perf_counter()
        try:
            return self._reader.read(image, side)
        finally:
            elapsed = (time.perf_counter() - start) * 1000
            with self._lock:
                self._ms.append(elapsed)

    def take(self) -> list[float]:
        """The durations since the last call, in milliseconds."""
        with self._lock:
            taken, self._ms = self._ms, []
        return taken


def batches(cards: Sequence[Card], size: int) -> list[Batch]:
    """Requests of at most `size` images; a request holds one side (its `card_type`)."""
    found: list[Batch] = []
    for side in Side:
        indices = [index for index, card in enumerate(cards) if card.side is side]
        for start in range(0, len(indices), size):
            found.append(Batch(side, tuple(indices[start : start + size])))
    return found


def drive(work: Sequence[Batch], concurrency: int, send: Send, reader: TimedReader) -> Run:
    """Send every batch from `concurrency` threads, each taking the next batch when free."""
    pending: queue.SimpleQueue[Batch] = queue.SimpleQueue()
    for batch in work:
        pending.put(batch)
    answers: dict[int, Answer] = {}
    request_ms: list[float] = []

    def caller(slot: int) -> None:
        while True:
            try:
                batch = pending.get_nowait()
            except queue.Empty:
                return
            start = time.perf_counter()
            got = send(slot, batch)
            request_ms.append((time.perf_counter() - start) * 1000)
            for index, answer in zip(batch.indices, got, strict=True):
                answers[index] = answer

    reader.take()
    start, cpu_start, busy_start = time.perf_counter(), time.process_time(), machine_busy()
    with ThreadPoolExecutor(concurrency, thread_name_prefix="bench-caller") as callers:
        list(callers.map(caller, range(concurrency)))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    others = max(0.0, machine_busy() - busy_start - cpu_seconds)
    done = [answers[index] for index in sorted(answers)]
    return Run(seconds, cpu_seconds, others, request_ms, reader.take(), done)


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (Linux `/proc/stat`); 0 where unknown."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return 0.0
    # user nice system idle iowait irq softirq steal ...: all but idle and iowait.
    busy = sum(ticks[:3]) + sum(ticks[5:8])
    return busy / os.sysconf("SC_CLK_TCK")


def http_sender(clients: Sequence[Client], cards: Sequence[Card]) -> Send:
    def send(slot: int, batch: Batch) -> list[Answer]:
        images = [(cards[index].name, cards[index].data) for index in batch.indices]
        try:
            results = clients[slot].recognise_images(images, batch.side)
        except IdCardOcrError as exc:  # a refused request: every item of it failed
            return [(exc.code, ())] * len(batch.indices)
        return [_http_answer(result) for result in results]

    return send


def engine_sender(pool: ThreadPoolExecutor, reader: TimedReader, cards: Sequence[Card]) -> Send:
    def send(_slot: int, batch: Batch) -> list[Answer]:
        futures = [pool.submit(_engine_answer, reader, cards[index]) for index in batch.indices]
        return [future.result() for future in futures]

    return send


def _http_answer(result: ItemResult) -> Answer:
    fields = ((name, value.text, value.confidence) for name, value in result.fields.items())
    return result.code, tuple(sorted(fields))


def _engine_answer(reader: TimedReader, card: Card) -> Answer:
    try:
        result = reader.read(card.data, card.side)
    except IdCardOcrError as exc:
        return exc.code, ()
    fields = ((name, value.text, tuple(value.confidence)) for name, value in result.fields.items())
    return 0, tuple(sorted(fields))


def run(
    images: Sequence[LabelledImage], parallelism: Parallelism, repeat: int, progress: bool = True
) -> dict[str, Any]:
    """`repeat` interleaved pairs of runs (HTTP, in process) over `images`; figures and medians."""
    cards = [Card.of(image) for image in images]
    work = batches(cards, parallelism.batch)
    host = machine()
    start = time.perf_counter()
    reader = TimedReader(CardReader.load(parallelism.engine_threads))
    load_s = time.perf_counter() - start
    with _bench_server(reader, parallelism) as clients:
        engine = ThreadPoolExecutor(parallelism.threads, thread_name_prefix="bench-engine")
        with engine as pool:
            paths = {
                "http": http_sender(clients, cards),
                "in_process": engine_sender(pool, reader, cards),
            }
            for send in paths.values():  # warm-up: sessions, connections, first allocations
                drive(work[: parallelism.concurrency], parallelism.concurrency, send, reader)
            pairs = [
                _pair(work, parallelism, paths, reader, turn, progress) for turn in range(repeat)
            ]
    host["loadavg_after"] = list(os.getloadavg())
    return {
        "cards": len(cards),
        "front": sum(1 for card in cards if card.side is Side.FRONT),
        "back": sum(1 for card in cards if card.side is Side.BACK),
        "threads": parallelism.threads,
        "engine_threads": parallelism.engine_threads,
        "concurrency": parallelism.concurrency,
        "batch": parallelism.batch,
        "repeat": repeat,
        "model_load_s": load_s,
        "machine": host,
        "pairs": pairs,
        "median": _medians(pairs),
    }


def _pair(
    work: Sequence[Batch],
    parallelism: Parallelism,
    paths: dict[str, Send],
    reader: TimedReader,
    turn: int,
    progress: bool,
) -> dict[str, Any]:
    """One run of each path; the order alternates so that drift in the machine falls on both."""
    order = list(paths) if turn % 2 == 0 else list(reversed(paths))
    load = os.getloadavg()[0]
    runs = {name: drive(work, parallelism.concurrency, paths[name], reader) for name in order}
    http, local = runs["http"], runs["in_process"]
    pair: dict[str, Any] = {name: runs[name].figures() for name in paths}
    pair["overhead"] = 1 - pair["http"]["images_per_s"] / pair["in_process"]["images_per_s"]
    # CPU spent per image is less at the mercy of other processes than wall time is.
    pair["cpu_overhead"] = (
        pair["http"]["cpu_ms_per_image"] / pair["in_process"]["cpu_ms_per_image"] - 1
    )
    pair["loadavg_1min_before"] = load
    pair["mismatches"] = sum(1 for a, b in zip(http.answers, local.answers, strict=True) if a != b)
    if progress:
        print(
            f"pair {turn + 1}: HTTP {pair['http']['images_per_s']:.2f} images/s, "
            f"in process {pair['in_process']['images_per_s']:.2f} images/s, "
            f"overhead {100 * pair['overhead']:.1f} % (CPU {100 * pair['cpu_overhead']:.1f} %), "
            f"others' CPU {pair['http']['others_cpu_share']:.0%}/"
            f"{pair['in_process']['others_cpu_share']:.0%}",
            file=sys.stderr,
            flush=True,
        )
    return pair


def _medians(pairs: list[dict[str, Any]]) -> dict[str, Any]:
    medians: dict[str, Any] = {
        path: {key: statistics.median(p[path][key] for p in pairs) for key in pairs[0][path]}
        for path in ("http", "in_process")
    }
    medians["overhead"] = statistics.median(p["overhead"] for p in pairs)
    medians["cpu_overhead"] = statistics.median(p["cpu_overhead"] for p in pairs)
    medians["mismatches"] = sum(p["mismatches"] for p in pairs)  # a total: any is a bug
    return medians


@contextmanager
def _bench_server(reader: TimedReader, parallelism: Parallelism) -> Iterator[list[Client]]:
    """The real app on loopback over a fresh SQLite store; one signed client per caller."""
    with tempfile.TemporaryDirectory(prefix="idcard-bench-http-") as scratch:
        url = f"sqlite:///{Path(scratch) / 'store.db'}"
        credential = issue(url)
        app = create_app(_server_settings(url, parallelism), reader=reader)
        with running(app) as endpoint, ExitStack() as stack:
            clients = [
                stack.enter_context(_client(endpoint, credential))
                for _ in range(parallelism.concurrency)
            ]
            yield clients


def issue(database_url: str) -> IssuedCredential:
    """A fresh app, bucket and key without a rate limit, on the store at `database_url`."""
    database = Database.open(database_url)
    try:
        store = CredentialStore(database, UNTHROTTLED_QPS)
        return store.create(APPID, BUCKET, qps=UNTHROTTLED_QPS)
    finally:
        database.close()


def _client(endpoint: str, credential: IssuedCredential) -> Client:
    return Client(
        endpoint,
        credential.appid,
        credential.secret_id,
        credential.secret_key,
        credential.bucket,
        timeout=UNBOUNDED_ITEM_SECONDS,
    )


def _server_settings(database_url: str, parallelism: Parallelism) -> Settings:
    defaults = Settings()
    admitted = parallelism.concurrency * parallelism.batch
    return Settings(
        database_url=database_url,
        recognition_threads=parallelism.threads,
        engine_threads=parallelism.engine_threads,
        max_queued_items=max(defaults.max_queued_items, admitted),
        max_requests_in_flight=max(defaults.max_requests_in_flight, parallelism.concurrency),
        item_timeout_seconds=UNBOUNDED_ITEM_SECONDS,
    )


def machine() -> dict[str, Any]:
    """The cores, the CPU model and the load average before a run."""
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    except OSError:
        pass
    return {"cores": os.cpu_count(), "cpu": model, "loadavg_before": list(os.getloadavg())}


def _rows(median: dict[str, Any]) -> list[tuple[str, str, str]]:
    http, local = median["http"], median["in_process"]

    def both(label: str, key: str, form: str) -> tuple[str, str, str]:
        return label, format(http[key], form), format(local[key], form)

    return [
        both("images/s", "images_per_s", ".2f"),
        both("request p50 (ms)", "request_p50_ms", ".0f"),
        both("request p99 (ms)", "request_p99_ms", ".0f"),
        both("image read p50 (ms)", "image_p50_ms", ".0f"),
        both("image read p99 (ms)", "image_p99_ms", ".0f"),
        both("CPU per image (ms)", "cpu_ms_per_image", ".0f"),
        both("other processes' CPU share", "others_cpu_share", ".0%"),
        both("items not code 0", "not_ok", ".0f"),
        ("HTTP overhead (images/s)", f"{100 * median['overhead']:.1f} %", ""),
        ("HTTP overhead (CPU per image)", f"{100 * median['cpu_overhead']:.1f} %", ""),
        ("mismatches HTTP vs in process", str(median["mismatches"]), ""),
    ]


def table(report: dict[str, Any], title: str) -> str:
    """The medians as a plain-text table: one column per path."""
    head = f"{'':32}{'HTTP':>14}{'in process':>14}"
    lines = [title, head, "-" * len(head)]
    lines += [f"{label:32}{a:>14}{b:>14}" for label, a, b in _rows(report["median"])]
    lines.append(
        f"pool {report['threads']} threads x onnxruntime {report['engine_threads']}; "
        f"{report['concurrency']} client(s) x {report['batch']} images a request; "
        f"medians of {report['repeat']} interleaved pairs; "
        f"model load {report['model_load_s']:.2f} s"
    )
    return "\n".join(lines)
