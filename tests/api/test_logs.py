"""Logs: JSON lines, each request's id in its answer and on its lines, and nothing of what a
request carried. The last test reads rendered cards with the real engine and searches every
log record, at DEBUG, for their values, the signatures and the secret."""

from __future__ import annotations

import base64
import logging
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from fake_reader import FRONT_IMAGE, FakeReader
from fastapi.testclient import TestClient
from json_logs import service_logs
from signing import APPID, BUCKET, Signer

from idcard_ocr.api.app import create_app, load_reader
from idcard_ocr.api.server import running
from idcard_ocr.card.model import Side
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import IssuedCredential
from idcard_ocr.synth.sample import render_sample

GENERATED = re.compile(r"[0-9a-f]{32}")
# What a presigned URL carries; it must not reach the logs through the HTTP client's lines.
URL_TOKEN = "q-signature=5f0d3c1e9a7b42d8a6c1e0f3b2d4a6c8"


def front_parts(*images: bytes, card_type: int = 0) -> list[Any]:
    fields: list[Any] = [
        ("appid", (None, APPID)),
        ("bucket", (None, BUCKET)),
        ("card_type", (None, str(card_type))),
    ]
    return fields + [(f"image[{i}]", (f"{i}.png", image)) for i, image in enumerate(images)]


def by_request(lines: list[dict[str, Any]], request_id: str) -> list[dict[str, Any]]:
    return [line for line in lines if line.get("request_id") == request_id]


def test_each_answer_and_its_log_lines_carry_one_request_id(
    settings: Settings, signer: Signer
) -> None:
    with (
        service_logs("debug") as logs,
        TestClient(create_app(settings, reader=FakeReader())) as client,
    ):
        headers = {"Authorization": signer.header()}
        served = client.post("/ocr/idcard", headers=headers, files=front_parts(FRONT_IMAGE))
        kept = client.post(
            "/ocr/idcard", headers={"X-Request-Id": "edge-7f3a.01:2"}, files=front_parts()
        )
        unsafe = [b"has spaces", b"x" * 129, b'quote"d', "换行".encode()]
        replaced = [client.get("/healthz", headers={"X-Request-Id": rid}) for rid in unsafe]
    served_id = served.headers["x-request-id"]
    assert GENERATED.fullmatch(served_id)
    assert kept.headers["x-request-id"] == "edge-7f3a.01:2"
    replaced_ids = [answer.headers["x-request-id"] for answer in replaced]
    assert all(GENERATED.fullmatch(rid) for rid in replaced_ids)
    assert len({served_id, *replaced_ids}) == 5
    lines = logs.lines()
    assert all({"time", "level", "logger", "pid", "message"} <= line.keys() for line in lines)
    served_lines = {(line["logger"], line["message"]) for line in by_request(lines, served_id)}
    assert served_lines == {
        ("idcard_ocr.api.pool", "image read"),  # written on the recognition thread
        ("idcard_ocr.api.endpoint", "request answered"),
        ("idcard_ocr.access", "POST /ocr/idcard 200"),
    }
    kept_lines = {
        (line["logger"], line["message"])
        for line in by_request(lines, kept.headers["x-request-id"])
    }
    assert kept_lines == {
        ("idcard_ocr.api.endpoint", "request refused with code 4"),
        ("idcard_ocr.access", "POST /ocr/idcard 200"),
    }
    (answered,) = [line for line in by_request(lines, served_id) if "items" in line]
    (read,) = [line for line in by_request(lines, served_id) if line["message"] == "image read"]
    assert read["code"] == 0 and read["read_ms"] >= 0
    (thread,) = [r.threadName for r in logs.records if r.getMessage() == "image read"]
    assert thread.startswith("recognition")
    assert answered["items"] == 1 and answered["codes"] == {"0": 1}
    assert all(len(by_request(lines, rid)) == 1 for rid in replaced_ids)  # the access line


def test_exceptions_are_written_as_types_and_frames_without_messages() -> None:
    # Built here, so that the traceback's source lines do not show them.
    secret, name = "".join(["3101011990", "01011234"]), "".join(["王", "小明"])
    with service_logs("info") as logs:
        try:
            try:
                raise ValueError(f"bad value {secret}")
            except ValueError as exc:
                raise KeyError(name) from exc
        except KeyError:
            logging.getLogger("idcard_ocr.test").exception("reading failed")
    (line,) = logs.lines()
    trace = line["exc_info"]
    assert "ValueError" in trace and "KeyError" in trace
    assert "test_exceptions_are_written_as_types_and_frames_without_messages" in trace
    assert secret not in trace and name not in trace


def test_urls_fetched_are_not_logged(settings: Settings, signer: Signer, image_server: str) -> None:
    body = {
        "appid": APPID,
        "bucket": BUCKET,
        "url_list": [f"{image_server}/front.jpg?{URL_TOKEN}"],
    }
    with (
        service_logs("debug") as logs,
        TestClient(create_app(settings, reader=FakeReader())) as client,
    ):
        answer = client.post("/ocr/idcard", headers={"Authorization": signer.header()}, json=body)
    assert [item["code"] for item in answer.json()["result_list"]] == [0]
    assert logs.lines()
    assert not [text for text in logs.texts() if "q-signature" in text or "front.jpg" in text]


class _Images(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, images: Mapping[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _ImageHandler)
        self.images = images


class _ImageHandler(BaseHTTPRequestHandler):
    server: _Images

    def do_GET(self) -> None:
        body = self.server.images.get(self.path.split("?")[0], b"")
        self.send_response(200 if body else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def images_served(images: Mapping[str, bytes]) -> Iterator[str]:
    server = _Images(images)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.model
def test_no_log_record_holds_a_field_value_a_signature_or_a_secret(
    settings: Settings, signer: Signer, credential: IssuedCredential
) -> None:
    front = render_sample(11, 0, "clean", Side.FRONT)
    back = render_sample(11, 0, "clean", Side.BACK)
    headers = [signer.header(), signer.header(r="77"), signer.header(secret_key="wrong" * 6)]
    with (
        service_logs("debug") as logs,
        images_served({"/back.png": back.data}) as images,
    ):
        app = create_app(settings, reader=load_reader(settings))
        with (
            running(app, log_level="debug") as base,
            httpx.Client(base_url=base, trust_env=False, timeout=60) as http,
        ):
            files = front_parts(front.data)
            read_front = http.post(
                "/ocr/idcard", headers={"Authorization": headers[0]}, files=files
            )
            by_url = {
                "appid": APPID,
                "bucket": BUCKET,
                "card_type": 1,
                "url_list": [f"{images}/back.png?{URL_TOKEN}"],
            }
            read_back = http.post("/ocr/idcard", headers={"Authorization": headers[1]}, json=by_url)
            forged = http.post("/ocr/idcard", headers={"Authorization": headers[2]}, files=files)
    # The values went through the service: each was read and answered.
    (front_item,) = read_front.json()["result_list"]
    (back_item,) = read_back.json()["result_list"]
    assert front_item["code"] == 0 and back_item["code"] == 0
    assert {k: front_item["data"][k] for k in ("name", "address", "id")} == {
        k: front.labels[k] for k in ("name", "address", "id")
    }
    assert back_item["data"]["authority"] == back.labels["authority"]
    assert forged.json()["code"] == 5
    identity = front.identity
    never = {
        "name": identity.name,
        "address": identity.address,
        "id number": identity.id_number,
        "authority": identity.authority,
        "secret key": credential.secret_key,
        "URL token": URL_TOKEN,
        **{f"Authorization #{i}": header for i, header in enumerate(headers)},
        **{f"HMAC #{i}": _hmac(header) for i, header in enumerate(headers)},
    }
    texts = logs.texts()
    answered = [read_front, read_back, forged]
    lines = logs.lines()
    assert all(by_request(lines, a.headers["x-request-id"]) for a in answered)
    assert any(record.levelno == logging.DEBUG for record in logs.records)
    for what, value in never.items():
        assert not [text for text in texts if value in text], f"a log line holds the {what}"


def _hmac(header: str) -> str:
    """The signature's digest alone, as the hex a careless log line would print."""
    return base64.b64decode(header)[:20].hex()
