"""`idcard-ocr bench load` end to end at a tiny size: `idcard-ocr serve` with the real model,
clients with retries, files and URLs; the report's shape and that its counts add up."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idcard_ocr.bench import load
from idcard_ocr.card.model import Side
from idcard_ocr.cli import main

PHASES = ("baseline", "load", "baseline_after")


def test_batches_alternate_sides_and_kinds_and_go_round() -> None:
    cards = load.Cards(
        files={Side.FRONT: ["/f0", "/f1"], Side.BACK: ["/b0"]},
        urls={Side.FRONT: ["http://i/f0", "http://i/f1"], Side.BACK: ["http://i/b0"]},
    )
    batches = [cards.batch(turn, 3) for turn in range(4)]
    assert [(b.side, b.by_url) for b in batches] == [
        (Side.FRONT, False),
        (Side.BACK, False),
        (Side.FRONT, True),
        (Side.BACK, True),
    ]
    assert batches[0].sources == ["/f0", "/f1", "/f0"]
    assert batches[2].sources == ["http://i/f1", "http://i/f0", "http://i/f1"]
    assert batches[3].sources == ["http://i/b0"] * 3


@pytest.mark.model
def test_a_tiny_load_run_reports_every_item(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "load.json"
    argv = ["bench", "load", "--clients", "2", "--batch", "2", "--seconds", "5"]
    argv += ["--baseline-seconds", "2", "--cards", "4", "--no-progress", "--json", str(out)]
    assert main(argv) == 0

    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["plan"]["clients"] == 2 and report["plan"]["batch"] == 2
    for name in PHASES:
        phase = report[name]
        assert phase["requests"] >= 1
        assert phase["items_requested"] == 2 * phase["requests"]
        assert phase["items_answered"] + phase["lost_items"] == phase["items_requested"]
        assert sum(phase["item_codes"].values()) == phase["items_answered"]
        answers = sum(phase["http_statuses"].values())
        assert answers == phase["requests"] + phase["refusals"]  # one answer per try
        assert phase["refused_then_answered"] <= phase["refused_requests"] <= phase["requests"]
        assert 0 < phase["latency_p50_ms"] <= phase["latency_p99_ms"]
        assert phase["images_per_s"] > 0
        assert phase["server_cpu_ms_per_image"] > 0 and "pool_busy_share" in phase
    assert report["load"]["clients"] == 2
    assert report["load"]["lost_items"] == 0 and report["load"]["non_200_answers"] == 0
    rss = report["server"]["rss_mb"]
    assert min(rss.values()) > 0
    assert report["server"]["admission_refusals_total"] == report["load"]["refusals"] + sum(
        report[name]["refusals"] for name in ("baseline", "baseline_after")
    )
    assert report["throughput_ratio"] > 0
    printed = capsys.readouterr().out
    assert "lost items" in printed and "server RSS" in printed
