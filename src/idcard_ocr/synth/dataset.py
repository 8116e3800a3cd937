"""A labelled set on disk: numbered images and `labels.jsonl`, one JSON object per image;
cards with their labels, or things that are not cards with their kind."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from idcard_ocr.card.model import Side
from idcard_ocr.synth.negatives import render_negative
from idcard_ocr.synth.sample import Difficulty, Point, Sample, render_sample

LABELS_FILE = "labels.jsonl"


@dataclass(frozen=True)
class LabelRecord:
    """One line of `labels.jsonl`: which file shows what, and where the card is in it."""

    file: str
    side: Side
    difficulty: Difficulty
    labels: dict[str, str]
    quad: tuple[Point, Point, Point, Point]
    rotation: int

    @classmethod
    def of(cls, sample: Sample, file: str) -> LabelRecord:
        return cls(
            file, sample.side, sample.difficulty, sample.labels, sample.quad, sample.rotation
        )

    def to_json(self) -> dict[str, object]:
        """The JSON object; `card_type` is the legacy API's number for the side."""
        return {
            "file": self.file,
            "side": self.side.name.lower(),
            "card_type": int(self.side),
            "difficulty": self.difficulty,
            "labels": self.labels,
            "quad": [[round(x, 2), round(y, 2)] for x, y in self.quad],
            "rotation": self.rotation,
        }


def write_dataset(
    out_dir: Path | str, n: int, difficulty: Difficulty, seed: int
) -> list[LabelRecord]:
    """Render samples 0..n-1 of `seed` into `out_dir` (created if needed) with their labels."""
    records: list[LabelRecord] = []

    def items() -> Iterator[tuple[str, bytes, dict[str, Any]]]:
        for index in range(n):
            sample = render_sample(seed, index, difficulty)
            name = f"{index:05d}_{sample.side.name.lower()}{sample.extension}"
            records.append(LabelRecord.of(sample, name))
            yield name, sample.data, records[-1].to_json()

    _write(Path(out_dir), items())
    return records


def write_negatives(out_dir: Path | str, n: int, kind: str, seed: int) -> list[dict[str, str]]:
    """Render negatives 0..n-1 of `kind` and `seed` into `out_dir` (created if needed), with a
    `labels.jsonl` line {"file", "kind"} per image."""
    records: list[dict[str, str]] = []

    def items() -> Iterator[tuple[str, bytes, dict[str, Any]]]:
        for index in range(n):
            negative = render_negative(kind, seed, index)
            name = f"{index:05d}_{kind}{negative.extension}"
            records.append({"file": name, "kind": kind})
            yield name, negative.data, records[-1]

    _write(Path(out_dir), items())
    return records


def _write(directory: Path, items: Iterator[tuple[str, bytes, dict[str, Any]]]) -> None:
    """Each image as it is rendered, beside a `labels.jsonl` line holding its record."""
    directory.mkdir(parents=True, exist_ok=True)
    with (directory / LABELS_FILE).open("w", encoding="utf-8") as labels:
        for name, data, record in items:
            (directory / name).write_bytes(data)
            labels.write(json.dumps(record, ensure_ascii=False) + "\n")
