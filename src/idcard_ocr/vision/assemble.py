"""From recognised crops to the side's interpretation: each field's characters gathered from
its crops, in reading order, for the domain to clean, cross-check and correct (card.interpret)."""

from __future__ import annotations

from collections.abc import Sequence

from idcard_ocr.card.interpret import Interpretation, Simplify, interpret
from idcard_ocr.card.model import Side
from idcard_ocr.ocr import CharReading, LineReading
from idcard_ocr.vision.fields import Crop


def assemble(
    side: Side, crops: Sequence[Crop], readings: Sequence[LineReading], simplify: Simplify
) -> Interpretation:
    """The side read from its crops (an address's lines are concatenated in crop order)."""
    by_field: dict[str, list[CharReading]] = {}
    for crop, reading in zip(crops, readings, strict=True):
        by_field.setdefault(crop.field, []).extend(reading.chars)
    return interpret(side, by_field, simplify)
