"""A clearly synthetic head-and-shoulders silhouette for the portrait box: flat ellipses in
random tones, no facial features, never a real face."""

from __future__ import annotations

import random

import cv2
import numpy as np
from numpy.typing import NDArray

from idcard_ocr.card.layout import Box

RGB = tuple[int, int, int]


def _tone(rng: random.Random, low: RGB, high: RGB) -> RGB:
    """A colour between two RGB corners, jittered a little (and kept within 0-255)."""
    t = rng.random()
    r, g, b = (
        min(max(round(lo + (hi - lo) * t + rng.uniform(-8, 8)), 0), 255)
        for lo, hi in zip(low, high, strict=True)
    )
    return r, g, b


def draw_portrait(image: NDArray[np.uint8], box: Box, px_per_mm: float, rng: random.Random) -> None:
    """Draw (RGB) a pale backdrop and a silhouette filling the lower part of `box`."""
    x0, y0, x1, y1 = box.scaled(px_per_mm)
    roi = image[y0:y1, x0:x1]
    backdrop = np.full_like(roi, _tone(rng, (236, 238, 240), (250, 250, 252)))
    roi[:] = cv2.addWeighted(roi, 0.35, backdrop, 0.65, 0)
    w, h = x1 - x0, y1 - y0
    cx = w / 2 + rng.uniform(-0.04, 0.04) * w
    skin = _tone(rng, (150, 110, 90), (235, 200, 175))
    cloth = _tone(rng, (20, 25, 40), (120, 120, 140))
    hair = _tone(rng, (10, 10, 10), (90, 70, 50))
    head_w, head_h = w * rng.uniform(0.19, 0.24), h * rng.uniform(0.2, 0.25)
    head_y = h * rng.uniform(0.36, 0.42)

    def ellipse(x: float, y: float, ax: float, ay: float, color: RGB) -> None:
        cv2.ellipse(
            roi, (round(x), round(y)), (round(ax), round(ay)), 0, 0, 360, color, -1, cv2.LINE_AA
        )

    ellipse(cx, h * 1.02, w * rng.uniform(0.42, 0.5), h * 0.3, cloth)
    neck = (round(cx - head_w * 0.45), round(head_y), round(cx + head_w * 0.45), round(h * 0.8))
    cv2.rectangle(roi, neck[:2], neck[2:], skin, -1, cv2.LINE_AA)
    ellipse(cx, head_y - head_h * 0.3, head_w * 1.12, head_h * 0.9, hair)
    ellipse(cx, head_y, head_w, head_h, skin)
    roi[:] = cv2.GaussianBlur(roi, (0, 0), max(px_per_mm * 0.12, 0.5))
