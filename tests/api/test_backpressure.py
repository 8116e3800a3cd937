"""Many clients at once against a pool of known speed: load is refused with 15, never 203.

The reader takes 50 ms a read on 2 threads and the item budget is 1 s: the pool reads about
40 items in budget, and 16 clients send 5 items each at once, 80 items. The items beyond
what fits are refused at the door, retried by the client, and every item answers 0; before
admission control the last of them waited 2 s in the queue and answered 203.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from fake_reader import FRONT_IMAGE, FakeReader

from idcard_ocr.api.app import create_app
from idcard_ocr.api.server import running
from idcard_ocr.card.model import CardResult, Side
from idcard_ocr.client import Client, RetryPolicy
from idcard_ocr.errors import RateLimited
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import IssuedCredential

READ_SECONDS = 0.05
CLIENTS, REQUESTS, ITEMS = 16, 3, 5
RETRY = RetryPolicy(max_retries=200, base_seconds=0.05, cap_seconds=0.4, max_wait_seconds=60)


class SteadyReader:
    """Every read takes READ_SECONDS, as a model would on a quiet core."""

    def read(self, image: bytes, side: Side) -> CardResult:
        time.sleep(READ_SECONDS)
        return FakeReader().read(image, side)


def test_concurrent_clients_get_15_and_then_every_item_read(
    settings: Settings, credential: IssuedCredential
) -> None:
    tight = settings.model_copy(
        update={
            "recognition_threads": 2,
            "item_timeout_seconds": 1.0,
            "cold_start_item_seconds": READ_SECONDS,
        }
    )
    refusals: list[int] = []
    lock = threading.Lock()

    def refused(error: RateLimited, _delay: float) -> None:
        with lock:
            refusals.append(error.code)

    def send(base: str) -> list[int]:
        c = credential
        with Client(
            base, c.appid, c.secret_id, c.secret_key, c.bucket, retry=RETRY, on_retry=refused
        ) as client:
            codes: list[int] = []
            for _ in range(REQUESTS):
                codes += [r.code for r in client.recognise_images([FRONT_IMAGE] * ITEMS)]
            return codes

    with running(create_app(tight, reader=SteadyReader())) as base:
        with ThreadPoolExecutor(CLIENTS) as clients:
            answers = list(clients.map(send, [base] * CLIENTS))
        metrics = _scrape(base)
    codes = [code for answer in answers for code in answer]
    assert codes == [0] * (CLIENTS * REQUESTS * ITEMS)  # no 203, nothing lost
    assert refusals and set(refusals) == {15}
    assert f"idcard_ocr_admission_refusals_total {float(len(refusals))}" in metrics
    assert "idcard_ocr_queue_depth 0.0" in metrics


def _scrape(base: str) -> str:
    return httpx.get(f"{base}/metrics", trust_env=False).text
