"""`idcard-ocr bench http` end to end at a tiny size: the real engine, server and client."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idcard_ocr.bench import http as http_bench
from idcard_ocr.card.model import Side
from idcard_ocr.cli import main
from idcard_ocr.store.credentials import IssuedCredential
from idcard_ocr.synth import write_dataset


def test_batches_hold_one_side_and_at_most_the_batch_size() -> None:
    cards = [http_bench.Card(f"{i}", Side(i % 2), b"") for i in range(7)]
    found = http_bench.batches(cards, 2)
    assert sorted(i for batch in found for i in batch.indices) == list(range(7))
    for batch in found:
        assert 1 <= len(batch.indices) <= 2
        assert all(cards[i].side is batch.side for i in batch.indices)


def test_batch_beyond_one_request_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["bench", "http", "--batch", "21"])
    assert "at most 20" in capsys.readouterr().err


@pytest.mark.model
def test_bench_http_prints_and_writes_both_paths(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    records = write_dataset(tmp_path / "cards", 4, "photo", 2026)
    issued: list[IssuedCredential] = []
    issue = http_bench.issue

    def keep(url: str) -> IssuedCredential:
        issued.append(issue(url))
        return issued[-1]

    monkeypatch.setattr(http_bench, "issue", keep)
    out = tmp_path / "http.json"
    argv = ["bench", "http", "--data", str(tmp_path / "cards"), "--batch", "2", "--repeat", "1"]
    argv += ["--concurrency", "2", "--threads", "2", "--engine-threads", "1", "--json", str(out)]
    assert main(argv) == 0

    report = json.loads(out.read_text(encoding="utf-8"))
    median = report["median"]
    assert (report["cards"], report["front"], report["back"]) == (4, 2, 2)
    assert median["mismatches"] == 0
    for path in ("http", "in_process"):
        figures = median[path]
        assert figures["images"] == 4
        assert figures["images_per_s"] > 0
        assert 0 < figures["request_p50_ms"] <= figures["request_p99_ms"]
        assert 0 < figures["image_p50_ms"] <= figures["image_p99_ms"]
        assert figures["cpu_ms_per_image"] > 0
    assert median["http"]["not_ok"] == median["in_process"]["not_ok"]
    assert median["overhead"] < 1

    printed = capsys.readouterr()
    text = printed.out + printed.err
    rows = ("images/s", "request p99 (ms)", "CPU per image (ms)", "HTTP overhead (images/s)")
    for row in (*rows, "mismatches HTTP vs in process"):
        assert row in text
    # Nothing personal or secret is printed: no field value, no key.
    assert issued and issued[0].secret_key not in text and issued[0].secret_id not in text
    values = {value for record in records for value in record.labels.values() if len(value) > 1}
    assert not [value for value in values if value in text]
