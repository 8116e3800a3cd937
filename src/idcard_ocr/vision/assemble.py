"""From recognised crops to the side's interpretation: each field's characters gathered from
its crops, in reading order, for the domain to clean, cross-check and correct (card.interpret)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from idcard_ocr.card.front import wrapped_address
from idcard_ocr.card.interpret import Interpretation, Simplify, interpret
from idcard_ocr.card.layout import VALUE_SIZE_MM
from idcard_ocr.card.model import Side
from idcard_ocr.card.reading import ReadChar
from idcard_ocr.ocr import CharReading, LineReading
from idcard_ocr.vision.fields import Crop

# An address's lines after the first are printed from the column its first line starts at.
# A character read with its centre further left than this many mm is not the address but a
# mark in the label column that the line's box took in: the 样证 stamp of specimen cards
# sits there, beside or below the last line (a real photo, read at half its size, gave
# `…302室祥证` and `…3单元样证502室`). Half-width digits are centred 0.85 mm into the column,
# ideographs 1.6 mm: a character of the line starts within about a millimetre of the column
# even on a card flattened a little askew.
LEFT_OF_COLUMN_MM = 0.6 * VALUE_SIZE_MM


def assemble(
    side: Side, crops: Sequence[Crop], readings: Sequence[LineReading], simplify: Simplify
) -> Interpretation:
    """The side read from its crops: each field's characters in crop order, an address's
    joined line by line (`card.front.wrapped_address`)."""
    lines: dict[str, list[list[CharReading]]] = {}
    last: dict[str, Crop] = {}
    column: float | None = None  # where the address's first line starts, mm
    for crop, reading in zip(crops, readings, strict=True):
        rows = lines.setdefault(crop.field, [])
        chars = list(reading.chars)
        if crop.field == "address":
            if column is None:
                column = _column(crop, reading)
            else:
                chars = [c for c in chars if crop.at(c.x) >= column - LEFT_OF_COLUMN_MM]
        if crop.field in last and _same_row(last[crop.field], crop):
            rows[-1].extend(chars)  # a row the detector boxed in pieces
        else:
            rows.append(chars)
        last[crop.field] = crop
    by_field: dict[str, Sequence[ReadChar]] = {
        field: [c for row in rows for c in row] for field, rows in lines.items()
    }
    if "address" in lines:
        by_field["address"] = wrapped_address([row for row in lines["address"] if row])
    return interpret(side, by_field, simplify)


def _column(first: Crop, reading: LineReading) -> float:
    """Where an address's lines start (mm): its first line's first character's centre, or
    the value column the crop was cut for if that is further left (a first character the
    crop cut or the recogniser missed must not move the column right)."""
    centres = (first.at(c.x) for c in reading.chars)
    value = next((x for x in centres if x >= first.value_x), math.inf)
    return min(first.value_x + VALUE_SIZE_MM / 2, value)


def _same_row(a: Crop, b: Crop) -> bool:
    """Whether two crops cut from one printed row (centres within half a row's height)."""
    height = max(a.y1 - a.y0, b.y1 - b.y0)
    return abs((a.y0 + a.y1) - (b.y0 + b.y1)) / 2 < height / 2
