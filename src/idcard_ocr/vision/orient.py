"""Which side of the card this is and which way up, from where its text lines sit.

A rectified card is either upright or turned by 180°; each of the four (side, turn) hypotheses
predicts text in some places and none in others (the portrait, the emblem). The hypotheses are
ranked by how well the detected lines fill the first and avoid the second; the reader then
confirms the best one by reading it.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from idcard_ocr.card import layout as L
from idcard_ocr.card.layout import Box
from idcard_ocr.card.model import Side
from idcard_ocr.vision.lines import Line, group_rows

RASTER_PX_PER_MM = 2
# Where a front shows no text line: its portrait, less the margin a long address row may
# run into it. A row reaching this far into it is a document's text, not a card's.
PORTRAIT_TEXT = Box(L.PORTRAIT.x0 + 3, L.PORTRAIT.y0, L.PORTRAIT.x1, L.PORTRAIT.y1)
CROSSING_MM = 4.0


def _row(x0: float, x1: float, y: float, half: float = 1.4) -> Box:
    return Box(x0, y - half, x1, y + half)


FRONT_TEXT = (
    _row(L.LABEL_X_MM, L.LABEL_X_MM + 5, L.NAME_Y_MM),
    _row(L.VALUE_X_MM, L.VALUE_X_MM + 5, L.NAME_Y_MM),
    _row(L.LABEL_X_MM, L.LABEL_X_MM + 5, L.SEX_Y_MM),
    _row(L.VALUE_X_MM, L.VALUE_X_MM + 3, L.SEX_Y_MM),
    _row(L.LABEL_X_MM, L.LABEL_X_MM + 5, L.BIRTH_Y_MM),
    _row(L.BIRTH_YEAR_X_MM, L.BIRTH_YEAR_X_MM + 7, L.BIRTH_Y_MM),
    _row(L.LABEL_X_MM, L.LABEL_X_MM + 5, L.ADDRESS_Y_MM[0]),
    _row(L.VALUE_X_MM, L.VALUE_X_MM + 10, L.ADDRESS_Y_MM[0]),
    _row(L.NUMBER_X_MM, L.NUMBER_RIGHT_MM, L.NUMBER_Y_MM, 1.6),
    _row(L.NUMBER_X_MM, L.NUMBER_RIGHT_MM, L.NUMBER_Y_MM, 1.6),
)
FRONT_EMPTY = (Box(L.PORTRAIT.x0 + 3, L.PORTRAIT.y0 + 3, L.PORTRAIT.x1 - 3, L.PORTRAIT.y1 - 5),)
BACK_TEXT = (
    L.TITLE_COUNTRY,
    L.TITLE_CARD,
    L.TITLE_CARD,
    _row(L.BACK_LABEL_X_MM, L.BACK_LABEL_X_MM + 10, L.AUTHORITY_Y_MM),
    _row(L.BACK_VALUE_X_MM, L.BACK_VALUE_X_MM + 12, L.AUTHORITY_Y_MM),
    _row(L.BACK_LABEL_X_MM, L.BACK_LABEL_X_MM + 10, L.VALIDITY_Y_MM),
    _row(L.BACK_VALUE_X_MM, L.BACK_VALUE_X_MM + 20, L.VALIDITY_Y_MM),
)
BACK_EMPTY = (
    Box(L.EMBLEM.x0 + 2, L.EMBLEM.y0 + 2, L.EMBLEM.x1 - 2, L.EMBLEM.y1 - 2),
    Box(8.0, 28.0, 78.0, 36.0),
)


@dataclass(frozen=True)
class Hypothesis:
    side: Side
    turned: bool  # the rectified card is upside down
    score: float


def rank(lines: list[Line]) -> list[Hypothesis]:
    """The four (side, turn) hypotheses, most likely first."""
    upright, upside_down = _raster(lines), _raster([line.turned() for line in lines])
    ranked = [
        Hypothesis(side, turned, _fit(raster, side))
        for side in Side
        for turned, raster in ((False, upright), (True, upside_down))
    ]
    return sorted(ranked, key=lambda h: -h.score)


def _raster(lines: list[Line]) -> np.ndarray:
    """The summed-area table of the mask of where the lines' ink is."""
    k = RASTER_PX_PER_MM
    mask = np.zeros((round(L.CARD_HEIGHT_MM * k), round(L.CARD_WIDTH_MM * k)), np.uint8)
    for line in lines:
        # Shrink each box to its core: detector boxes are padded around the ink.
        pad = 0.2 * line.height
        y0, y1 = round((line.y0 + pad) * k), round((line.y1 - pad) * k)
        x0, x1 = round(line.x0 * k), round(line.x1 * k)
        mask[max(y0, 0) : max(y1, 0), max(x0, 0) : max(x1, 0)] = 1
    table: np.ndarray = cv2.integral(mask)
    return table


def _coverage(table: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """The share of `box` (raster pixels) the text covers, from the mask's summed-area table."""
    x0, y0, x1, y1 = box
    x0, x1 = max(x0, 0), min(x1, table.shape[1] - 1)
    y0, y1 = max(y0, 0), min(y1, table.shape[0] - 1)
    if x1 <= x0 or y1 <= y0:
        return 0.0
    inked = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
    return float(inked) / float((x1 - x0) * (y1 - y0))


def _scaled(boxes: tuple[Box, ...]) -> tuple[tuple[int, int, int, int], ...]:
    return tuple(box.scaled(RASTER_PX_PER_MM) for box in boxes)


# Each side's boxes where text is expected and where none is, in raster pixels.
PLACES = {
    Side.FRONT: (_scaled(FRONT_TEXT), _scaled(FRONT_EMPTY)),
    Side.BACK: (_scaled(BACK_TEXT), _scaled(BACK_EMPTY)),
}


def _fit(table: np.ndarray, side: Side) -> float:
    text, empty = PLACES[side]
    found = sum(_coverage(table, box) for box in text) / len(text)
    stray = sum(_coverage(table, box) for box in empty) / len(empty)
    return found - stray


def rows_over_portrait(lines: list[Line]) -> int:
    """How many rows of text run CROSSING_MM or more into a front's portrait.

    A photocopy's `仅供…使用` line may cross a card once; the rows of a page of text that
    carries a card's labels (a form with 姓名 and 民族 filled in) cross it again and again.
    """
    area = PORTRAIT_TEXT
    return sum(
        1
        for row in group_rows(lines)
        if area.y0 <= row.cy <= area.y1
        and min(row.x1, area.x1) - max(row.x0, area.x0) >= CROSSING_MM
    )
