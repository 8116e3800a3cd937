"""A labelled set of card images on disk: `labels.jsonl` beside the images.

Two label formats load: the one `idcard-ocr synth` writes (`{"file", "card_type", "labels",
"difficulty", "rotation", ...}`) and the one of photos labelled by hand, as in
`shared/real-dev` (`{"file", "card_type", "fields"}`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from idcard_ocr.card.model import Side
from idcard_ocr.synth.dataset import LABELS_FILE

VALUE_KEYS = ("labels", "fields")  # where each format keeps the printed values


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
    """Every labelled image of a set: rendered by `idcard-ocr synth` or labelled by hand."""
    return list(_iter(directory))


def _iter(directory: Path) -> Iterator[LabelledImage]:
    path = directory / LABELS_FILE
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if line.strip():
                yield _record(directory, json.loads(line), f"{path}:{number}")


def _record(directory: Path, item: dict[str, Any], where: str) -> LabelledImage:
    values = next((item[key] for key in VALUE_KEYS if key in item), None)
    if not isinstance(values, dict) or "file" not in item or "card_type" not in item:
        raise ValueError(f"{where}: needs file, card_type and labels (or fields)")
    return LabelledImage(
        path=directory / str(item["file"]),
        side=Side(int(item["card_type"])),
        labels={str(k): str(v) for k, v in values.items()},
        rotation=int(item.get("rotation", 0)),
        difficulty=str(item.get("difficulty", "")),
    )
