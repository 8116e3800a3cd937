"""Real clients against a real uvicorn on 127.0.0.1: the official `qcloud-image` Python SDK
unchanged (only its host moved), and the Java SDK's request shape, byte for byte."""

from __future__ import annotations

import urllib.parse
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import qcloud_image
from fake_reader import BACK_IMAGE, FRONT_IMAGE, FakeReader
from signing import APPID, BUCKET, Signer

from idcard_ocr.api.app import create_app
from idcard_ocr.api.server import running
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import IssuedCredential

SIDES = [(0, FRONT_IMAGE, "name"), (1, BACK_IMAGE, "authority")]


@pytest.fixture
def server(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    with running(create_app(settings, reader=FakeReader())) as base:
        yield base


@pytest.fixture
def sdk(server: str, credential: IssuedCredential, monkeypatch: pytest.MonkeyPatch) -> Any:
    # The SDK's host is a private class attribute of its Conf: the one thing a user changes.
    monkeypatch.setattr(
        qcloud_image.conf.Conf, "_Conf__SERVICE_ADDR", server.removeprefix("http://")
    )
    return qcloud_image.Client(APPID, credential.secret_id, credential.secret_key, BUCKET)


@pytest.mark.parametrize(("card_type", "image", "field"), SIDES)
def test_sdk_files(sdk: Any, tmp_path: Path, card_type: int, image: bytes, field: str) -> None:
    paths = [tmp_path / "a.jpg", tmp_path / "身份证 b.jpg"]
    for path in paths:
        path.write_bytes(image)
    answer = sdk.idcard_detect(qcloud_image.CIFiles([str(p) for p in paths]), card_type)
    assert answer["httpcode"] == 200
    items = answer["result_list"]
    assert [item["code"] for item in items] == [0, 0]
    assert [item["filename"] for item in items] == [urllib.parse.quote(str(p)) for p in paths]
    assert all(field in item["data"] for item in items)


@pytest.mark.parametrize(("card_type", "image", "field"), SIDES)
def test_sdk_buffers(sdk: Any, card_type: int, image: bytes, field: str) -> None:
    answer = sdk.idcard_detect(qcloud_image.CIBuffers([image, image, b"NOTCARD"]), card_type)
    items = answer["result_list"]
    assert [item["code"] for item in items] == [0, 0, -5107]
    assert [item["filename"] for item in items] == ["images[0]", "images[1]", "images[2]"]
    assert items[0]["data"][field]


@pytest.mark.parametrize(("card_type", "image", "field"), SIDES)
def test_sdk_urls(sdk: Any, image_server: str, card_type: int, image: bytes, field: str) -> None:
    urls = [f"{image_server}/{'front' if card_type == 0 else 'back'}.jpg", ""]
    answer = sdk.idcard_detect(qcloud_image.CIUrls(urls), card_type)
    items = answer["result_list"]
    assert [(item["code"], item["url"]) for item in items] == [(0, urls[0]), (17, "")]
    assert items[0]["data"][field]


# The server answers an unknown key before reading the body and closes the connection; the SDK,
# which sends all of its body before reading, must still read that answer for a full batch.
@pytest.mark.parametrize("images", [[FRONT_IMAGE], [b"x" * 1_048_576] * 20], ids=["1", "20 MB"])
def test_sdk_sees_request_errors(
    server: str, monkeypatch: pytest.MonkeyPatch, images: list[bytes]
) -> None:
    monkeypatch.setattr(
        qcloud_image.conf.Conf, "_Conf__SERVICE_ADDR", server.removeprefix("http://")
    )
    stranger = qcloud_image.Client(APPID, "AKIDnobody", "secret", BUCKET)
    answer = stranger.idcard_detect(qcloud_image.CIBuffers(images))
    assert (answer["httpcode"], answer["code"]) == (200, 11)


def _java_body(boundary: str, card_type: int, images: list[bytes]) -> bytes:
    """Multipart as the Java SDK writes it: plain fields, then image[i] file parts."""
    lines: list[bytes] = []
    for name, value in (("appid", APPID), ("bucket", BUCKET), ("card_type", str(card_type))):
        lines += [
            f"--{boundary}".encode(),
            f'Content-Disposition: form-data; name="{name}"'.encode(),
            b"",
            value.encode(),
        ]
    for index, image in enumerate(images):
        disposition = f'form-data; name="image[{index}]"; filename="{index}.jpg"'
        lines += [
            f"--{boundary}".encode(),
            f"Content-Disposition: {disposition}".encode(),
            b"Content-Type: image/jpeg",
            b"",
            image,
        ]
    return b"\r\n".join([*lines, f"--{boundary}--".encode(), b""])


@pytest.mark.parametrize("order", ["a,b,k,t,e,r,f", "a,k,t,r,u,b,e"])
@pytest.mark.parametrize(("card_type", "image", "field"), SIDES)
def test_java_sdk_shape(
    server: str, signer: Signer, order: str, card_type: int, image: bytes, field: str
) -> None:
    boundary = uuid.uuid4().hex
    headers = {
        "Authorization": signer.header(order=order),
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Host": "service.image.myqcloud.com",
    }
    body = _java_body(boundary, card_type, [image] * 11)
    with httpx.Client(trust_env=False) as http:
        response = http.post(f"{server}/ocr/idcard", headers=headers, content=body)
    assert response.status_code == 200
    items = response.json()["result_list"]
    expected = sorted(f"image[{i}]" for i in range(11))  # image[10] sorts before image[2]
    assert [item["filename"] for item in items] == [f"{name[6:-1]}.jpg" for name in expected]
    assert all(item["code"] == 0 and field in item["data"] for item in items)
