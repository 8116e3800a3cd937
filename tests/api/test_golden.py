"""Golden JSON freezes the wire shapes: both sides, both request forms, item and request errors.

Run with IDCARD_OCR_UPDATE_GOLDEN=1 to rewrite the fixtures after a deliberate change.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from fake_reader import BACK_IMAGE, FRONT_IMAGE
from fastapi.testclient import TestClient
from signing import APPID, BUCKET, Signer

GOLDEN = Path(__file__).parents[1] / "fixtures" / "golden"
IMAGES = "http://images.test"  # the loopback image server's address, as written in fixtures


def check(name: str, answer: dict[str, Any], image_server: str) -> None:
    text = json.dumps(answer, ensure_ascii=False, indent=2).replace(image_server, IMAGES) + "\n"
    path = GOLDEN / f"{name}.json"
    if os.environ.get("IDCARD_OCR_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def post_urls(client: TestClient, signer: Signer, card_type: int, urls: list[str]) -> Any:
    body = {"appid": APPID, "bucket": BUCKET, "card_type": card_type, "url_list": urls}
    return client.post("/ocr/idcard", headers={"Authorization": signer.header()}, json=body).json()


def post_files(client: TestClient, signer: Signer, card_type: str, files: list[Any]) -> Any:
    parts: list[Any] = [
        ("appid", (None, APPID)),
        ("bucket", (None, BUCKET)),
        ("card_type", (None, card_type)),
        *files,
    ]
    headers = {"Authorization": signer.header()}
    return client.post("/ocr/idcard", headers=headers, files=parts).json()


@pytest.mark.parametrize(("side", "path"), [(0, "/front.jpg"), (1, "/back.jpg")])
def test_url_form(
    client: TestClient, signer: Signer, image_server: str, side: int, path: str
) -> None:
    answer = post_urls(client, signer, side, [image_server + path, image_server + path])
    check(f"url_{'front' if side == 0 else 'back'}", answer, image_server)


@pytest.mark.parametrize(("side", "image"), [("0", FRONT_IMAGE), ("1", BACK_IMAGE)])
def test_file_form(
    client: TestClient, signer: Signer, image_server: str, side: str, image: bytes
) -> None:
    files = [("image[0]", ("1.jpg", image)), ("image[1]", ("2.jpg", image))]
    answer = post_files(client, signer, side, files)
    check(f"file_{'front' if side == '0' else 'back'}", answer, image_server)


def test_url_item_errors(client: TestClient, signer: Signer, image_server: str) -> None:
    urls = [
        "",
        "ftp://images.test/a.jpg",
        f"{image_server}/status/404",
        f"{image_server}/bytes/1048577",
    ]
    check("url_item_errors", post_urls(client, signer, 0, urls), image_server)


def test_file_item_errors(client: TestClient, signer: Signer, image_server: str) -> None:
    files = [
        ("image[0]", ("empty.jpg", b"")),
        ("image[1]", ("text.txt", b"NOTIMAGE")),
        ("image[2]", ("", b"NOTCARD")),
        ("image[3]", ("big.jpg", b"x" * 1_048_577)),
        ("image[4]", ("ok.jpg", FRONT_IMAGE)),
    ]
    check("file_item_errors", post_files(client, signer, "0", files), image_server)


def test_request_errors(client: TestClient, signer: Signer, image_server: str) -> None:
    answers = {
        "missing_signature": client.post("/ocr/idcard", json={}).json(),
        "bad_card_type": post_urls(client, signer, 5, ["x"]),
        "no_images": post_urls(client, signer, 0, []),
        "too_many": post_urls(client, signer, 0, ["x"] * 21),
    }
    check("request_errors", answers, image_server)
