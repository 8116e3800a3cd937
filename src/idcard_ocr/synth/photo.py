"""Photographing a card: pose it in 3-D over a surface, then degrade the picture the way
phone cameras, hands, lamps and photocopiers do. Everything draws from one numpy RNG."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from idcard_ocr.card.layout import CARD_HEIGHT_MM, CARD_WIDTH_MM
from idcard_ocr.synth.effects import PhotoEffects, darken, moire, motion_blur, photocopy
from idcard_ocr.synth.marks import Overlay, overlay_mask
from idcard_ocr.synth.surfaces import surface

Image = NDArray[np.uint8]
Points = NDArray[np.float64]  # shape (4, 2), card order: TL, TR, BR, BL
Rng = np.random.Generator
CardDrawer = Callable[[float], tuple[Image, Image]]
# Cards are drawn at no less and no more than this resolution (px per mm).
MIN_PX_PER_MM, MAX_PX_PER_MM = 3.0, 16.0
NOISE_BANK_SIDE = 1600
NO_EFFECTS = PhotoEffects()
SizeMm = tuple[float, float]  # (width, height) of what is photographed
CARD_SIZE_MM: SizeMm = (CARD_WIDTH_MM, CARD_HEIGHT_MM)


@dataclass(frozen=True)
class Camera:
    """How hard a shot is: picture size, card share of the width, pose and degradations."""

    long_side: tuple[int, int]
    card_share: tuple[float, float]  # card width / picture width
    tilt_deg: float  # out-of-plane tilt, each axis
    roll_deg: float  # in-plane rotation
    blur_mm: tuple[float, float]  # blur sigma, in mm on the card
    noise_sigma: tuple[float, float]
    turns: bool  # coarse 90/180/270 turns
    glare: float  # probability of a glare spot
    hand: float  # probability of a hand over an edge


PHOTO = Camera((1024, 1600), (0.35, 0.8), 22, 15, (0.02, 0.08), (2, 6), False, 0.1, 0.3)
HARD = Camera((740, 1200), (0.55, 0.85), 28, 15, (0.06, 0.16), (5, 12), True, 0.6, 0.4)


@dataclass(frozen=True)
class Shot:
    """A photographed card: the picture, where the card's corners are, the coarse turn."""

    image: Image
    quad: Points
    rotation: int


def photograph(
    draw: CardDrawer,
    camera: Camera,
    rng: Rng,
    effects: PhotoEffects = NO_EFFECTS,
    size_mm: SizeMm = CARD_SIZE_MM,
) -> Shot:
    """Pose a card (or any flat thing of `size_mm`) over a surface and degrade the picture.

    `draw(px_per_mm)` returns the BGR card and its alpha mask; it is called once, at about
    the resolution the card will have in the picture, so the warp never shrinks it much.
    A photocopy is copied (and written on) first, then photographed like a card.
    """
    size = _picture_size(camera, rng)
    quad, px_per_mm = _pose(camera, size, rng, size_mm)
    card, mask = draw(px_per_mm)
    image = surface(rng, size)
    homography = np.asarray(
        cv2.getPerspectiveTransform(_corners(card), quad.astype(np.float32)), np.float64
    )
    _lay_card(image, card, mask, homography, rng)
    card_px_per_mm = card.shape[1] / size_mm[0]
    if effects.photocopy:
        image = photocopy(image, rng)
        if effects.overlay is not None:
            _write(image, effects.overlay, card_px_per_mm, homography, size_mm)
    if rng.random() < camera.hand:
        _hand(image, card_px_per_mm, homography, rng, size_mm)
    if rng.random() < camera.glare and not effects.photocopy:  # paper has no laminate glare
        _glare(image, quad, rng)
    picture_px_per_mm = float(np.linalg.norm(quad[1] - quad[0])) / size_mm[0]
    image = _optics(image, camera, picture_px_per_mm, rng, effects)
    if effects.moire:
        image = moire(image, rng)
    rotation = int(rng.integers(4)) * 90 if camera.turns else 0
    return _turn(image, quad, rotation)


def place_flat(card: Image, mask: Image, margin: int, color: tuple[int, int, int]) -> Shot:
    """The clean shot: the card upright on a plain light background with a margin."""
    height, width = card.shape[:2]
    image = np.full((height + 2 * margin, width + 2 * margin, 3), color, np.uint8)
    roi = image[margin : margin + height, margin : margin + width]
    alpha = mask.astype(np.float32) / 255
    roi[:] = cv2.blendLinear(card, roi, alpha, 1 - alpha)
    return Shot(image, _corners(card).astype(np.float64) + margin, 0)


def _corners(card: Image) -> NDArray[np.float32]:
    """The card's outer corners in its own pixel-centre coordinates (cv2's convention)."""
    height, width = card.shape[:2]
    return np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32) - 0.5


def _picture_size(camera: Camera, rng: Rng) -> tuple[int, int]:
    """(width, height) of a landscape picture in one of the usual aspect ratios."""
    long_side = int(rng.integers(*camera.long_side, endpoint=True))
    aspect = float(rng.choice([4 / 3, 16 / 9, 3 / 2, 1.0]))
    return long_side, round(long_side / aspect)


def _pose(camera: Camera, size: tuple[int, int], rng: Rng, size_mm: SizeMm) -> tuple[Points, float]:
    """Where the card's corners land (tilted in 3-D, projected, scaled, shifted inside the
    picture) and the px per mm the card's nearest corner gets there."""
    half = np.array(size_mm) / 2
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * half
    points = np.column_stack([corners, np.zeros(4)]) @ _rotation(camera, rng).T
    distance = size_mm[0] * rng.uniform(1.2, 2.5)  # camera to card, mm
    magnification = distance / (distance + points[:, 2:])
    flat = points[:, :2] * magnification
    width, height = size
    span = flat.max(axis=0) - flat.min(axis=0)
    scale = rng.uniform(*camera.card_share) * width / (2 * half[0])
    scale = min(scale, 0.96 * width / span[0], 0.96 * height / span[1])
    flat = (flat - flat.min(axis=0)) * scale
    room = np.array([width, height]) - flat.max(axis=0)
    px_per_mm = float(np.clip(scale * magnification.max(), MIN_PX_PER_MM, MAX_PX_PER_MM))
    return flat + rng.uniform(0.02, 0.98, 2) * room - 0.5, px_per_mm


def _rotation(camera: Camera, rng: Rng) -> NDArray[np.float64]:
    """A 3-D rotation: tilt about both card axes, then roll in the picture plane."""
    ax, ay = np.radians(rng.uniform(-camera.tilt_deg, camera.tilt_deg, 2))
    az = math.radians(rng.uniform(-camera.roll_deg, camera.roll_deg))
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    result: NDArray[np.float64] = rz @ ry @ rx
    return result


def _lay_card(
    image: Image, card: Image, mask: Image, homography: NDArray[np.float64], rng: Rng
) -> None:
    """Warp the card into the picture over a soft shadow, working only around the card."""
    height, width = image.shape[:2]
    corners = cv2.perspectiveTransform(_corners(card).reshape(-1, 1, 2), homography).reshape(-1, 2)
    pad = 0.03 * width
    x0, y0 = np.maximum(np.floor(corners.min(axis=0) - pad), 0).astype(int)
    x1, y1 = np.minimum(np.ceil(corners.max(axis=0) + pad), [width, height]).astype(int)
    roi = image[y0:y1, x0:x1]
    local = np.array([[1, 0, -x0], [0, 1, -y0], [0, 0, 1]]) @ homography
    shifted = (
        np.array(
            [[1, 0, rng.uniform(-1, 1) * pad / 3], [0, 1, rng.uniform(-1, 1) * pad / 3], [0, 0, 1]]
        )
        @ local
    )
    size = (x1 - x0, y1 - y0)
    shadow = cv2.GaussianBlur(cv2.warpPerspective(mask, shifted, size), (0, 0), pad / 4)
    darken = 1 - shadow.astype(np.float32) * np.float32(rng.uniform(0.2, 0.5) / 255)
    warped = cv2.warpPerspective(card, local, size, flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(mask, local, size).astype(np.float32) / 255
    roi[:] = cv2.blendLinear(warped, roi, alpha, darken * (1 - alpha))


def _hand(
    image: Image, px_per_mm: float, homography: NDArray[np.float64], rng: Rng, size_mm: SizeMm
) -> None:
    """A skin-coloured thumb over one card edge, reaching at most 3 mm into the card."""
    width_mm, height_mm = size_mm
    across, along = rng.uniform(7, 10), rng.uniform(10, 16)  # half-axes, mm
    reach, where = rng.uniform(1.0, 3.0), rng.uniform(0.2, 0.8)
    edge = int(rng.integers(4))  # left, top, right, bottom
    if edge % 2 == 0:
        x = -across + reach if edge == 0 else width_mm + across - reach
        centre, axes = (x, where * height_mm), (across, along)
    else:
        y = -across + reach if edge == 1 else height_mm + across - reach
        centre, axes = (where * width_mm, y), (along, across)
    t = np.linspace(0, 2 * math.pi, 72, endpoint=False)
    outline = np.column_stack([centre[0] + axes[0] * np.cos(t), centre[1] + axes[1] * np.sin(t)])
    points = (outline * px_per_mm).astype(np.float32).reshape(-1, 1, 2)
    projected = cv2.perspectiveTransform(points, homography)
    skin = tuple(float(v) for v in rng.uniform([90, 120, 170], [150, 180, 235]))
    cv2.fillPoly(image, [np.round(projected).astype(np.int32)], skin, cv2.LINE_AA)


def _glare(image: Image, quad: Points, rng: Rng) -> None:
    """A bright, soft ellipse somewhere on the card, as from a lamp on the laminate."""
    u, v = rng.uniform(0.15, 0.85, 2)
    top = quad[0] + (quad[1] - quad[0]) * u
    bottom = quad[3] + (quad[2] - quad[3]) * u
    centre = top + (bottom - top) * v
    spot = np.zeros(image.shape[:2], np.float32)
    radius = float(np.linalg.norm(quad[1] - quad[0]) * rng.uniform(0.06, 0.16))
    axes = (round(radius), round(radius * rng.uniform(0.4, 1.0)))
    cv2.ellipse(
        spot, tuple(int(c) for c in centre), axes, float(rng.uniform(0, 180)), 0, 360, 1.0, -1
    )
    soft = np.asarray(cv2.GaussianBlur(spot, (0, 0), radius * 0.4), np.float32)
    lifted = image + soft[..., None] * rng.uniform(60, 120)
    image[:] = np.clip(lifted, 0, 255).astype(np.uint8)


def _optics(
    image: Image, camera: Camera, px_per_mm: float, rng: Rng, effects: PhotoEffects
) -> Image:
    """Lens blur (sometimes a slight shake), motion blur, uneven or low light, sensor noise."""
    sigma = rng.uniform(*camera.blur_mm) * px_per_mm
    if rng.random() < 0.3:
        image = motion_blur(image, sigma * 4, rng.uniform(0, 180))
    elif sigma > 0.2:
        image = np.asarray(cv2.GaussianBlur(image, (0, 0), sigma), np.uint8)
    if effects.motion_blur_mm:
        image = motion_blur(image, effects.motion_blur_mm * px_per_mm, rng.uniform(0, 180))
    height, width = image.shape[:2]
    gain = rng.uniform(0.7, 1.15, (3, 3)).astype(np.float32)
    lit = image.astype(np.float32)
    lit *= cv2.resize(gain, (width, height), interpolation=cv2.INTER_CUBIC)[..., None]
    noise_sigma = rng.uniform(*camera.noise_sigma)
    if effects.low_light:
        noise_sigma *= darken(lit, rng)
    lit += _noise(rng, (height, width), noise_sigma)[..., None]
    return np.clip(lit, 0, 255, out=lit).astype(np.uint8)


def _write(
    image: Image,
    overlay: Overlay,
    card_px_per_mm: float,
    homography: NDArray[np.float64],
    size_mm: SizeMm,
) -> None:
    """Write `overlay` across the photocopy, in its ink, where the card lies in the picture."""
    height, width = image.shape[:2]
    margin = round(20 * card_px_per_mm)  # the line may run onto the paper around the card
    size = (
        round(size_mm[0] * card_px_per_mm) + 2 * margin,
        round(size_mm[1] * card_px_per_mm) + 2 * margin,
    )
    coverage = overlay_mask(overlay, card_px_per_mm, size, margin)
    shift = np.array([[1, 0, -margin], [0, 1, -margin], [0, 0, 1]], np.float64)
    warped = cv2.warpPerspective(coverage, homography @ shift, (width, height))
    alpha = warped.astype(np.float32)[..., None] * np.float32(overlay.opacity / 255)
    ink = np.asarray(overlay.color, np.float32)
    image[:] = np.clip(image * (1 - alpha) + ink * alpha, 0, 255).astype(np.uint8)


@functools.cache
def _noise_bank() -> NDArray[np.float32]:
    """A fixed field of unit Gaussian noise; pictures take random crops of it, cheaply."""
    side = NOISE_BANK_SIDE
    return np.random.default_rng(0).standard_normal((side, side), dtype=np.float32)


def _noise(rng: Rng, shape: tuple[int, int], sigma: float) -> NDArray[np.float32]:
    """Gaussian noise of `sigma` for a picture of `shape`, cropped from the bank."""
    bank = _noise_bank()
    if shape[0] > bank.shape[0] or shape[1] > bank.shape[1]:
        return rng.standard_normal(shape, dtype=np.float32) * sigma
    y, x = (int(rng.integers(b - s + 1)) for b, s in zip(bank.shape, shape, strict=True))
    return bank[y : y + shape[0], x : x + shape[1]] * np.float32(sigma)


def _turn(image: Image, quad: Points, rotation: int) -> Shot:
    """Turn the picture clockwise by `rotation` degrees, carrying the quad along."""
    for _ in range(rotation // 90):
        height = image.shape[0]
        image = np.asarray(cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE), np.uint8)
        quad = np.column_stack([height - 1 - quad[:, 1], quad[:, 0]])
    return Shot(np.ascontiguousarray(image), quad, rotation)
