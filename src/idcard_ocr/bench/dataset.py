"""A labelled set of card images on disk: `labels.jsonl` beside the images."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from idcard_ocr.card.model import Side


@dataclass(frozen=True)
class LabelledImage:
    path: Path
    side: Side
    labels: dict[str, str]
    rotation: int
    difficulty: str

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()


def load(directory: Path) -> list[LabelledImage]:
    """Every labelled image of a set written by `idcard-ocr synth`."""
    return list(_iter(directory))


def _iter(directory: Path) -> Iterator[LabelledImage]:
    with (directory / "labels.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            item = json.loads(line)
            yield LabelledImage(
                path=directory / item["file"],
                side=Side(int(item["card_type"])),
                labels={k: str(v) for k, v in item["labels"].items()},
                rotation=int(item.get("rotation", 0)),
                difficulty=str(item.get("difficulty", "")),
            )
