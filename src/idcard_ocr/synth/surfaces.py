"""What a photographed card lies on: wood grain, cloth, a cluttered desk of papers or a
plain surface, drawn procedurally in BGR."""

from __future__ import annotations

import math

import cv2
import numpy as np
from numpy.typing import NDArray

Image = NDArray[np.uint8]
SURFACES = ("wood", "cloth", "papers", "plain")


def surface(rng: np.random.Generator, size: tuple[int, int]) -> Image:
    """A random surface of `size` (width, height), drawn at half size and enlarged: it is
    out of focus behind the card anyway, and it costs a quarter."""
    kind = SURFACES[int(rng.integers(len(SURFACES)))]
    half = (max(size[0] // 2, 8), max(size[1] // 2, 8))
    drawn = {"wood": _wood, "cloth": _cloth, "papers": _papers, "plain": _plain}[kind](rng, half)
    return np.asarray(cv2.resize(drawn, size, interpolation=cv2.INTER_LINEAR), np.uint8)


def _smooth_noise(
    rng: np.random.Generator, size: tuple[int, int], cells: int
) -> NDArray[np.float32]:
    """Values in about [0, 1] varying smoothly over `cells` cells across the width."""
    width, height = size
    coarse = rng.random((max(cells * height // width, 2), cells), dtype=np.float32)
    return np.asarray(cv2.resize(coarse, size, interpolation=cv2.INTER_CUBIC), np.float32)


def _blend(low: NDArray[np.float32], high: NDArray[np.float32], t: NDArray[np.float32]) -> Image:
    """Per-pixel mix of two BGR colours by `t` in [0, 1]."""
    mixed = low * (1 - t[..., None]) + high * t[..., None]
    return np.clip(mixed, 0, 255).astype(np.uint8)


def _wood(rng: np.random.Generator, size: tuple[int, int]) -> Image:
    """Grain lines bent by smooth noise, between a dark and a light brown."""
    width, height = size
    small = (max(width // 2, 8), max(height // 2, 8))
    ys, xs = np.mgrid[0 : small[1], 0 : small[0]].astype(np.float32)
    angle = rng.uniform(-0.3, 0.3) + (math.pi / 2 if rng.random() < 0.5 else 0)
    across = ys * math.cos(angle) - xs * math.sin(angle)
    warp = _smooth_noise(rng, small, 6) * rng.uniform(20, 60)
    grain = (np.sin((across + warp) * rng.uniform(0.15, 0.4)) + 1) / 2
    grain = grain * 0.7 + _smooth_noise(rng, small, 40) * 0.3
    dark = np.array([30, 55, 95], np.float32) * rng.uniform(0.7, 1.3)
    light = np.array([110, 160, 205], np.float32) * rng.uniform(0.8, 1.1)
    wood = _blend(dark, light, grain.astype(np.float32))
    return np.asarray(cv2.resize(wood, size, interpolation=cv2.INTER_LINEAR), dtype=np.uint8)


def _cloth(rng: np.random.Generator, size: tuple[int, int]) -> Image:
    """A woven tile repeated, in one random colour, with soft folds of shade."""
    period = int(rng.integers(2, 5))
    ys, xs = np.mgrid[0:period, 0:period].astype(np.float32)
    weave = (np.sin(xs * 2 * math.pi / period) * np.sin(ys * 2 * math.pi / period) + 1) / 2
    tile = np.tile(weave, (size[1] // period + 1, size[0] // period + 1))[: size[1], : size[0]]
    shade = 0.75 + 0.35 * _smooth_noise(rng, size, 5)
    color = rng.uniform(40, 220, 3).astype(np.float32)
    return _blend(color * 0.8, color * 1.1, tile * 0.6 + (shade - 0.75))


def _plain(rng: np.random.Generator, size: tuple[int, int]) -> Image:
    """A single colour with a gentle shading."""
    color = rng.uniform(60, 235, 3).astype(np.float32)
    return _blend(color * 0.85, color, _smooth_noise(rng, size, 3))


def _papers(rng: np.random.Generator, size: tuple[int, int]) -> Image:
    """A desk with overlapping sheets carrying text-like strokes, and a few stray shapes."""
    image = _plain(rng, size)
    width, height = size
    for _ in range(int(rng.integers(3, 7))):
        centre = (float(rng.uniform(0, width)), float(rng.uniform(0, height)))
        sheet = (float(rng.uniform(0.3, 0.7) * width), float(rng.uniform(0.3, 0.8) * height))
        box = np.asarray(cv2.boxPoints((centre, sheet, float(rng.uniform(-40, 40)))), np.float32)
        paper = tuple(int(v) for v in rng.uniform(200, 255, 3))
        cv2.fillPoly(image, [box.astype(np.int32)], paper, cv2.LINE_AA)
        _strokes(rng, image, box)
    for _ in range(int(rng.integers(2, 6))):
        color = tuple(int(v) for v in rng.uniform(0, 255, 3))
        centre = (int(rng.uniform(0, width)), int(rng.uniform(0, height)))
        cv2.circle(image, centre, int(rng.uniform(0.02, 0.08) * width), color, -1, cv2.LINE_AA)
    return image


def _strokes(rng: np.random.Generator, image: Image, box: NDArray[np.float32]) -> None:
    """Rows of short dashes, like lines of print, across one sheet's box."""
    origin, right, down = box[1], box[2] - box[1], box[0] - box[1]
    ink = tuple(int(v) for v in rng.choice([[40, 40, 40], [150, 60, 20], [30, 30, 170]]))
    thickness = max(int(np.linalg.norm(down) / 120), 1)
    for t in np.arange(0.08, 0.92, rng.uniform(0.03, 0.07)):
        s = float(rng.uniform(0.05, 0.12))
        while s < 0.9:
            length = float(rng.uniform(0.02, 0.08))
            a = origin + right * s + down * t
            b = origin + right * min(s + length, 0.92) + down * t
            cv2.line(image, tuple(map(int, a)), tuple(map(int, b)), ink, thickness)
            s += length + float(rng.uniform(0.01, 0.03))
