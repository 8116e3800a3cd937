"""Serving: health, readiness, OpenAPI, concurrency of one request's items, bounded queues."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fake_reader import FRONT_IMAGE, FakeReader
from fastapi.testclient import TestClient
from signing import APPID, BUCKET, Signer

from idcard_ocr.api.app import create_app
from idcard_ocr.api.server import running
from idcard_ocr.settings import Settings


def parts(images: list[bytes]) -> list[Any]:
    fields: list[Any] = [("appid", (None, APPID)), ("bucket", (None, BUCKET))]
    return fields + [(f"image[{i}]", (f"{i}.jpg", image)) for i, image in enumerate(images)]


def test_health_readiness_and_docs(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"models_loaded": True, "store_reachable": True}
    assert client.get("/docs").status_code == 200
    assert "/ocr/idcard" in client.get("/openapi.json").json()["paths"]


def test_items_of_one_request_run_concurrently(settings: Settings, signer: Signer) -> None:
    wide = settings.model_copy(update={"recognition_threads": 4})
    with TestClient(create_app(wide, reader=FakeReader())) as client:
        started = time.monotonic()
        answer = client.post(
            "/ocr/idcard", headers={"Authorization": signer.header()}, files=parts([b"SLOW"] * 4)
        ).json()
        elapsed = time.monotonic() - started
    assert [item["code"] for item in answer["result_list"]] == [0] * 4
    assert elapsed < 2.5


def test_full_recognition_queue_is_15(settings: Settings, signer: Signer) -> None:
    small = settings.model_copy(update={"max_queued_items": 2})
    with TestClient(create_app(small, reader=FakeReader())) as client:
        headers = {"Authorization": signer.header()}
        answer = client.post("/ocr/idcard", headers=headers, files=parts([FRONT_IMAGE] * 3))
        ok = client.post("/ocr/idcard", headers=headers, files=parts([FRONT_IMAGE] * 2))
    assert answer.json()["code"] == 15
    assert [item["code"] for item in ok.json()["result_list"]] == [0, 0]


def test_requests_beyond_those_in_flight_are_15_at_once(settings: Settings, signer: Signer) -> None:
    narrow = settings.model_copy(update={"max_requests_in_flight": 1})
    with running(create_app(narrow, reader=FakeReader())) as base:

        def post(images: list[bytes]) -> dict[str, Any]:
            headers = {"Authorization": signer.header()}
            with httpx.Client(base_url=base, trust_env=False, timeout=10) as http:
                answer: dict[str, Any] = http.post(
                    "/ocr/idcard", headers=headers, files=parts(images)
                ).json()
                return answer

        with ThreadPoolExecutor(2) as threads:
            slow = threads.submit(post, [b"SLOW"])
            time.sleep(0.3)
            refused = post([FRONT_IMAGE])
            assert refused == {"code": 15, "message": "server busy: too many requests in flight"}
            assert slow.result()["result_list"][0]["code"] == 0
