"""`idcard-ocr bench load`: many clients against `idcard-ocr serve`, as a deployment sees them.

The server runs as the operator starts it (a subprocess with the real model and default
limits) on a fresh store; rendered cards are sent as uploaded files and, every other
request, as URLs of a local image server. Each client is `idcard_ocr.client.Client` with
its retries of 15, looping over batches until the phase's time is up; requests under way
then finish. A single client runs before and after, in the same invocation, as the best
figure one client gets from this machine now, and the many-client figure is compared
against the better of the two (the machine is shared: its other load drifts).

Counted per phase: the code of every item, items requested without a result (lost), every
HTTP status, the refusals (15) the clients saw and whether the refused requests succeeded on
retry, request latency (retries included), images per second; and the server's resident
memory when ready, after the single client (the start of the load) and at the end.
"""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from idcard_ocr.bench import http as http_bench
from idcard_ocr.bench.dataset import load as load_cards
from idcard_ocr.bench.scoring import percentiles
from idcard_ocr.card.model import Side
from idcard_ocr.client import Client, ItemResult, RetryPolicy
from idcard_ocr.errors import IdCardOcrError, RateLimited
from idcard_ocr.store.credentials import IssuedCredential

START_TIMEOUT_SECONDS = 180.0  # the model loads before the server is ready
CLIENT_TIMEOUT_SECONDS = 120.0


@dataclass(frozen=True)
class LoadPlan:
    clients: int
    batch: int
    seconds: float
    baseline_seconds: float
    retry: RetryPolicy


@dataclass(frozen=True)
class Cards:
    """The rendered set by side: as files to upload and as URLs the server fetches."""

    files: dict[Side, list[str]]
    urls: dict[Side, list[str]]

    def batch(self, turn: int, size: int) -> Batch:
        """The `turn`-th batch of `size`: sides alternate, two by file then two by URL, and
        the cards go round."""
        side = Side.FRONT if turn % 2 == 0 else Side.BACK
        by_url = turn % 4 >= 2
        pool = self.urls[side] if by_url else self.files[side]
        start = (turn // 2) * size
        return Batch(side, by_url, [pool[(start + i) % len(pool)] for i in range(size)])


@dataclass(frozen=True)
class Batch:
    side: Side
    by_url: bool
    sources: list[str]  # file paths, or URLs


@dataclass
class Sent:
    """One request as its client saw it, retries included."""

    items: int
    began: float
    ended: float = 0.0
    codes: list[int] = field(default_factory=list)  # one per item answered
    error: str | None = None  # the request-level code it raised, or the transport error
    refusals: int = 0  # 15s answered before it was admitted


class StatusCount(httpx.BaseTransport):
    """The client's transport, with the HTTP status of every answer counted."""

    def __init__(self) -> None:
        self._inner = httpx.HTTPTransport()
        self.statuses: Counter[int] = Counter()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        self.statuses[response.status_code] += 1
        return response

    def close(self) -> None:
        self._inner.close()


class ServerProcess:
    """`idcard-ocr serve` on a free loopback port, its output kept in a log file."""

    def __init__(self, database_url: str, log_path: Path) -> None:
        self.port = _free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        environment = {
            **os.environ,
            "IDCARD_OCR_DATABASE_URL": database_url,
            "IDCARD_OCR_URL_FETCH_ALLOW_PRIVATE": "true",  # the image server is on loopback
            "IDCARD_OCR_LOG_LEVEL": "warning",
        }
        command = [sys.executable, "-m", "idcard_ocr.cli", "serve", "--host", "127.0.0.1"]
        self._log = log_path.open("wb")
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port)],
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.base_url}/readyz", trust_env=False).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise RuntimeError("server not ready in time")

    def rss_mb(self) -> float:
        """Resident memory now (Linux `/proc`), in MiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def cpu_seconds(self) -> float:
        """CPU time the server has used, all threads (Linux `/proc`: utime + stime)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def metric(self, name: str) -> float | None:
        """One unlabelled value of the server's `GET /metrics`."""
        text = httpx.get(f"{self.base_url}/metrics", trust_env=False).text
        for line in text.splitlines():
            if line.startswith(f"{name} "):
                return float(line.split()[1])
        return None

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


class PoolWatch:
    """Samples the server's items in flight while a phase runs: how busy its pool was kept
    (reads running over recognition threads, the server's default of one per core)."""

    def __init__(self, server: ServerProcess, every: float = 0.5) -> None:
        self._server = server
        self._every = every
        self._samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, name="pool-watch", daemon=True)

    def __enter__(self) -> PoolWatch:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def busy_share(self) -> float | None:
        if not self._samples:
            return None
        return sum(self._samples) / len(self._samples) / (os.cpu_count() or 1)

    def _sample(self) -> None:
        while not self._stop.wait(self._every):
            try:
                value = self._server.metric("idcard_ocr_items_in_flight")
            except httpx.HTTPError:  # a missed sample, not a failed benchmark
                continue
            if value is not None:
                self._samples.append(value)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def image_server(directory: Path) -> Iterator[str]:
    """Serve the files of `directory` on 127.0.0.1 while the block runs; yields the base URL."""
    handler = functools.partial(_QuietFiles, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def cards_of(directory: Path, base_url: str) -> Cards:
    images = load_cards(directory)
    paths = {side: [i.path for i in images if i.side is side] for side in Side}
    files = {side: [str(path) for path in paths[side]] for side in Side}
    urls = {side: [f"{base_url}/{path.name}" for path in paths[side]] for side in Side}
    if not all(paths.values()):
        raise ValueError("the set needs cards of both sides")
    return Cards(files, urls)


def phase(
    endpoint: str,
    credential: IssuedCredential,
    cards: Cards,
    clients: int,
    plan: LoadPlan,
    seconds: float,
) -> dict[str, Any]:
    """`clients` clients send batches for `seconds`; the phase's figures."""
    start = time.perf_counter()
    deadline = start + seconds
    results: list[tuple[list[Sent], Counter[int]]] = [([], Counter()) for _ in range(clients)]
    threads = [
        threading.Thread(
            target=_client_loop,
            args=(endpoint, credential, cards, plan, number, deadline, results[number]),
            name=f"load-client-{number}",
        )
        for number in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent = [request for requests, _ in results for request in requests]
    statuses: Counter[int] = sum((counted for _, counted in results), Counter())
    return figures(sent, statuses, start, seconds, clients)


def _client_loop(
    endpoint: str,
    credential: IssuedCredential,
    cards: Cards,
    plan: LoadPlan,
    number: int,
    deadline: float,
    out: tuple[list[Sent], Counter[int]],
) -> None:
    """One client: batches one after another until the deadline; the last one finishes."""
    requests, statuses = out
    transport = StatusCount()
    current: list[Sent] = []

    def refused(_error: RateLimited, _delay: float) -> None:
        current[-1].refusals += 1

    c = credential
    with Client(
        endpoint,
        c.appid,
        c.secret_id,
        c.secret_key,
        c.bucket,
        timeout=CLIENT_TIMEOUT_SECONDS,
        retry=plan.retry,
        on_retry=refused,
        transport=transport,
    ) as client:
        count = 0
        while count == 0 or time.perf_counter() < deadline:  # at least one request
            batch = cards.batch(number + count, plan.batch)
            current.append(Sent(len(batch.sources), time.perf_counter()))
            _send(client, batch, current[-1])
            count += 1
    requests.extend(current)
    statuses.update(transport.statuses)


def _send(client: Client, batch: Batch, sent: Sent) -> None:
    results: list[ItemResult] = []
    try:
        if batch.by_url:
            results = client.recognise_urls(batch.sources, batch.side)
        else:
            results = client.recognise_files(batch.sources, batch.side)
    except IdCardOcrError as exc:
        sent.error = str(exc.code)
    except httpx.HTTPError as exc:
        sent.error = type(exc).__name__
    sent.ended = time.perf_counter()
    sent.codes = [result.code for result in results]


def figures(
    sent: list[Sent], statuses: Counter[int], start: float, seconds: float, clients: int
) -> dict[str, Any]:
    """Counts, latency and throughput of one phase."""
    latency = percentiles([1000 * (s.ended - s.began) for s in sent])
    codes = Counter(code for s in sent for code in s.codes)
    refused = [s for s in sent if s.refusals]
    return {
        "clients": clients,
        "seconds": seconds,
        "wall_seconds": max((s.ended for s in sent), default=start) - start,
        "requests": len(sent),
        "items_requested": sum(s.items for s in sent),
        "items_answered": sum(len(s.codes) for s in sent),
        "lost_items": sum(s.items - len(s.codes) for s in sent),
        "item_codes": {str(code): n for code, n in sorted(codes.items())},
        "request_errors": dict(Counter(s.error for s in sent if s.error is not None)),
        "http_statuses": {str(status): n for status, n in sorted(statuses.items())},
        "non_200_answers": sum(n for status, n in statuses.items() if status != 200),
        "refusals": sum(s.refusals for s in sent),
        "refused_requests": len(refused),
        "refused_then_answered": sum(1 for s in refused if s.error is None),
        "latency_p50_ms": latency["p50"],
        "latency_p99_ms": latency["p99"],
        **_throughput(sent, start, seconds),
    }


def _throughput(sent: list[Sent], start: float, seconds: float) -> dict[str, float | None]:
    """Images per second: every item answered over the time to the last answer (the tail of
    requests under way at the end included); and, where any ended in time, the items of the
    requests answered within the phase's own seconds, over the time to the last of them."""
    wall = max((s.ended - start for s in sent), default=0.0)
    within = [s for s in sent if s.ended - start <= seconds]
    window = max((s.ended - start for s in within), default=0.0)
    return {
        "images_per_s": sum(len(s.codes) for s in sent) / wall if wall else 0.0,
        "images_per_s_in_time": sum(len(s.codes) for s in within) / window if window else None,
    }


def run(directory: Path, plan: LoadPlan, progress: bool = True) -> dict[str, Any]:
    """Serve, warm up, one client for `baseline_seconds`, then `clients` for `seconds`."""
    host = http_bench.machine()
    with tempfile.TemporaryDirectory(prefix="idcard-load-") as scratch:
        database_url = f"sqlite:///{Path(scratch) / 'store.db'}"
        credential = http_bench.issue(database_url)
        server = ServerProcess(database_url, Path(scratch) / "server.log")
        try:
            server.wait_ready()
            report = _measure(server, directory, credential, plan, progress)
        finally:
            server.stop()
    host["loadavg_after"] = list(os.getloadavg())
    return {"plan": _plan(plan), "machine": host, **report}


def _measure(
    server: ServerProcess,
    directory: Path,
    credential: IssuedCredential,
    plan: LoadPlan,
    progress: bool,
) -> dict[str, Any]:
    """One client, many, and one again: the machine is shared, so the single-client figure
    is taken on both sides of the load and the load compared against the better one."""
    rss = {"ready": server.rss_mb()}
    with image_server(directory) as images:
        cards = cards_of(directory, images)

        def timed(clients: int, seconds: float) -> dict[str, Any]:
            _say(progress, f"{clients} client(s) for {seconds:.0f} s, then their last requests")
            return _timed_phase(server, credential, cards, plan, clients, seconds)

        timed(1, 0.0)  # warm-up: one request
        before = timed(1, plan.baseline_seconds)
        rss["start"] = server.rss_mb()
        load = timed(plan.clients, plan.seconds)
        rss["end"] = server.rss_mb()
        after = timed(1, plan.baseline_seconds)
        refusals = server.metric("idcard_ocr_admission_refusals_total")
    best = max(before["images_per_s"], after["images_per_s"])
    return {
        "baseline": before,
        "load": load,
        "baseline_after": after,
        "throughput_ratio": load["images_per_s"] / best if best else None,
        "server": {
            "rss_mb": rss,
            "rss_growth": rss["end"] / rss["start"] - 1,  # over the many-client phase
            "admission_refusals_total": refusals,
        },
    }


def _timed_phase(
    server: ServerProcess,
    credential: IssuedCredential,
    cards: Cards,
    plan: LoadPlan,
    clients: int,
    seconds: float,
) -> dict[str, Any]:
    """A phase, with the CPU the server spent per image, the share of the machine that
    other processes than the server and this one took meanwhile, and how busy the server's
    pool was kept."""
    busy, server_cpu, own_cpu = http_bench.machine_busy(), server.cpu_seconds(), time.process_time()
    with PoolWatch(server) as watch:
        found = phase(server.base_url, credential, cards, clients, plan, seconds)
    found["pool_busy_share"] = watch.busy_share()
    server_cpu = server.cpu_seconds() - server_cpu
    own_cpu = time.process_time() - own_cpu
    others = http_bench.machine_busy() - busy - server_cpu - own_cpu
    wall, answered = found["wall_seconds"], found["items_answered"]
    found["server_cpu_ms_per_image"] = 1000 * server_cpu / answered if answered else None
    found["others_cpu_share"] = max(0.0, others) / (wall * (os.cpu_count() or 1))
    return found


def _plan(plan: LoadPlan) -> dict[str, Any]:
    return {
        "clients": plan.clients,
        "batch": plan.batch,
        "seconds": plan.seconds,
        "baseline_seconds": plan.baseline_seconds,
        "retry": plan.retry.__dict__,
    }


def _say(progress: bool, text: str) -> None:
    if progress:
        print(text, file=sys.stderr, flush=True)


def table(report: dict[str, Any]) -> str:
    """The three phases side by side, then the server's memory and the throughput ratio."""
    phases = [report["baseline"], report["load"], report["baseline_after"]]
    many = report["load"]
    names = ["1 client", f"{many['clients']} clients", "1 client after"]
    head = f"{'':34}" + "".join(f"{name:>16}" for name in names)
    lines = [head, "-" * len(head)]
    for label, key, form in _ROWS:
        lines.append(f"{label:34}" + "".join(f"{_cell(p.get(key), form):>16}" for p in phases))
    for label, key in (("item codes", "item_codes"), ("HTTP statuses", "http_statuses")):
        lines.append(f"{label:34}" + "".join(f"{_counts(p[key]):>16}" for p in phases))
    rss = report["server"]["rss_mb"]
    lines += [
        f"server RSS (MiB): ready {rss['ready']:.0f}, load start {rss['start']:.0f}, "
        f"end {rss['end']:.0f} ({100 * report['server']['rss_growth']:+.1f} %)",
        f"throughput, {many['clients']} clients against the better single client: "
        f"{_cell(report['throughput_ratio'], '.1%')}",
        f"server's admission refusals: {report['server']['admission_refusals_total']:.0f}",
    ]
    return "\n".join(lines)


_ROWS = (
    ("seconds planned", "seconds", ".0f"),
    ("seconds to the last answer", "wall_seconds", ".1f"),
    ("requests", "requests", "d"),
    ("items requested", "items_requested", "d"),
    ("items answered", "items_answered", "d"),
    ("lost items", "lost_items", "d"),
    ("non-200 HTTP answers", "non_200_answers", "d"),
    ("refusals (15) seen by clients", "refusals", "d"),
    ("refused requests", "refused_requests", "d"),
    ("  answered on retry", "refused_then_answered", "d"),
    ("images/s", "images_per_s", ".2f"),
    ("images/s, requests ended in time", "images_per_s_in_time", ".2f"),
    ("request latency p50 (ms)", "latency_p50_ms", ".0f"),
    ("request latency p99 (ms)", "latency_p99_ms", ".0f"),
    ("server CPU per image (ms)", "server_cpu_ms_per_image", ".0f"),
    ("other processes' CPU share", "others_cpu_share", ".0%"),
    ("pool threads reading (sampled)", "pool_busy_share", ".0%"),
)


def _cell(value: Any, form: str) -> str:
    return "-" if value is None else format(value, form)


def _counts(counts: dict[str, int]) -> str:
    return " ".join(f"{key}:{n}" for key, n in counts.items()) or "-"
