"""Photo effects do what they say to a picture: grey copies, dark warm low light, a smear
along one direction, coloured bands, JPEG round trips that keep the size."""

from __future__ import annotations

import random

import cv2
import numpy as np
from numpy.typing import NDArray

from idcard_ocr.synth.effects import darken, moire, motion_blur, photocopy, recompress


def _picture() -> NDArray[np.uint8]:
    """A light picture with dark text-like strokes."""
    image = np.full((300, 400, 3), (200, 215, 230), np.uint8)
    for y in range(40, 280, 40):
        cv2.line(image, (30, y), (370, y), (20, 20, 20), 3)
    return image


def test_a_photocopy_is_grey_with_crushed_contrast() -> None:
    copy = photocopy(_picture(), np.random.default_rng(1))
    assert np.array_equal(copy[..., 0], copy[..., 1]) and np.array_equal(copy[..., 1], copy[..., 2])
    assert np.percentile(copy, 95) >= 250  # the light card goes white


def test_low_light_is_darker_and_warmer() -> None:
    lit = _picture().astype(np.float32)
    before = lit.mean(axis=(0, 1))
    noise_factor = darken(lit, np.random.default_rng(2))
    after = lit.mean(axis=(0, 1))
    assert after.sum() < 0.75 * before.sum()
    assert after[0] / before[0] < after[2] / before[2]  # blue (BGR) falls more than red
    assert noise_factor > 1


def test_motion_blur_smears_a_point_along_one_direction() -> None:
    image = np.zeros((61, 61, 3), np.uint8)
    image[30, 30] = 255
    smeared = motion_blur(image, 15, 0.0)[..., 0]
    ys, xs = np.nonzero(smeared)
    assert xs.max() - xs.min() >= 12 and ys.max() - ys.min() <= 2


def test_moire_lays_coloured_bands_without_hiding_the_picture() -> None:
    picture = _picture()
    shot = moire(picture, np.random.default_rng(3))
    assert shot.shape == picture.shape
    difference = picture.astype(int) - shot.astype(int)
    assert difference.std() > 2  # bands
    assert abs(difference.mean()) < 0.15 * picture.mean()
    assert (difference[..., 0] != difference[..., 2]).mean() > 0.2  # coloured, not grey


def test_recompression_keeps_the_size_and_changes_the_pixels() -> None:
    picture = _picture()
    again = recompress(picture, 3, random.Random(4))
    assert again.shape == picture.shape
    assert not np.array_equal(again, picture)
    assert np.array_equal(recompress(picture, 0, random.Random(4)), picture)
