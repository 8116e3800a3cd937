"""deploy/nginx/idcard-ocr.conf in front of two `idcard-ocr serve` nodes sharing one store, real
engine: signed requests through nginx are answered correctly by both nodes; request ids pass
through both ways; nginx's own refusals keep the legacy shape (HTTP 200, JSON code); a node
stopped is skipped, and with every node gone the answer is 202.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from nginx_server import running_nginx

from idcard_ocr.card.model import Side
from idcard_ocr.client import Client
from idcard_ocr.synth.sample import render_sample
from serve_process import ON_LOOPBACK, ServeProcess, client, issue_credential

pytestmark = pytest.mark.model
SEED = 11
NODE_SETTINGS = {"IDCARD_OCR_RECOGNITION_THREADS": "1", "IDCARD_OCR_ITEM_TIMEOUT_SECONDS": "300"}
OVER_THE_BODY_LIMIT = 24 * 1_048_576 + 1


def read_cards(ours: Client, indices: range) -> None:
    """One request per card, sides alternating; each answer must be the card's labels."""
    for index in indices:
        side = Side.FRONT if index % 2 == 0 else Side.BACK
        card = render_sample(SEED, index, "clean", side)
        [result] = ours.recognise_images([card.data], side)
        assert result.code == 0, result.message
        assert {name: field.text for name, field in result.fields.items()} == card.labels


def answered(node: ServeProcess) -> int:
    return served(node.logs())


def served(lines: list[dict[str, Any]]) -> int:
    return sum(line["message"] == "POST /ocr/idcard 200" for line in lines)


def lines_of(node: ServeProcess, request_id: str) -> list[dict[str, Any]]:
    return [line for line in node.logs() if line.get("request_id") == request_id]


def logged(access_log: Path, text: str, within_seconds: float = 5.0) -> bool:
    """Whether nginx's access log holds `text`. nginx writes a request's line in its log phase,
    after the response has gone out: a client can read the answer before the line is there."""
    deadline = time.monotonic() + within_seconds
    while text not in access_log.read_text():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def unsigned(http: httpx.Client, url: str, **headers: str) -> httpx.Response:
    """A form request without a signature: every node refuses it at once with code 4."""
    return http.post(f"{url}/ocr/idcard", data={"appid": "1", "bucket": "b"}, headers=headers)


def test_two_nodes_behind_nginx(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'store.db'}"
    credential = issue_credential(database_url)
    with (
        ServeProcess(
            tmp_path / "a", NODE_SETTINGS, database_url=database_url, arguments=ON_LOOPBACK
        ) as a,
        ServeProcess(
            tmp_path / "b", NODE_SETTINGS, database_url=database_url, arguments=ON_LOOPBACK
        ) as b,
    ):
        nodes = [node.started().removeprefix("http://") for node in (a, b)]
        with (
            running_nginx(tmp_path / "nginx", nodes) as nginx,
            client(nginx.url, credential, timeout=120) as ours,
            httpx.Client(trust_env=False, timeout=60) as http,
        ):
            read_cards(ours, range(4))
            assert answered(a) >= 1 and answered(b) >= 1  # both nodes served

            kept = unsigned(http, nginx.url, **{"X-Request-Id": "edge-check.1"})
            made = unsigned(http, nginx.url)
            for answer in (kept, made):
                assert (answer.status_code, answer.json()["code"]) == (200, 4)
            assert kept.headers["x-request-id"] == "edge-check.1"
            made_id = made.headers["x-request-id"]
            assert re.fullmatch(r"[0-9a-f]{32}", made_id)  # nginx's $request_id
            for request_id in ("edge-check.1", made_id):
                assert logged(nginx.access_log, f"request_id={request_id}")
                assert lines_of(a, request_id) or lines_of(b, request_id)

            too_large = http.post(f"{nginx.url}/ocr/idcard", content=b"x" * OVER_THE_BODY_LIMIT)
            assert too_large.status_code == 200
            assert too_large.json() == {"code": 20, "message": "request body too large"}

            a.stop()  # as for a restart: refused at once, so nginx goes to the other node
            served_by_b = answered(b)
            read_cards(ours, range(4, 6))
            # uvicorn logs each request once its answer is sent: wait for the lines.
            b.wait_for(lambda lines: served(lines) >= served_by_b + 2, 5.0)
            assert answered(b) == served_by_b + 2

            b.stop()
            gone = unsigned(http, nginx.url)
            assert gone.status_code == 200
            assert gone.json() == {"code": 202, "message": "internal connection failed"}
    assert a.process.returncode == 0 and b.process.returncode == 0
