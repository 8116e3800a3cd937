"""Serving: health, readiness, OpenAPI, concurrency of one request's items, bounded queues."""

from __future__ import annotations

import asyncio
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fake_reader import FRONT_IMAGE, FakeReader
from fastapi.testclient import TestClient
from signing import APPID, BUCKET, Signer

from idcard_ocr.api.app import create_app
from idcard_ocr.api.server import TcpConfig, running
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
    reader = FakeReader()
    with TestClient(create_app(wide, reader=reader)) as client:
        answer = client.post(
            "/ocr/idcard", headers={"Authorization": signer.header()}, files=parts([b"SLOW"] * 4)
        ).json()
    assert [item["code"] for item in answer["result_list"]] == [0] * 4
    assert reader.peak == 4  # each read sleeps 1 s, so all four overlapped


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


def test_workers_listen_on_a_socket_whose_connections_send_without_delay() -> None:
    # uvicorn binds the socket itself for several workers; asyncio sets TCP_NODELAY only on
    # connections accepted from a socket that says IPPROTO_TCP (else ~40 ms per answer).
    listener = TcpConfig("idcard_ocr.api.app:app_from_environment", host="127.0.0.1", port=0)
    sock = listener.bind_socket()
    assert sock.proto == socket.IPPROTO_TCP

    async def accepted_nodelay() -> int:
        seen: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def on_connect(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            conn = writer.get_extra_info("socket")
            seen.set_result(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(on_connect, sock=sock)
        async with server:
            port = sock.getsockname()[1]
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            flag = await asyncio.wait_for(seen, 5)
            writer.close()
            return flag

    assert asyncio.run(accepted_nodelay()) != 0
