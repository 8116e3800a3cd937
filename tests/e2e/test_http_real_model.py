"""End-to-end over HTTP: the real engine behind uvicorn reads rendered cards sent by our
client, by the official `qcloud-image` SDK and by URL, answers each item of a mixed batch with
its own code, and meters what it served.

Clean cards are used where the test is about the wire, not the engine: their reading is
reliable, so any difference from the rendered labels is a fault of the HTTP path.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from typing import Any

import pytest
import qcloud_image
from live_service import Service, image_server, usage_report

from idcard_ocr.card.model import Side
from idcard_ocr.client import Client
from idcard_ocr.synth.sample import Sample, render_sample
from serve_process import client as client_of

pytestmark = pytest.mark.model
SEED = 11
SIDES = [pytest.param(Side.FRONT, id="front"), pytest.param(Side.BACK, id="back")]


@cache
def card(side: Side) -> Sample:
    """The first clean card of the seed, one side of it (both sides show one identity)."""
    return render_sample(SEED, 0, "clean", side)


@pytest.fixture
def client(service: Service) -> Iterator[Client]:
    with client_of(service.base_url, service.credential) as ours:
        yield ours


@pytest.fixture
def sdk(service: Service, monkeypatch: pytest.MonkeyPatch) -> Any:
    # The SDK's host is a private class attribute of its Conf: the one thing a user changes.
    host = service.base_url.removeprefix("http://")
    monkeypatch.setattr(qcloud_image.conf.Conf, "_Conf__SERVICE_ADDR", host)
    credential = service.credential
    return qcloud_image.Client(
        credential.appid, credential.secret_id, credential.secret_key, credential.bucket
    )


def expected_confidences(name: str, text: str) -> int:
    """The spec's length of a confidence array: per digit for dates (长期 counts 2)."""
    if name in ("birth", "valid_date"):
        return sum(ch.isdigit() or ch in "长期" for ch in text)
    return len(text)


def assert_confidences(fields: Mapping[str, tuple[str, Sequence[int]]]) -> None:
    for name, (text, confidence) in fields.items():
        assert len(confidence) == expected_confidences(name, text), name
        assert all(isinstance(c, int) and 0 <= c <= 100 for c in confidence), name


def wire_fields(data: Mapping[str, Any]) -> dict[str, tuple[str, Sequence[int]]]:
    """A wire item's `data` as field -> (text, confidences)."""
    return {
        name: (value, data[f"{name}_confidence_all"])
        for name, value in data.items()
        if not name.endswith("_confidence_all")
    }


@pytest.mark.parametrize("side", SIDES)
def test_our_client_uploads_a_card_and_reads_its_fields(client: Client, side: Side) -> None:
    sample = card(side)
    [result] = client.recognise_images([("身份证 1.png", sample.data)], side)
    assert (result.code, result.message, result.source) == (0, "success", "身份证 1.png")
    assert {name: reading.text for name, reading in result.fields.items()} == sample.labels
    assert_confidences({n: (r.text, r.confidence) for n, r in result.fields.items()})


@pytest.mark.parametrize("side", SIDES)
def test_the_official_sdk_reads_a_card_from_a_buffer(sdk: Any, side: Side) -> None:
    sample = card(side)
    answer = sdk.idcard_detect(qcloud_image.CIBuffers([sample.data]), int(side))
    assert answer["httpcode"] == 200
    [item] = answer["result_list"]
    assert (item["code"], item["message"], item["filename"]) == (0, "success", "images[0]")
    fields = wire_fields(item["data"])
    assert {name: text for name, (text, _) in fields.items()} == sample.labels
    assert_confidences(fields)


def test_a_url_on_loopback_is_fetched_and_read(client: Client) -> None:
    sample = card(Side.FRONT)
    with image_server({"/card.png": sample.data}) as base:
        [result] = client.recognise_urls([f"{base}/card.png"], Side.FRONT)
    assert (result.code, result.message, result.source) == (0, "OK", f"{base}/card.png")
    assert {name: reading.text for name, reading in result.fields.items()} == sample.labels


def test_a_mixed_batch_answers_each_item_and_is_metered(client: Client, service: Service) -> None:
    before = _front_usage(service)
    images = [
        ("good.png", card(Side.FRONT).data),
        ("empty.jpg", b""),
        ("notes.jpg", "这不是图片".encode()),
        ("back.png", card(Side.BACK).data),  # a card, but not the side asked for
    ]
    results = client.recognise_images(images, Side.FRONT)
    assert [(r.source, r.code) for r in results] == [
        ("good.png", 0),
        ("empty.jpg", -1300),
        ("notes.jpg", -1400),
        ("back.png", -5107),
    ]
    good = card(Side.FRONT).labels
    assert {name: reading.text for name, reading in results[0].fields.items()} == good
    assert all(not r.fields for r in results[1:])
    after = _front_usage(service)
    assert after[0] - before[0] == 1
    assert after[1] - before[1] == Counter({"-1300": 1, "-1400": 1, "-5107": 1})


def _front_usage(service: Service) -> tuple[int, Counter[str]]:
    """Front-side images of the service's credential, all months: recognised, failed by code."""
    credential = service.credential
    recognised, failed = 0, Counter[str]()
    for line in usage_report(service.database_url):
        if (line["appid"], line["bucket"], line["side"]) == (
            credential.appid,
            credential.bucket,
            "front",
        ):
            recognised += line["recognised"]
            failed.update(line["failed_by_code"])
    return recognised, failed
