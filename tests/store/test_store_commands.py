"""The operator's commands work on the same DATABASE_URL the server uses."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from idcard_ocr.cli import main
from idcard_ocr.store.blocklist import Blocklist
from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database
from idcard_ocr.store.usage import UsageLedger


@pytest.fixture(autouse=True)
def _store_url(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("IDCARD_OCR_DATABASE_URL", database_url)


def test_credentials_create_list_disable(
    capsys: pytest.CaptureFixture[str], database_url: str
) -> None:
    assert (
        main(["credentials", "create", "--appid", "1250000000", "--bucket", "photos", "--qps", "5"])
        == 0
    )
    issued = json.loads(capsys.readouterr().out)
    assert set(issued) == {"appid", "bucket", "secret_id", "secret_key"}
    access = CredentialStore(Database.open(database_url), 1).access(
        "1250000000", issued["secret_id"], "photos"
    )
    assert access.app_qps == 5 and access.secret_key == issued["secret_key"]

    assert main(["credentials", "list", "--json"]) == 0
    listed = capsys.readouterr().out
    assert issued["secret_id"] in listed and issued["secret_key"] not in listed

    assert main(["credentials", "disable", issued["secret_id"]]) == 0
    assert main(["credentials", "disable", "AKIDnone"]) == 1


def test_bucket_add_and_list(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit, match="error 10"):
        main(["bucket", "add", "--appid", "1250000000", "scans"])
    main(["credentials", "create", "--appid", "1250000000", "--bucket", "photos"])
    assert main(["bucket", "add", "--appid", "1250000000", "scans"]) == 0
    capsys.readouterr()
    assert main(["bucket", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"appid": "1250000000", "bucket": "photos"},
        {"appid": "1250000000", "bucket": "scans"},
    ]


def test_block_by_digest_or_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, database_url: str
) -> None:
    image = tmp_path / "bad.jpg"
    image.write_bytes(b"bad image")
    digest = hashlib.sha256(b"bad image").hexdigest()
    assert main(["block", "add", "--file", str(image)]) == 0
    assert Blocklist(Database.open(database_url)).digests() == [digest]
    capsys.readouterr()
    assert main(["block", "list"]) == 0
    assert capsys.readouterr().out.split() == [digest]
    assert main(["block", "remove", digest]) == 0
    assert main(["block", "remove", digest]) == 1
    with pytest.raises(SystemExit):
        main(["block", "add", "not-a-digest"])


def test_usage_report(capsys: pytest.CaptureFixture[str], database_url: str) -> None:
    database = Database.open(database_url)
    CredentialStore(database, 1).create("1250000000", "photos")
    UsageLedger(database).record(
        "1250000000", "photos", 1, [0, 0, -1400], datetime(2026, 3, 2, tzinfo=UTC)
    )
    assert main(["usage", "--month", "2026-03", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "month": "2026-03",
            "appid": "1250000000",
            "bucket": "photos",
            "side": "back",
            "recognised": 2,
            "failed": 1,
            "failed_by_code": {"-1400": 1},
        }
    ]
    assert main(["usage"]) == 0
    assert "1250000000" in capsys.readouterr().out
