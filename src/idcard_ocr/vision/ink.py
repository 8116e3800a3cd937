"""Ink that is not the card's text: red seals and stamps (样证, 仅供…使用) printed over it.

The card prints its values in black and its labels in blue-grey; a strongly saturated red
is a stamp, and a recogniser reads a stamp's strokes as characters (证 half-cut reads 正).
Painting it over with the paper's colour leaves only the card's own print to read.
"""

from __future__ import annotations

import cv2
import numpy as np

# OpenCV hue runs 0-180: red wraps around 0. Saturation and value floors keep the card's
# pale pink guilloche and dark (black) print out of the mask.
RED_HUES = ((0, 10), (160, 180))
MIN_SATURATION = 80
MIN_VALUE = 70


def without_red_ink(image: np.ndarray) -> np.ndarray:
    """`image` (BGR) with its saturated red pixels painted in the surrounding paper colour."""
    if image.size == 0:
        return image  # a crop cut at the card's edge
    hsv = cv2.cvtColor(image, cv2.COLOR_BGR2HSV)
    found = [
        cv2.inRange(hsv, (low, MIN_SATURATION, MIN_VALUE), (high, 255, 255))
        for low, high in RED_HUES
    ]
    red: np.ndarray = np.bitwise_or.reduce(found)
    if not red.any():
        return image
    mask: np.ndarray = cv2.dilate(red, np.ones((3, 3), np.uint8))
    paper = np.median(image[mask == 0], axis=0) if (mask == 0).any() else (255, 255, 255)
    cleaned = image.copy()
    cleaned[mask > 0] = np.asarray(paper, dtype=image.dtype)
    return cleaned
