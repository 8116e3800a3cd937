"""Registration of the printed layout to text boxes: an outline that is off is corrected.

The text boxes here are where a card prints its lines (as the detector's padded boxes reach),
projected into a photo by a known perspective, so the right answer is known exactly.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from idcard_ocr.card import layout as L
from idcard_ocr.card.model import Side
from idcard_ocr.vision import register
from idcard_ocr.vision.geometry import transform

# (x0, x1, centre y) of detector boxes on an upright card, in mm.
FRONT_BOXES = [
    (5.5, 32.0, L.NAME_Y_MM),
    (5.5, 22.0, L.SEX_Y_MM),
    (27.6, 42.0, L.SEX_Y_MM),
    (5.5, 47.0, L.BIRTH_Y_MM),
    (5.5, 51.7, L.ADDRESS_Y_MM[0]),
    (15.9, 44.0, L.ADDRESS_Y_MM[1]),
    (5.5, 80.4, L.NUMBER_Y_MM),
]
BACK_BOXES = [
    (29.7, 78.2, L.TITLE_COUNTRY.cy - 0.2),
    (26.4, 79.5, L.TITLE_CARD.cy - 0.1),
    (15.6, 56.0, L.AUTHORITY_Y_MM),
    (15.6, 68.8, L.VALIDITY_Y_MM),
]
# Where the card lies in the photo: a perspective view, TL, TR, BR, BL.
TRUE_QUAD = np.array([[187, 63], [585, 45], [581, 337], [177, 314]], np.float32)


def photo_boxes(boxes: list[tuple[float, float, float]], quad: np.ndarray) -> np.ndarray:
    card = np.array([[0, 0], [85.6, 0], [85.6, 54.0], [0, 54.0]], np.float32)
    to_photo = cv2.getPerspectiveTransform(card, quad)
    mm = np.array([[[x0, y - 2], [x1, y - 2], [x1, y + 2], [x0, y + 2]] for x0, x1, y in boxes])
    return transform(to_photo, mm.astype(np.float32))


@pytest.mark.parametrize("side", [Side.FRONT, Side.BACK])
def test_a_shifted_scaled_outline_is_registered_back_onto_the_card(side: Side) -> None:
    text = photo_boxes(FRONT_BOXES if side is Side.FRONT else BACK_BOXES, TRUE_QUAD)
    centre = TRUE_QUAD.mean(axis=0)
    off = (TRUE_QUAD - centre) * 1.12 + centre + np.array([14.0, -9.0], np.float32)

    registered = register.refine(off, text)

    assert np.abs(registered.quad - TRUE_QUAD).max() < 6.0  # px, on a card about 400 px wide
    assert registered.fit > register.fit(off, text)
    assert registered.aligned >= 4 and registered.error < 0.5


def test_an_upside_down_card_keeps_its_corner_order() -> None:
    turned = np.roll(TRUE_QUAD, 2, axis=0)  # the same card, named from its other end
    text = photo_boxes(FRONT_BOXES, TRUE_QUAD)
    off = turned + np.array([10.0, 8.0], np.float32)

    refined = register.refine(off, text).quad

    assert np.abs(refined - turned).max() < 6.0


def test_a_right_outline_is_left_as_it_is() -> None:
    text = photo_boxes(FRONT_BOXES, TRUE_QUAD)

    registered = register.refine(TRUE_QUAD, text)

    assert np.abs(registered.quad - TRUE_QUAD).max() < 1.5
    assert registered.fit == pytest.approx(register.fit(TRUE_QUAD, text))


def test_text_that_matches_no_printed_line_moves_nothing() -> None:
    # Two stray lines far from every printed position: too few matches to register.
    text = photo_boxes([(60.0, 84.0, 3.0), (40.0, 84.0, 35.0)], TRUE_QUAD)

    assert np.array_equal(register.refine(TRUE_QUAD, text).quad, TRUE_QUAD)
