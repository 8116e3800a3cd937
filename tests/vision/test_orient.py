"""Which side a card is: the rows of text that run through a front's portrait."""

from __future__ import annotations

from idcard_ocr.card import layout as L
from idcard_ocr.card.model import Side
from idcard_ocr.vision.lines import Line
from idcard_ocr.vision.orient import rank, rows_over_portrait


def _front() -> list[Line]:
    rows = [L.NAME_Y_MM, L.SEX_Y_MM, L.BIRTH_Y_MM, *L.ADDRESS_Y_MM]
    lines = [Line(L.LABEL_X_MM, y - 1.6, L.LABEL_X_MM + 6, y + 1.6) for y in rows]
    lines += [Line(L.VALUE_X_MM, y - 1.8, L.VALUE_X_MM + 20, y + 1.8) for y in rows[:3]]
    lines += [Line(L.VALUE_X_MM, y - 1.8, L.ADDRESS_RIGHT_MM + 4, y + 1.8) for y in rows[3:]]
    lines.append(Line(L.NUMBER_X_MM, L.NUMBER_Y_MM - 2, L.NUMBER_RIGHT_MM, L.NUMBER_Y_MM + 2))
    return lines


def test_a_fronts_rows_stop_before_its_portrait() -> None:
    lines = _front()
    assert rank(lines)[0].side is Side.FRONT
    assert rows_over_portrait(lines) == 0


def test_one_crossing_line_is_an_overlay_and_many_are_a_page() -> None:
    overlay = Line(8.0, 24.0, 78.0, 28.0)  # a photocopy's 仅供…使用 across the card
    assert rows_over_portrait([*_front(), overlay]) == 1
    page = [Line(5.0, y, 70.0, y + 4.0) for y in (18.0, 24.0, 30.0)]
    assert rows_over_portrait(page) == 3


def test_a_row_must_reach_well_into_the_portrait() -> None:
    grazing = Line(5.0, 20.0, L.PORTRAIT.x0 + 5.0, 24.0)  # 2 mm past the margin
    below = Line(5.0, L.PORTRAIT.y1 + 2, 80.0, L.PORTRAIT.y1 + 6)  # the number's row
    assert rows_over_portrait([grazing, below]) == 0
