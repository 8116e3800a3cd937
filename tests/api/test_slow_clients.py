"""Slow, silent, vanishing and unsigned uploads on a real server over loopback.

A request's signature is checked, key and HMAC included, before its body is read; only a signed
request takes an in-flight slot, and it loses the slot when its body does not arrive in time or
its client goes away. Nothing such a client sent is kept.
"""

from __future__ import annotations

import itertools
import logging
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fake_reader import FRONT_IMAGE, FakeReader
from fastapi import FastAPI
from signing import APPID, BUCKET, Signer
from upload import Upload, wait_until

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


# What a signed client sends every 0.1 s of a 10 kB body, and when it must have lost its slot
# under a 0.3 s grace period, a minimum of 1000 B/s and a 1 s timeout (counted from the last
# client's start, a few ms after the first one's).
PACES = {
    "silent past the grace period": (b"", (0.25, 0.9)),
    "100 B/s, under the minimum": (b"x" * 10, (0.25, 0.9)),
    "2000 B/s, but 10 kB takes 5 s": (b"x" * 200, (0.9, 1.6)),
}


def test_signed_clients_too_slow_lose_their_slots(settings: Settings, signer: Signer) -> None:
    paced = settings.model_copy(
        update={
            "max_requests_in_flight": len(PACES),
            "body_read_grace_seconds": 0.3,
            "body_min_bytes_per_second": 1000,
            "body_read_timeout_seconds": 1.0,
        }
    )
    stop = threading.Event()
    with serving(paced) as (base, endpoint):
        uploads = {
            case: Upload(base, signer.header(), 10_000, expect_continue=True) for case in PACES
        }
        started = time.monotonic()
        try:
            for case, (step, _) in PACES.items():
                if step:
                    uploads[case].trickle(step, every=0.1, stop=stop)
            wait_until(lambda: endpoint.requests_in_flight == len(PACES))
            assert recognise(base, signer)["code"] == 15  # the slow clients hold every slot
            for case, (_, (earliest, latest)) in PACES.items():  # in the order they are late
                headers, answer = uploads[case].answer()
                took = time.monotonic() - started
                assert answer == {"code": 3, "message": "request body not received in time"}, case
                assert uploads[case].continued, case  # a signed request is asked for its body
                assert earliest <= took < latest, (case, took)
                assert headers["connection"] == "close", case
                assert uploads[case].hung_up(), case
        finally:
            stop.set()
            for upload in uploads.values():
                upload.close()
        assert endpoint.requests_in_flight == 0
        assert_recognised(recognise(base, signer))


def test_client_gone_mid_upload_leaves_nothing_behind(
    settings: Settings,
    signer: Signer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    single = settings.model_copy(update={"max_requests_in_flight": 1})
    with serving(single) as (base, endpoint):
        assert_recognised(recognise(base, signer))  # warm: the first request's allocations
        half = b"x" * (8 * MEBIBYTE)
        tracemalloc.start()  # from here on, what the server holds (the client's copies are gone)
        try:
            before, _ = tracemalloc.get_traced_memory()
            upload = Upload(base, signer.header(), length=16 * MEBIBYTE)
            upload.send(half)
            # The server has buffered what was sent before the client goes.
            wait_until(lambda: tracemalloc.get_traced_memory()[0] - before > 7 * MEBIBYTE)
            upload.close()
            wait_until(lambda: endpoint.requests_in_flight == 0, timeout=1)
            after, _ = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert after - before < MEBIBYTE
        assert list(spool.iterdir()) == []
        # A client going away is no failure of the server's.
        assert [r.message for r in caplog.records if r.levelno >= logging.ERROR] == []
        assert_recognised(recognise(base, signer))


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
