"""The Python client against a real server: signing, batches of 20, typed results, retry of 15."""

from __future__ import annotations

from pathlib import Path

import pytest

from idcard_ocr.card.model import Side
from idcard_ocr.client import FieldReading, ItemResult, RetryPolicy, error_for
from idcard_ocr.errors import BucketNotFound, RateLimited, SecretIdNotFound
from idcard_ocr.store.credentials import CredentialStore, IssuedCredential
from idcard_ocr.store.database import Database
from serve_process import client as client_of


def test_files_come_back_typed_and_named(
    server: str, credential: IssuedCredential, tmp_path: Path
) -> None:
    path = tmp_path / "正面.jpg"
    path.write_bytes(b"abc")
    with client_of(server, credential) as client:
        [result] = client.recognise_files([path], Side.FRONT)
    assert result == ItemResult(
        0,
        "success",
        "正面.jpg",
        {name: FieldReading(f"{name}:3", (90,)) for name in Side.FRONT.fields},
    )
    assert result.ok


def test_more_than_20_images_are_sent_in_batches_in_order(
    server: str, credential: IssuedCredential
) -> None:
    images: list[bytes | tuple[str, bytes]] = [(f"{i}.jpg", b"x" * (i + 1)) for i in range(45)]
    images[30] = b"NOTCARD"
    with client_of(server, credential) as client:
        results = client.recognise_images(images, Side.BACK)
    assert [r.source for r in results[:3]] == ["0.jpg", "1.jpg", "2.jpg"]
    assert len(results) == 45
    assert results[30].code == -5107 and results[30].source == "" and not results[30].fields
    assert results[44].fields["authority"].text == "authority:45"


def test_urls_report_item_errors(server: str, credential: IssuedCredential) -> None:
    with client_of(server, credential) as client:
        results = client.recognise_urls(["", "ftp://images.test/a.jpg", "http://127.0.0.1/a"])
    assert [(r.code, r.source) for r in results] == [
        (17, ""),
        (-1505, "ftp://images.test/a.jpg"),
        (-1507, "http://127.0.0.1/a"),
    ]


def test_request_errors_raise_their_class(server: str, credential: IssuedCredential) -> None:
    wrong = IssuedCredential(credential.appid, credential.bucket, "AKIDnone", "x")
    with client_of(server, wrong) as client, pytest.raises(SecretIdNotFound):
        client.recognise_images([b"a"])
    other_bucket = IssuedCredential(
        credential.appid, "nobucket", credential.secret_id, credential.secret_key
    )
    with client_of(server, other_bucket) as client, pytest.raises(BucketNotFound):
        client.recognise_images([b"a"])


def test_rate_limited_requests_are_retried_then_raised(
    server: str, credential: IssuedCredential, database_url: str
) -> None:
    CredentialStore(Database.open(database_url), 1).set_qps(credential.appid, 1)
    patient = RetryPolicy(max_retries=8, base_seconds=0.6, cap_seconds=1.2)
    with client_of(server, credential, retry=patient) as client:
        first = client.recognise_images([b"a"] * 20 + [b"b"])  # two requests, the second retried
    assert len(first) == 21
    never = RetryPolicy(max_retries=0)
    with client_of(server, credential, retry=never) as client, pytest.raises(RateLimited):
        client.recognise_images([b"a"])


def test_codes_map_to_the_spec_error_classes() -> None:
    assert isinstance(error_for(15, "slow down"), RateLimited)
    assert error_for(15, "slow down").message == "slow down"
    assert error_for(12345, "odd").code == 200
