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


@dataclass(frozen=True)
class _Boxes:
    """Boxes in raster pixels, clipped to the summed-area table, as arrays: `orient.rank` runs
    for every outline tried, and summing a box at a time cost more than the rest of it."""

    x0: np.ndarray
    y0: np.ndarray
    x1: np.ndarray
    y1: np.ndarray
    area: np.ndarray  # pixels; 0 for a box clipped away

    @classmethod
    def of(cls, boxes: tuple[Box, ...]) -> _Boxes:
        rows, columns = _TABLE_SHAPE
        raw = np.array([box.scaled(RASTER_PX_PER_MM) for box in boxes], np.int64).reshape(-1, 4)
        x0, y0 = np.maximum(raw[:, 0], 0), np.maximum(raw[:, 1], 0)
        x1, y1 = np.minimum(raw[:, 2], columns - 1), np.minimum(raw[:, 3], rows - 1)
        area = np.where((x1 > x0) & (y1 > y0), (x1 - x0) * (y1 - y0), 0)
        return cls(x0, y0, x1, y1, area)

    def coverage(self, table: np.ndarray) -> list[float]:
        """The share of each box the text covers, from the mask's summed-area table."""
        x0, y0, x1, y1 = self.x0, self.y0, self.x1, self.y1
        inked = table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0]
        shares = np.where(self.area > 0, inked / np.maximum(self.area, 1), 0.0)
        return [float(share) for share in shares]


_TABLE_SHAPE = (
    round(L.CARD_HEIGHT_MM * RASTER_PX_PER_MM) + 1,
    round(L.CARD_WIDTH_MM * RASTER_PX_PER_MM) + 1,
)
# Each side's boxes where text is expected and where none is.
PLACES = {
    Side.FRONT: (_Boxes.of(FRONT_TEXT), _Boxes.of(FRONT_EMPTY)),
    Side.BACK: (_Boxes.of(BACK_TEXT), _Boxes.of(BACK_EMPTY)),
}


def _fit(table: np.ndarray, side: Side) -> float:
    text, empty = PLACES[side]
    found = sum(text.coverage(table)) / len(text.area)
    stray = sum(empty.coverage(table)) / len(empty.area)
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
