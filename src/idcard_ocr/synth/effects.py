"""What some photos suffer besides pose, blur and noise: being a photo of a photocopy (with
a `仅供…使用` line across it), low light, motion blur, a screen re-shoot's moiré, and JPEG
recompression by the apps a picture passed through. Drawn per picture, mostly on "hard"."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from idcard_ocr.synth.marks import Overlay, random_overlay

Image = NDArray[np.uint8]


@dataclass(frozen=True)
class EffectRates:
    """How often each effect strikes a picture of one difficulty. A picture suffers at most
    one of photocopy, low light, motion blur and moiré (stacked, they leave nothing to
    read); recompression comes on top of any."""

    photocopy: float
    low_light: float
    motion_blur: float
    moire: float
    overlay: float  # share of photocopies with a `仅供…使用` line
    recompress: float
    motion_blur_mm: tuple[float, float]  # blur length on the card


RATES = {
    "photo": EffectRates(0.03, 0.05, 0.05, 0.03, 0.6, 0.10, (0.15, 0.3)),
    "hard": EffectRates(0.20, 0.15, 0.15, 0.12, 0.6, 0.35, (0.25, 0.6)),
}
MAIN_EFFECTS = ("photocopy", "low_light", "motion_blur", "moire", "none")


@dataclass(frozen=True)
class PhotoEffects:
    """The effects one picture gets; the default is none (clean pictures)."""

    photocopy: bool = False
    overlay: Overlay | None = None
    recompressions: int = 0  # JPEG round trips before the picture's own encoding
    low_light: bool = False
    motion_blur_mm: float = 0.0
    moire: bool = False


def random_effects(rng: random.Random, difficulty: str) -> PhotoEffects:
    """The effects of one picture of `difficulty`: none for "clean"."""
    rates = RATES.get(difficulty)
    if rates is None:
        return PhotoEffects()
    shares = (rates.photocopy, rates.low_light, rates.motion_blur, rates.moire)
    main = rng.choices(MAIN_EFFECTS, weights=(*shares, 1 - sum(shares)))[0]
    written = main == "photocopy" and rng.random() < rates.overlay
    return PhotoEffects(
        photocopy=main == "photocopy",
        overlay=random_overlay(rng) if written else None,
        recompressions=rng.randint(1, 3) if rng.random() < rates.recompress else 0,
        low_light=main == "low_light",
        motion_blur_mm=rng.uniform(*rates.motion_blur_mm) if main == "motion_blur" else 0.0,
        moire=main == "moire",
    )


def photocopy(image: Image, rng: np.random.Generator) -> Image:
    """Grey, crushed contrast, toner specks and streaks, as a card's photocopy looks."""
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(np.float32)
    crushed = (grey - 128) * rng.uniform(1.3, 1.8) + 128 + rng.uniform(10, 40)
    specks = rng.random(grey.shape, dtype=np.float32)
    crushed[specks < rng.uniform(0.001, 0.004)] = 40
    crushed[specks > 0.997] = 255
    for _ in range(int(rng.integers(0, 4))):  # drum streaks along the paper's travel
        x = int(rng.integers(grey.shape[1]))
        width = int(rng.integers(1, 4))
        crushed[:, x : x + width] -= rng.uniform(15, 50)
    copy = cv2.cvtColor(np.clip(crushed, 0, 255).astype(np.uint8), cv2.COLOR_GRAY2BGR)
    return np.asarray(copy, np.uint8)


def darken(lit: NDArray[np.float32], rng: np.random.Generator) -> float:
    """Low light, in place: dark and warm (BGR). Returns how much to raise the noise by."""
    lit *= rng.uniform(0.5, 0.75)
    lit *= np.array([rng.uniform(0.7, 0.85), rng.uniform(0.9, 1.0), 1.1], np.float32)
    return float(rng.uniform(1.3, 2.0))  # phones denoise: noisier, not snow


def motion_blur(image: Image, length_px: float, angle_deg: float) -> Image:
    """A straight smear of `length_px` at `angle_deg`, as from a moving hand."""
    length = max(round(length_px), 3) | 1
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1 / length
    centre = ((length - 1) / 2, (length - 1) / 2)
    turn = cv2.getRotationMatrix2D(centre, angle_deg, 1)
    kernel = np.asarray(cv2.warpAffine(kernel, turn, (length, length)), np.float32)
    kernel /= max(float(kernel.sum()), 1e-6)
    return np.asarray(cv2.filter2D(image, -1, kernel), np.uint8)


def moire(image: Image, rng: np.random.Generator) -> Image:
    """Coloured, bending interference bands and a faint pixel grid, as when a card shown on a
    screen is photographed. Each pattern is a sum of outer products, so it costs little."""
    height, width = image.shape[:2]
    xs, ys = np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32)
    angle = rng.uniform(0, math.pi)
    frequency = 2 * math.pi / rng.uniform(6, 30)
    bend = rng.uniform(0, 3) * np.sin(ys * 2 * math.pi / rng.uniform(height / 3, height))
    along_y = ys * frequency * math.sin(angle) + bend.astype(np.float32)
    along_x = xs * frequency * math.cos(angle)
    strength = rng.uniform(0.05, 0.12)
    shade = np.empty(image.shape, np.float32)
    spread = rng.uniform(0.5, 1.0) * 2 * math.pi / 3
    for channel in range(3):
        shift = along_x + channel * spread
        bands = np.outer(np.cos(along_y), np.cos(shift)) - np.outer(np.sin(along_y), np.sin(shift))
        shade[..., channel] = 1 - strength * (0.5 + 0.5 * bands)
    pitch = 2 * math.pi / rng.uniform(2.5, 4.0)
    grid = np.outer(np.cos(ys * pitch), np.cos(xs * pitch)) * np.float32(rng.uniform(0.02, 0.05))
    shade -= grid[..., None]
    shaded: Image = np.clip(image * shade, 0, 255).astype(np.uint8)
    return shaded


def recompress(image: Image, times: int, rng: random.Random) -> Image:
    """`times` JPEG round trips at middling quality, some through a smaller size, as chat
    apps and web uploads do to a picture before it reaches us."""
    height, width = image.shape[:2]
    for _ in range(times):
        if rng.random() < 0.4:
            scale = rng.uniform(0.6, 0.9)
            small = cv2.resize(image, (round(width * scale), round(height * scale)))
            image = np.asarray(cv2.resize(small, (width, height)), np.uint8)
        ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(45, 80)])
        if not ok:
            raise RuntimeError("image encoding failed")
        image = np.asarray(cv2.imdecode(buffer, cv2.IMREAD_COLOR), np.uint8)
    return image
