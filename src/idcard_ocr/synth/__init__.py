"""Synthetic second-generation ID cards with exact labels, for tests and benchmarks.

Everything is drawn: a consistent identity (`identity`), how its card is printed and
photographed (`variant`: a per-card `geometry`, stamps, a second script, photo `effects`),
the card (`render`), and for the harder sets a photograph of it (`photo`). Things that are
not ID cards, for the refusal benchmark, are in `negatives`. `render_sample(seed, index,
difficulty)` is deterministic; `write_dataset` writes a numbered set with `labels.jsonl`.
"""

from __future__ import annotations

from idcard_ocr.synth.dataset import LABELS_FILE, LabelRecord, write_dataset, write_negatives
from idcard_ocr.synth.fonts import FontNotFoundError
from idcard_ocr.synth.identity import Identity, generate_identity
from idcard_ocr.synth.negatives import NEGATIVE_KINDS, Negative, render_negative
from idcard_ocr.synth.sample import (
    DIFFICULTIES,
    Difficulty,
    Sample,
    labels_for,
    render_sample,
    variant_for,
)
from idcard_ocr.synth.variant import Variant

__all__ = [
    "DIFFICULTIES",
    "LABELS_FILE",
    "NEGATIVE_KINDS",
    "Difficulty",
    "FontNotFoundError",
    "Identity",
    "LabelRecord",
    "Negative",
    "Sample",
    "Variant",
    "generate_identity",
    "labels_for",
    "render_negative",
    "render_sample",
    "variant_for",
    "write_dataset",
    "write_negatives",
]
