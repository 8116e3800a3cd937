"""Red stamps are painted out of a crop; black print and pale pink guilloche stay."""

from __future__ import annotations

import numpy as np

from idcard_ocr.vision.ink import without_red_ink


def test_red_stamp_ink_becomes_paper_and_print_stays() -> None:
    crop = np.full((40, 120, 3), (235, 235, 240), np.uint8)  # BGR paper
    crop[10:30, 10:40] = (30, 30, 30)  # black print
    crop[10:30, 60:90] = (40, 40, 210)  # a red stamp stroke
    crop[0:5, :] = (215, 200, 240)  # pale pink guilloche
    cleaned = without_red_ink(crop)
    assert (cleaned[10:30, 10:40] == (30, 30, 30)).all()
    assert (cleaned[15:25, 65:85] == (235, 235, 240)).all()
    assert (cleaned[0:5, 100:] == (215, 200, 240)).all()


def test_a_crop_without_red_is_returned_as_is() -> None:
    crop = np.full((20, 20, 3), 200, np.uint8)
    assert without_red_ink(crop) is crop


def test_an_empty_crop_at_the_card_edge_is_returned_as_is() -> None:
    crop = np.zeros((0, 5, 3), np.uint8)
    assert without_red_ink(crop) is crop
