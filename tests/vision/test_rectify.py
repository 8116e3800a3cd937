"""When the photo's own text detection is fine enough to flatten instead of detecting again."""

from __future__ import annotations

import numpy as np

from idcard_ocr.vision.reader import _detected_sharply, _on_card


def card_quad(x: float, y: float, width: float) -> np.ndarray:
    height = width * 54.0 / 85.6
    return np.array([[x, y], [x + width, y], [x + width, y + height], [x, y + height]], np.float32)


def test_a_card_filling_a_scan_is_seen_sharply_by_the_photos_detection() -> None:
    scan = np.zeros((684, 1032, 3), np.uint8)  # detected at 640 px: 0.62 of it
    assert _detected_sharply(scan, card_quad(16, 20, 1000))


def test_a_card_small_in_its_photo_is_detected_again_once_flattened() -> None:
    photo = np.zeros((1000, 1000, 3), np.uint8)
    assert not _detected_sharply(photo, card_quad(300, 300, 500))


def test_a_card_seen_at_a_slant_is_judged_by_its_shortest_edges() -> None:
    scan = np.zeros((684, 1032, 3), np.uint8)
    slanted = card_quad(16, 20, 1000)
    slanted[1] = (16 + 560, 20)  # the far edge shrunk by perspective
    assert not _detected_sharply(scan, slanted)


def test_only_boxes_centred_on_the_card_are_kept() -> None:
    on = np.array([[[10, 10], [200, 10], [200, 60], [10, 60]]], np.float32)
    off = on + np.float32(5000)
    kept = _on_card(np.concatenate([on, off]))
    assert kept.shape == (1, 4, 2) and (kept[0] == on[0]).all()
