"""Ink that is not the card's text: red seals and stamps (样证, 仅供…使用) printed over it.

The card prints its values in black and its labels in blue-grey; a strongly saturated red
is a stamp, and a recogniser reads a stamp's strokes as characters (证 half-cut reads 正).
Painting it over with the paper's colour leaves only the card's own print to read. In a
grey photo (a photocopy, a black-and-white scan) the red is gone but the stamp still prints
lighter than the values: keeping only the darkest ink leaves them.
"""

from __future__ import annotations

import cv2
import numpy as np

# OpenCV hue runs 0-180: red wraps around 0. Saturation and value floors keep the card's
# pale pink guilloche and dark (black) print out of the mask.
RED_HUES = ((0, 10), (160, 180))
MIN_SATURATION = 80
MIN_VALUE = 70


def red_ink(image: np.ndarray) -> np.ndarray:
    """The mask (uint8, 255 where) of `image`'s saturated red pixels."""
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    found = [
        cv2.inRange(hsv, (low, MIN_SATURATION, MIN_VALUE), (high, 255, 255))
        for low, high in RED_HUES
    ]
    red: np.ndarray = np.bitwise_or.reduce(found)
    return red


def has_red_ink(image: np.ndarray) -> bool:
    """Whether `image` holds any saturated red (a stamp or a line written in red)."""
    return image.size > 0 and bool(red_ink(image).any())


def without_red_ink(image: np.ndarray) -> np.ndarray:
    """`image` (BGR) with its saturated red pixels painted in the surrounding paper colour."""
    if image.size == 0:
        return image  # a crop cut at the card's edge
    red = red_ink(image)
    if not red.any():
        return image
    mask: np.ndarray = cv2.dilate(red, np.ones((3, 3), np.uint8))
    paper = np.median(image[mask == 0], axis=0) if (mask == 0).any() else (255, 255, 255)
    cleaned = image.copy()
    cleaned[mask > 0] = np.asarray(paper, dtype=image.dtype)
    return cleaned


# Of the way from the darkest ink to the paper, the share below which a pixel is the values'
# black print: a grey `仅供…使用` line over a value sits about halfway. Measured on rendered
# greyscale backs: 0.3-0.5 read the value under the line whole, 0.6 keeps the line.
DARKEST_SHARE = 0.4


def darkest_ink(image: np.ndarray) -> np.ndarray:
    """`image` (BGR) with everything lighter than its darkest ink painted as the paper."""
    if image.size == 0:
        return image
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    # The paper is the crop's light majority; a stamp line over a short value can cover
    # half of it, so not the median.
    ink, paper = np.percentile(grey, (2, 90))
    cleaned = image.copy()
    cleaned[grey > ink + DARKEST_SHARE * (paper - ink)] = np.uint8(paper)
    return cleaned
