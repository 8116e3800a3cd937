"""`write_dataset` and `idcard-ocr synth`: N images and one labels.jsonl line per image."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from idcard_ocr.cli import main
from idcard_ocr.cli.synth import DIFFICULTIES as CLI_DIFFICULTIES
from idcard_ocr.synth import DIFFICULTIES, LABELS_FILE, render_sample, write_dataset
from idcard_ocr.synth.sample import MAX_BYTES


def test_cli_writes_n_images_and_their_labels(tmp_path: Path) -> None:
    out = tmp_path / "set"
    assert (
        main(["synth", "--out", str(out), "--n", "5", "--difficulty", "photo", "--seed", "3"]) == 0
    )
    images = sorted(p.name for p in out.iterdir() if p.name != LABELS_FILE)
    assert images == [
        "00000_front.jpg",
        "00001_back.jpg",
        "00002_front.jpg",
        "00003_back.jpg",
        "00004_front.jpg",
    ]
    lines = (out / LABELS_FILE).read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["file"] for r in records] == images
    for index, record in enumerate(records):
        assert set(record) == {
            "file",
            "side",
            "card_type",
            "difficulty",
            "labels",
            "quad",
            "rotation",
        }
        assert (record["side"], record["card_type"]) in {("front", 0), ("back", 1)}
        assert record["difficulty"] == "photo"
        assert len(record["quad"]) == 4 and all(len(p) == 2 for p in record["quad"])
        assert (out / record["file"]).stat().st_size <= MAX_BYTES
        assert record["labels"] == render_sample(3, index, "photo").labels


def test_dataset_is_reproducible(tmp_path: Path) -> None:
    write_dataset(tmp_path / "a", 3, "hard", 9)
    write_dataset(tmp_path / "b", 3, "hard", 9)
    for name in ("00000_front.jpg", "00002_front.jpg", LABELS_FILE):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_clean_sets_are_png(tmp_path: Path) -> None:
    records = write_dataset(tmp_path, 2, "clean", 1)
    assert [r.file for r in records] == ["00000_front.png", "00001_back.png"]


def test_cli_offers_the_renderers_difficulties() -> None:
    assert CLI_DIFFICULTIES == DIFFICULTIES


def test_cli_refuses_an_unknown_difficulty(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        main(["synth", "--out", str(tmp_path), "--difficulty", "blurry"])
