"""`GET /metrics`: requests and items by code, stage durations, the gauges of work in
progress, and admission refusals, counted as requests come (the fake reader stands in for
the engine), and summed over the workers of `idcard-ocr serve --workers 2` (the real one)."""

from __future__ import annotations

import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_reader import BACK_IMAGE, FRONT_IMAGE, FakeReader
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from signing import APPID, BUCKET, Signer

from idcard_ocr.api.app import create_app
from idcard_ocr.api.server import running
from idcard_ocr.api.signature import sign
from idcard_ocr.card.model import CardResult, Side
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database
from idcard_ocr.synth.sample import render_sample
from idcard_ocr.vision.stages import Stage, timing
from serve_process import ServeProcess

GAUGES = (
    "idcard_ocr_queue_depth",
    "idcard_ocr_items_in_flight",
    "idcard_ocr_requests_in_flight",
)


def value(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition `text`."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    raise AssertionError(f"{name}{labels} is not exposed")


def images(side: Side, *contents: bytes) -> list[Any]:
    fields: list[Any] = [
        ("appid", (None, APPID)),
        ("bucket", (None, BUCKET)),
        ("card_type", (None, str(int(side)))),
    ]
    return fields + [(f"image[{i}]", (f"{i}.jpg", image)) for i, image in enumerate(contents)]


def urls(side: Side, *items: str) -> dict[str, Any]:
    return {"appid": APPID, "bucket": BUCKET, "card_type": int(side), "url_list": list(items)}


class StagedReader(FakeReader):
    """The fake reader, marking the engine's three stages as `CardReader` does."""

    def read(self, image: bytes, side: Side) -> CardResult:
        for stage in (Stage.DECODE, Stage.LOCATE):
            with timing(stage):
                time.sleep(0.001)
        with timing(Stage.READ):
            return super().read(image, side)


def test_counts_requests_items_and_stages(
    settings: Settings, signer: Signer, image_server: str
) -> None:
    with TestClient(create_app(settings, reader=StagedReader())) as client:
        before = client.get("/metrics").text
        headers = {"Authorization": signer.header()}
        files = images(Side.FRONT, FRONT_IMAGE, b"NOTCARD", FRONT_IMAGE)
        answers = [client.post("/ocr/idcard", headers=headers, files=files).json()]
        listed = urls(Side.BACK, f"{image_server}/back.jpg", f"{image_server}/status/404")
        answers.append(client.post("/ocr/idcard", headers=headers, json=listed).json())
        unsigned = client.post("/ocr/idcard", json=listed).json()
        scraped = client.get("/metrics")
    assert unsigned["code"] == 4
    assert scraped.headers["content-type"].startswith("text/plain")
    text = scraped.text
    assert value(before, "idcard_ocr_stage_duration_seconds_count", stage="total") == 0
    assert value(text, "idcard_ocr_requests_total", code="0") == 2
    assert value(text, "idcard_ocr_requests_total", code="4") == 1
    served = Counter(
        (str(item["code"]), side)
        for answer, side in zip(answers, ("front", "back"), strict=True)
        for item in answer["result_list"]
    )
    assert served == {
        ("0", "front"): 2,
        ("-5107", "front"): 1,
        ("0", "back"): 1,
        ("-1308", "back"): 1,
    }
    for (code, side), count in served.items():
        assert value(text, "idcard_ocr_items_total", code=code, side=side) == count
    stage_counts = {"total": 3, "fetch": 2, "decode": 4, "locate": 4, "read": 4}
    for stage, count in stage_counts.items():
        assert value(text, "idcard_ocr_stage_duration_seconds_count", stage=stage) == count
    assert value(text, "idcard_ocr_stage_duration_seconds_sum", stage="decode") >= 0.004
    assert value(text, "idcard_ocr_admission_refusals_total") == 0
    for gauge in GAUGES:
        assert value(text, gauge) == 0


def test_busy_refusals_are_counted_but_not_an_apps_rate_limit(
    settings: Settings, signer: Signer, database_url: str
) -> None:
    small = settings.model_copy(update={"max_queued_items": 2})
    with TestClient(create_app(small, reader=FakeReader())) as client:
        headers = {"Authorization": signer.header()}
        busy = client.post(
            "/ocr/idcard", headers=headers, files=images(Side.FRONT, *[BACK_IMAGE] * 3)
        )
        database = Database.open(database_url)
        try:
            CredentialStore(database, 10).set_qps(APPID, 1)
        finally:
            database.close()
        limited = [
            client.post("/ocr/idcard", headers=headers, files=images(Side.FRONT, FRONT_IMAGE))
            for _ in range(3)
        ]
        text = client.get("/metrics").text
    assert busy.json() == {"code": 15, "message": "server busy: recognition queue is full"}
    assert [answer.json().get("code") for answer in limited[1:]] == [15, 15]
    assert value(text, "idcard_ocr_requests_total", code="15") == 3
    assert value(text, "idcard_ocr_admission_refusals_total") == 1


def test_gauges_show_the_work_in_progress(settings: Settings, signer: Signer) -> None:
    # One recognition thread, two slow images: one is read while the other waits.
    one = settings.model_copy(update={"recognition_threads": 1})
    with (
        running(create_app(one, reader=FakeReader())) as base,
        httpx.Client(base_url=base, trust_env=False, timeout=10) as http,
        ThreadPoolExecutor(1) as threads,
    ):
        headers = {"Authorization": signer.header()}
        files = images(Side.FRONT, b"SLOW", b"SLOW")
        slow = threads.submit(http.post, "/ocr/idcard", headers=headers, files=files)
        busy = _scrape_until(http, lambda text: value(text, "idcard_ocr_queue_depth") == 2)
        answer = slow.result().json()
        idle = http.get("/metrics").text
    assert value(busy, "idcard_ocr_items_in_flight") == 1
    assert value(busy, "idcard_ocr_requests_in_flight") == 1
    assert [item["code"] for item in answer["result_list"]] == [0, 0]
    for gauge in GAUGES:
        assert value(idle, gauge) == 0


def _scrape_until(http: httpx.Client, wanted: Any, seconds: float = 5.0) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = http.get("/metrics").text
        if wanted(text):
            return text
        time.sleep(0.02)
    raise AssertionError("the metrics never showed the expected state")


@pytest.mark.model
def test_two_workers_share_their_metrics(tmp_path: Path) -> None:
    """`idcard-ocr serve --workers 2`, the real engine in each: whichever worker answers a
    scrape counts the requests of both, and the metrics' directory goes when the server does."""
    store = f"sqlite:///{tmp_path / 'store.db'}"
    with ServeProcess(tmp_path, database_url=store, workers=2) as server:
        base = server.started()
        printed = server.printed(until="}")  # the credential made on the empty store
        credential: dict[str, str] = json.loads(printed[printed.index("{") :])
        with httpx.Client(base_url=base, trust_env=False, timeout=60) as http:
            unsigned = _until_both_workers(server, lambda: _alone(http, "POST", "/ocr/idcard"))
            signed = _read_a_front(http, credential)
            scrapes = _until_both_workers(
                server, lambda: _alone(http, "GET", "/metrics"), path="/metrics"
            )
    assert {answer.json()["code"] for answer in unsigned} == {4}
    assert [item["code"] for item in signed["result_list"]] == [0]
    for scrape in scrapes:
        text = scrape.text
        assert value(text, "idcard_ocr_requests_total", code="4") == len(unsigned)
        assert value(text, "idcard_ocr_requests_total", code="0") == 1
        assert value(text, "idcard_ocr_items_total", code="0", side="front") == 1
        for stage in ("decode", "locate", "read"):
            assert value(text, "idcard_ocr_stage_duration_seconds_count", stage=stage) == 1
        total = len(unsigned) + 1
        assert value(text, "idcard_ocr_stage_duration_seconds_count", stage="total") == total
        for gauge in GAUGES:  # one value, summed over the workers
            assert value(text, gauge) == 0
    assert server.process.returncode == 0
    assert not list(tmp_path.glob("idcard-ocr-metrics-*"))
    assert all(line["level"] in ("INFO", "WARNING") for line in server.logs())


def _pids(server: ServeProcess, path: str) -> set[int]:
    """The workers whose access lines answered `path` so far."""
    return {line["pid"] for line in server.logs() if line["message"].split(" ")[1:2] == [path]}


def _until_both_workers(
    server: ServeProcess, call: Any, path: str = "/ocr/idcard", most: int = 60
) -> list[httpx.Response]:
    """`call` made until two workers have answered `path` (connections land where the
    kernel puts them), at most `most` times."""
    answers: list[httpx.Response] = []
    while len(answers) < most:
        answers.append(call())
        time.sleep(0.01)
        if len(_pids(server, path)) == 2:
            return answers
    raise AssertionError(f"one worker answered all {most} calls to {path}")


def _read_a_front(http: httpx.Client, credential: dict[str, str]) -> dict[str, Any]:
    card = render_sample(11, 0, "clean", Side.FRONT)
    now = int(time.time())
    fields = {"a": credential["appid"], "k": credential["secret_id"], "e": str(now + 600)}
    header = sign(credential["secret_key"], [*fields.items(), ("t", str(now)), ("r", "1")])
    parts = [
        ("appid", (None, credential["appid"])),
        ("bucket", (None, credential["bucket"])),
        ("image", ("front.png", card.data)),
    ]
    answer: dict[str, Any] = http.post(
        "/ocr/idcard", headers={"Authorization": header}, files=parts
    ).json()
    return answer


def _alone(http: httpx.Client, method: str, path: str) -> httpx.Response:
    """A request on a connection of its own, which either worker may accept."""
    return http.request(method, path, headers={"Connection": "close"})
