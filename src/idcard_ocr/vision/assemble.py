"""From recognised crops to the side's interpretation: each field's characters gathered from
its crops, in reading order, for the domain to clean, cross-check and correct (card.interpret)."""

from __future__ import annotations

from collections.abc import Sequence

from idcard_ocr.card.front import wrapped_address
from idcard_ocr.card.interpret import Interpretation, Simplify, interpret
from idcard_ocr.card.model import Side
from idcard_ocr.card.reading import ReadChar
from idcard_ocr.ocr import CharReading, LineReading
from idcard_ocr.vision.fields import Crop


def assemble(
    side: Side, crops: Sequence[Crop], readings: Sequence[LineReading], simplify: Simplify
) -> Interpretation:
    """The side read from its crops: each field's characters in crop order, an address's
    joined line by line (`card.front.wrapped_address`)."""
    lines: dict[str, list[list[CharReading]]] = {}
    last: dict[str, Crop] = {}
    for crop, reading in zip(crops, readings, strict=True):
        rows = lines.setdefault(crop.field, [])
        if crop.field in last and _same_row(last[crop.field], crop):
            rows[-1].extend(reading.chars)  # a row the detector boxed in pieces
        else:
            rows.append(list(reading.chars))
        last[crop.field] = crop
    by_field: dict[str, Sequence[ReadChar]] = {
        field: [c for row in rows for c in row] for field, rows in lines.items()
    }
    if "address" in lines:
        by_field["address"] = wrapped_address(lines["address"])
    return interpret(side, by_field, simplify)


def _same_row(a: Crop, b: Crop) -> bool:
    """Whether two crops cut from one printed row (centres within half a row's height)."""
    height = max(a.y1 - a.y0, b.y1 - b.y0)
    return abs((a.y0 + a.y1) - (b.y0 + b.y1)) / 2 < height / 2
