"""Unsigned uploads, slow or not, on a real server over loopback.

A request's signature is checked, key and HMAC included, before its body is read, and only a
signed request takes an in-flight slot: anyone else is answered at once and let go.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fake_reader import FRONT_IMAGE, FakeReader
from fastapi import FastAPI
from signing import APPID, BUCKET, Signer
from upload import Upload

from idcard_ocr.api.app import create_app
from idcard_ocr.api.endpoint import IdCardEndpoint
from idcard_ocr.api.server import running
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database

MEBIBYTE = 1_048_576


@contextmanager
def serving(settings: Settings) -> Iterator[tuple[str, IdCardEndpoint]]:
    app: FastAPI = create_app(settings, reader=FakeReader())
    with running(app) as base:
        yield base, app.state.endpoint


def recognise(base: str, signer: Signer) -> dict[str, Any]:
    """A whole, signed request of one image, sent at once."""
    files = [
        ("appid", (None, APPID)),
        ("bucket", (None, BUCKET)),
        ("image", ("a.jpg", FRONT_IMAGE)),
    ]
    with httpx.Client(base_url=base, trust_env=False, timeout=5) as http:
        answer: dict[str, Any] = http.post(
            "/ocr/idcard", headers={"Authorization": signer.header()}, files=files
        ).json()
    return answer


def assert_recognised(answer: dict[str, Any]) -> None:
    assert [item["code"] for item in answer["result_list"]] == [0], answer


@pytest.fixture
def other_app(database_url: str) -> Signer:
    """A key of another app, registered in the same store."""
    database = Database.open(database_url)
    try:
        return Signer(CredentialStore(database, default_qps=1000).create("1250000001", "b"))
    finally:
        database.close()


def _bad_headers(signer: Signer, other_app: Signer) -> dict[str, tuple[str, int]]:
    """Headers well-formed but not signed by a key of their app, and the code each answers."""
    theirs = other_app.credential
    return {
        "bad HMAC": (signer.header(secret_key="not the key"), 5),
        "unknown appid": (signer.header(a="999"), 10),
        "unknown SecretID": (signer.header(k="AKIDunknown"), 11),
        "key of another app": (signer.header(k=theirs.secret_id, secret_key=theirs.secret_key), 12),
    }


def test_unsigned_request_is_answered_before_its_body_is_sent(
    settings: Settings, signer: Signer, other_app: Signer
) -> None:
    bad = _bad_headers(signer, other_app).items()
    with serving(settings) as (base, endpoint):
        for (case, (header, code)), expect in itertools.product(bad, (False, True)):
            # Declared over the body cap too: who calls is settled before anything about the body.
            upload = Upload(base, header, 100 * MEBIBYTE, expect_continue=expect)
            try:
                headers, answer = upload.answer(timeout=2)
                assert answer["code"] == code, case
                assert not upload.continued, case  # not even asked to send it
                assert headers["connection"] == "close", case
                assert upload.hung_up(), case
            finally:
                upload.close()
        assert endpoint.requests_in_flight == 0


def test_32_slow_unsigned_clients_hold_no_slot(
    settings: Settings, signer: Signer, other_app: Signer
) -> None:
    assert settings.max_requests_in_flight == 32
    bad = list(_bad_headers(signer, other_app).values())
    stop = threading.Event()
    with serving(settings) as (base, endpoint):
        uploads = [(Upload(base, bad[i % 4][0], length=MEBIBYTE), bad[i % 4][1]) for i in range(32)]
        try:
            for upload, _ in uploads:
                upload.send(b'{"appid"')
                upload.trickle(b" ", every=0.05, stop=stop)
            started = time.monotonic()
            assert_recognised(recognise(base, signer))
            assert time.monotonic() - started < 2.0
            for upload, code in uploads:
                assert upload.answer(timeout=2)[1]["code"] == code
                assert upload.hung_up()
        finally:
            stop.set()
            for upload, _ in uploads:
                upload.close()
        assert endpoint.requests_in_flight == 0


def test_answers_after_a_whole_body_keep_the_connection(settings: Settings, signer: Signer) -> None:
    body = b'{"appid": "%s", "bucket": "%s", "card_type": 7, "url_list": ["x"]}' % (
        APPID.encode(),
        BUCKET.encode(),
    )
    with serving(settings) as (base, _):
        upload = Upload(base, signer.header(), length=len(body))
        try:
            upload.send(body)
            headers, answer = upload.answer()
            assert answer["code"] == 21
            assert "connection" not in headers
            assert not upload.hung_up(timeout=0.2)
        finally:
            upload.close()
