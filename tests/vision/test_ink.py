"""Red stamps are painted out of a crop; black print and pale pink guilloche stay."""

from __future__ import annotations

import numpy as np

from idcard_ocr.vision.ink import darkest_ink, has_red_ink, without_red_ink


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


def test_only_the_darkest_ink_is_kept_a_grey_stamp_line_goes() -> None:
    crop = np.full((40, 160, 3), 225, np.uint8)  # grey paper
    crop[10:30, 10:60] = 35  # the value's black print
    crop[5:35, 70:150] = 135  # a grey `仅供…使用` line, about halfway to the paper
    crop[12:28, 100:110] = 30  # black print where the line crosses the value
    cleaned = darkest_ink(crop)
    assert (cleaned[10:30, 10:60] == 35).all()
    assert (cleaned[12:28, 100:110] == 30).all()
    assert (cleaned[5:12, 70:100] == 225).all()
    assert (cleaned[30:35, 110:150] == 225).all()


def test_darkest_ink_of_an_empty_crop_is_the_crop() -> None:
    crop = np.zeros((0, 5, 3), np.uint8)
    assert darkest_ink(crop) is crop


def test_red_ink_is_told_from_its_absence() -> None:
    page = np.full((40, 60, 3), 235, np.uint8)
    assert not has_red_ink(page)
    page[10:20, 10:50] = (30, 30, 200)  # BGR: a red stroke
    assert has_red_ink(page)
    assert not has_red_ink(page[:0])
