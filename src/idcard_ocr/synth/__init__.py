"""Synthetic second-generation ID cards with exact labels, for tests and benchmarks.

Everything is drawn: a consistent identity (`identity`), the card printed by `card.layout`
(`render`), and for the harder sets a photograph of it (`photo`). `render_sample(seed,
index, difficulty)` is deterministic; `write_dataset` writes a numbered set with
`labels.jsonl`.
"""

from __future__ import annotations

from idcard_ocr.synth.dataset import LABELS_FILE, LabelRecord, write_dataset
from idcard_ocr.synth.fonts import FontNotFoundError
from idcard_ocr.synth.identity import Identity, generate_identity
from idcard_ocr.synth.sample import DIFFICULTIES, Difficulty, Sample, labels_for, render_sample

__all__ = [
    "DIFFICULTIES",
    "LABELS_FILE",
    "Difficulty",
    "FontNotFoundError",
    "Identity",
    "LabelRecord",
    "Sample",
    "generate_identity",
    "labels_for",
    "render_sample",
    "write_dataset",
]
