"""Retries of refused requests: jittered and bounded delays, and a refusal that then succeeds."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from idcard_ocr.api.app import create_app
from idcard_ocr.api.server import running
from idcard_ocr.card.model import CardResult, Field, Side
from idcard_ocr.client import Client, RetryPolicy
from idcard_ocr.errors import RateLimited, ServerBusy
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import IssuedCredential

QUICK = RetryPolicy(max_retries=20, base_seconds=0.05, cap_seconds=0.2, max_wait_seconds=30)


def delays(policy: RetryPolicy, jitter: random.Random, retry_after: float = 0.0) -> list[float]:
    """The sleeps a client would take while its request is refused every time."""
    found: list[float] = []
    while True:
        delay = policy.delay(len(found), jitter, retry_after)
        if not policy.allows(len(found), sum(found), delay):
            return found
        found.append(delay)


def test_delays_are_full_jitter_under_a_growing_cap_and_a_total() -> None:
    policy = RetryPolicy(max_retries=6, base_seconds=0.5, cap_seconds=8.0, max_wait_seconds=30.0)
    jitter = random.Random(2026)
    runs = [delays(policy, jitter) for _ in range(500)]
    for run in runs:
        assert len(run) <= 6
        assert sum(run) <= 30.0
        for retry, delay in enumerate(run):
            assert 0.0 <= delay <= min(8.0, 0.5 * 2**retry)
    firsts = [run[0] for run in runs]
    assert len(set(firsts)) == len(firsts)  # jittered: no two clients wait alike
    assert max(firsts) > 0.4 and min(firsts) < 0.1  # spread over the whole first window
    lasts = [run[5] for run in runs if len(run) == 6]
    assert max(lasts) > 6.0  # the ceiling grows to the cap


def test_the_total_wait_ends_the_retries() -> None:
    policy = RetryPolicy(max_retries=1000, base_seconds=1.0, cap_seconds=1.0, max_wait_seconds=5)
    run = delays(policy, random.Random(7))
    assert sum(run) <= 5.0 and len(run) < 1000


def test_the_servers_retry_after_is_waited_and_jittered_on_top() -> None:
    policy = RetryPolicy(max_retries=3, base_seconds=0.5, cap_seconds=8.0, max_wait_seconds=60)
    run = delays(policy, random.Random(3), retry_after=4.0)
    assert len(run) == 3
    assert all(4.0 <= delay <= 4.0 + min(8.0, 0.5 * 2**n) for n, delay in enumerate(run))


class GatedReader:
    """Reads of images starting HOLD wait for the gate; the others read as cards at once."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.holding = threading.Event()

    def read(self, image: bytes, side: Side) -> CardResult:
        if image.startswith(b"HOLD"):
            self.holding.set()
            self.gate.wait(30)
        return CardResult(side, {name: Field(name, (90,)) for name in side.fields})


@pytest.fixture
def gated() -> GatedReader:
    return GatedReader()


@pytest.fixture
def one_item_server(
    database_url: str, credential: IssuedCredential, gated: GatedReader
) -> Iterator[str]:
    """A server that admits one item at a time: a second request while one runs is 15."""
    settings = Settings(database_url=database_url, max_queued_items=1, recognition_threads=1)
    with running(create_app(settings, reader=gated)) as base:
        yield base


def client_of(base: str, credential: IssuedCredential, **options: object) -> Client:
    c = credential
    return Client(base, c.appid, c.secret_id, c.secret_key, c.bucket, **options)  # type: ignore[arg-type]


@contextmanager
def pool_held(base: str, credential: IssuedCredential, gated: GatedReader) -> Iterator[None]:
    """While the block runs, another client's one-item request holds the whole pool."""
    with ThreadPoolExecutor(1) as background, client_of(base, credential) as holder:
        held = background.submit(holder.recognise_images, [b"HOLD"])
        assert gated.holding.wait(10)
        try:
            yield
        finally:
            gated.gate.set()
        assert held.result()[0].ok


def test_a_refused_request_is_retried_and_succeeds(
    one_item_server: str, credential: IssuedCredential, gated: GatedReader
) -> None:
    refusals: list[tuple[int, float]] = []

    def refused(error: RateLimited, delay: float) -> None:
        refusals.append((error.code, delay))
        gated.gate.set()  # the request that holds the pool ends once we have been refused

    with (
        pool_held(one_item_server, credential, gated),
        client_of(one_item_server, credential, retry=QUICK, on_retry=refused) as other,
    ):
        [result] = other.recognise_images([b"card"])
    assert result.ok
    assert refusals and all(code == 15 for code, _ in refusals)
    # The server's Retry-After (one read of 1.5 s, the cold-start guess, in whole seconds)
    # and the policy's jitter on top.
    assert all(2.0 <= delay <= 2.2 for _, delay in refusals)


def test_refusals_past_the_policy_raise_server_busy(
    one_item_server: str, credential: IssuedCredential, gated: GatedReader
) -> None:
    retries: list[float] = []

    def retried(_error: RateLimited, delay: float) -> None:
        retries.append(delay)

    # Each wait is the server's Retry-After of 2 s and a little: the third would pass 5 s.
    policy = RetryPolicy(max_retries=3, base_seconds=0.01, cap_seconds=0.02, max_wait_seconds=5)
    with (
        pool_held(one_item_server, credential, gated),
        client_of(one_item_server, credential, retry=policy, on_retry=retried) as other,
        pytest.raises(RateLimited) as refused,
    ):
        other.recognise_images([b"card"])
    assert refused.value.code == 15
    assert len(retries) == 2


class Unavailable(BaseHTTPRequestHandler):
    """A proxy in front of a full server: every request is HTTP 503."""

    requests = 0

    def do_POST(self) -> None:
        type(self).requests += 1
        self.rfile.read(int(self.headers["Content-Length"]))
        body = b"<html>503 Service Temporarily Unavailable</html>"
        self.send_response(503)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_http_503_is_retried_as_busy() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Unavailable)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    credential = IssuedCredential("1250000000", "photos", "AKIDx", "key")
    policy = RetryPolicy(max_retries=2, base_seconds=0.01, cap_seconds=0.02)
    try:
        with client_of(base, credential, retry=policy) as client, pytest.raises(ServerBusy):
            client.recognise_images([b"card"])
    finally:
        server.shutdown()
        server.server_close()
    assert Unavailable.requests == 3
