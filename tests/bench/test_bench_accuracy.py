"""`idcard-ocr bench accuracy` end to end on a few rendered cards, with the real model.

Only that it measures and reports is asserted here: figures, not speed (no timed tests).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idcard_ocr.cli import main

pytestmark = pytest.mark.model


def test_prints_and_writes_the_figures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "figures.json"

    code = main(
        [
            "bench",
            "accuracy",
            "--n",
            "3",
            "--difficulty",
            "clean",
            "--seed",
            "5",
            "--baseline-n",
            "0",
            "--repeat",
            "2",
            "--no-progress",
            "--json",
            str(out),
        ]
    )

    assert code == 0
    printed = capsys.readouterr().out
    assert "clean: 3 cards" in printed
    assert "field exact match" in printed and "engine peak RSS" in printed
    report = json.loads(out.read_text(encoding="utf-8"))["clean"]
    assert report["ours"]["cards"] == 3
    assert report["repeat"] == 2
    assert report["ours"]["field_exact"] == 1.0  # clean cards read right
    assert report["unstable_cards"] == 0
    assert 0 < report["ours"]["latency_ms"]["p50"] <= report["ours"]["latency_ms"]["p90"]
    # The engine's own process: models and one card, far from the renderer's footprint.
    assert 100 < report["peak_rss_mb"] < 1000
    assert report["model_load_s"] > 0
