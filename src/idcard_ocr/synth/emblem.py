"""A drawn red-and-gold seal where the back carries the national emblem: rings, rays and
stars only, deliberately not the emblem's artwork."""

from __future__ import annotations

import math

import cv2
import numpy as np
from numpy.typing import NDArray

from idcard_ocr.card.layout import Box

RED = (200, 32, 36)
GOLD = (232, 182, 54)
# cv2 draws with fixed-point coordinates: this many fractional bits.
_SHIFT = 4


def _points(xy: NDArray[np.float64]) -> NDArray[np.int32]:
    """Float pixel points as cv2's fixed-point polygon."""
    return np.round(xy * (1 << _SHIFT)).astype(np.int32).reshape(-1, 1, 2)


def _star(cx: float, cy: float, radius: float, turn: float = 0.0) -> NDArray[np.float64]:
    """The ten corners of a five-pointed star."""
    angles = turn - math.pi / 2 + np.arange(10) * math.pi / 5
    radii = np.where(np.arange(10) % 2 == 0, radius, radius * 0.4)
    return np.stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)], axis=1)


def _circle(
    image: NDArray[np.uint8], cx: float, cy: float, r: float, color: tuple[int, int, int]
) -> None:
    centre = (round(cx * (1 << _SHIFT)), round(cy * (1 << _SHIFT)))
    cv2.circle(image, centre, round(r * (1 << _SHIFT)), color, -1, cv2.LINE_AA, _SHIFT)


def draw_emblem(image: NDArray[np.uint8], box: Box, px_per_mm: float, rays: int) -> None:
    """Draw the seal (RGB) centred in `box`: gold rim, red disc, rays, a ring of stars."""
    cx, cy = box.cx * px_per_mm, box.cy * px_per_mm
    r = min(box.x1 - box.x0, box.height) / 2 * px_per_mm
    _circle(image, cx, cy, r, GOLD)
    _circle(image, cx, cy, r * 0.9, RED)
    for k in range(rays):
        a = 2 * math.pi * k / rays
        tip = np.array([[cx + r * 0.85 * math.cos(a), cy + r * 0.85 * math.sin(a)]])
        side = np.array([[math.cos(a + 1.57), math.sin(a + 1.57)]]) * r * 0.04
        ray = np.concatenate([np.add([[cx, cy]], side), tip, np.subtract([[cx, cy]], side)])
        cv2.fillPoly(image, [_points(ray)], GOLD, cv2.LINE_AA, _SHIFT)
    _circle(image, cx, cy, r * 0.55, RED)
    for k in range(8):
        a = 2 * math.pi * k / 8
        star = _star(cx + r * 0.72 * math.cos(a), cy + r * 0.72 * math.sin(a), r * 0.1, a)
        cv2.fillPoly(image, [_points(star)], GOLD, cv2.LINE_AA, _SHIFT)
    cv2.fillPoly(image, [_points(_star(cx, cy, r * 0.38))], GOLD, cv2.LINE_AA, _SHIFT)
