"""The card's pale security print: a colour wash, families of fine wavy lines and a rosette,
drawn procedurally once per variant and cached."""

from __future__ import annotations

import functools

import cv2
import numpy as np
from numpy.typing import NDArray

from idcard_ocr.card.layout import CARD_HEIGHT_MM, CARD_WIDTH_MM
from idcard_ocr.card.model import Side

VARIANTS = 8
# Patterns are drawn once at this resolution, then resized to each card.
BASE_PX_PER_MM = 12.0
_WASHES = {  # (top-left, bottom-right) RGB of the colour wash
    Side.FRONT: ((244, 241, 230), (226, 236, 243)),
    Side.BACK: ((236, 240, 246), (246, 238, 230)),
}
_INKS = ((120, 170, 215), (215, 160, 170), (150, 190, 160), (200, 185, 140))

Image = NDArray[np.uint8]


def card_background(side: Side, variant: int, size: tuple[int, int]) -> Image:
    """The pattern of `variant` for one side, as RGB of `size` (width, height)."""
    base = _pattern(side, variant % VARIANTS)
    return np.asarray(cv2.resize(base, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


@functools.cache
def _pattern(side: Side, variant: int) -> Image:
    """Wash plus line families plus a rosette, at the base resolution."""
    rng = np.random.default_rng(1000 * int(side) + variant)
    width, height = round(CARD_WIDTH_MM * BASE_PX_PER_MM), round(CARD_HEIGHT_MM * BASE_PX_PER_MM)
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32) / BASE_PX_PER_MM
    image = _wash(side, xs, ys)
    for _ in range(3):
        ink = np.array(_INKS[rng.integers(len(_INKS))], dtype=np.float32)
        image = _overprint(image, _waves(rng, xs, ys), ink, rng.uniform(0.12, 0.25))
    cx, cy = rng.uniform(25, 60), rng.uniform(18, 36)
    ink = np.array(_INKS[rng.integers(len(_INKS))], dtype=np.float32)
    image = _overprint(image, _rosette(rng, xs - cx, ys - cy), ink, rng.uniform(0.15, 0.3))
    return np.clip(image, 0, 255).astype(np.uint8)


def _wash(side: Side, xs: NDArray[np.float32], ys: NDArray[np.float32]) -> NDArray[np.float32]:
    """A diagonal gradient between the side's two pale colours."""
    start, end = (np.array(c, dtype=np.float32) for c in _WASHES[side])
    t = ((xs / CARD_WIDTH_MM + ys / CARD_HEIGHT_MM) / 2)[..., None]
    return np.asarray(start * (1 - t) + end * t, np.float32)


def _waves(
    rng: np.random.Generator, xs: NDArray[np.float32], ys: NDArray[np.float32]
) -> NDArray[np.float32]:
    """Coverage of one family of parallel sine-modulated hairlines."""
    angle = rng.uniform(-0.6, 0.6)
    pitch = rng.uniform(0.6, 1.4)  # mm between lines
    along = xs * np.cos(angle) + ys * np.sin(angle)
    across = ys * np.cos(angle) - xs * np.sin(angle)
    bend = rng.uniform(0.8, 3.0) * np.sin(along / rng.uniform(4, 12) + rng.uniform(0, 6.3))
    return _hairlines((across + bend) * (2 * np.pi / pitch))


def _rosette(
    rng: np.random.Generator, dx: NDArray[np.float32], dy: NDArray[np.float32]
) -> NDArray[np.float32]:
    """Coverage of a guilloche rosette: rings whose radius ripples with the angle."""
    radius = np.hypot(dx, dy)
    theta = np.arctan2(dy, dx)
    ripple = rng.uniform(0.8, 2.0) * np.sin(int(rng.integers(8, 24)) * theta)
    fade = np.exp(-((radius / rng.uniform(14, 24)) ** 2))
    return _hairlines((radius + ripple) * (2 * np.pi / rng.uniform(0.8, 1.5))) * fade


def _hairlines(phase: NDArray[np.float32]) -> NDArray[np.float32]:
    """Thin lines where the phase crosses whole turns."""
    return np.asarray(((1 + np.cos(phase)) / 2) ** 8, np.float32)


def _overprint(
    image: NDArray[np.float32],
    coverage: NDArray[np.float32],
    ink: NDArray[np.float32],
    alpha: float,
) -> NDArray[np.float32]:
    """Blend `ink` into the image where the coverage is high."""
    weight = (coverage * alpha)[..., None]
    result: NDArray[np.float32] = image * (1 - weight) + ink * weight
    return result
