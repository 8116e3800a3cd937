"""`idcard-ocr bench accuracy` end to end on a few rendered cards, with the real model.

Only that it measures and reports is asserted here: figures, not speed (no timed tests).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from idcard_ocr.bench.variations import VARIATIONS
from idcard_ocr.card.model import BACK_FIELDS, FRONT_FIELDS
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


def test_dir_reads_a_given_set_and_renders_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports, printed = _bench_given(tmp_path, capsys, 2)

    assert "tiny: 2 cards" in printed and "silent errors (% of fields)" in printed
    assert list(reports) == ["tiny"]  # the given set only: nothing rendered
    ours = reports["tiny"]["ours"]
    assert ours["cards"] == 2 and set(ours["fields"]) == {*FRONT_FIELDS, *BACK_FIELDS}
    assert ours["field_exact"] == 1.0  # clean cards read right...
    assert ours["silent_errors"] == 0 and ours["silent_error_share"] == 0.0  # ...so none silent
    assert ours["false_alarm_share"] == ours["false_alarms"] / 8  # of the 8 right fields
    assert ours["fields"]["name"]["silent_errors"] == 0


def test_variations_read_each_given_photo_as_counters_vary_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reports, printed = _bench_given(tmp_path, capsys, 1, "--variations")

    assert "tiny: 1 cards" in printed and f"tiny varied: {len(VARIATIONS)} cards" in printed
    assert list(reports) == ["tiny", "tiny varied"]
    assert reports["tiny varied"]["ours"]["cards"] == len(VARIATIONS)


def _bench_given(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], n: int, *options: str
) -> tuple[dict[str, Any], str]:
    """`bench accuracy --dir` over n rendered clean cards: the JSON and what it printed."""
    cards = tmp_path / "tiny"
    assert main(["synth", "--out", str(cards), "--n", str(n), "--seed", "11"]) == 0
    out = tmp_path / "figures.json"
    given = ["--dir", str(cards), *options, "--repeat", "1", "--baseline-n", "0"]
    code = main(["bench", "accuracy", *given, "--no-progress", "--json", str(out)])
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8")), capsys.readouterr().out


def test_variations_need_a_given_set(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "accuracy", "--variations", "--no-progress"]) == 2
    assert "--variations needs --dir" in capsys.readouterr().err
