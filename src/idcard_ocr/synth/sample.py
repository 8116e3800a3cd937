"""One labelled synthetic picture of one card side, fully determined by (seed, index)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
from numpy.typing import NDArray

from idcard_ocr.card.dates import format_birth, format_validity
from idcard_ocr.card.model import Side
from idcard_ocr.synth.effects import PhotoEffects, recompress
from idcard_ocr.synth.identity import Identity, generate_identity
from idcard_ocr.synth.photo import HARD, PHOTO, Shot, photograph, place_flat
from idcard_ocr.synth.render import card_mask, render_card
from idcard_ocr.synth.variant import Variant, random_variant

Difficulty = Literal["clean", "photo", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("clean", "photo", "hard")
MAX_BYTES = 1_048_576  # the API's per-image limit
Point = tuple[float, float]
# zlib's run-length strategy: about as small as the default on card patterns, five times faster.
PNG_FAST = [cv2.IMWRITE_PNG_COMPRESSION, 3, cv2.IMWRITE_PNG_STRATEGY, cv2.IMWRITE_PNG_STRATEGY_RLE]


@dataclass(frozen=True, eq=False)
class Sample:
    """A rendered picture with its exact labels.

    `quad` holds the card's corners in picture pixels (cv2's pixel-centre coordinates) in the
    card's own order: top-left, top-right, bottom-right, bottom-left as printed. `rotation`
    is the coarse clockwise turn (0/90/180/270) the picture got; tilts below 45° are not
    counted. `labels` are the values exactly as the API must return them. `variant` says how
    the card was printed and photographed (geometry, stamp, second script, photo effects).
    """

    image: NDArray[np.uint8]  # BGR
    data: bytes
    extension: str  # ".png" or ".jpg"
    side: Side
    labels: dict[str, str]
    quad: tuple[Point, Point, Point, Point]
    rotation: int
    difficulty: Difficulty
    identity: Identity
    variant: Variant


def labels_for(identity: Identity, side: Side) -> dict[str, str]:
    """The API's field values for one side of the identity's card."""
    if side is Side.BACK:
        return {
            "authority": identity.authority,
            "valid_date": format_validity(identity.valid_start, identity.valid_end),
        }
    return {
        "name": identity.name,
        "sex": identity.sex,
        "nation": identity.nation,
        "birth": format_birth(identity.birth),
        "address": identity.address,
        "id": identity.id_number,
    }


def render_sample(
    seed: int, index: int, difficulty: Difficulty, side: Side | None = None
) -> Sample:
    """Render sample `index` of the dataset `seed`; sides alternate by index when not given.

    The identity depends on (seed, index) only, so both sides of one index show one card.
    """
    side, identity, variant, look = _draw(seed, index, difficulty, side)
    shot = _shoot(identity, side, difficulty, variant, look)
    image, data, quad = encode_picture(shot, difficulty, variant.effects, look)
    return Sample(
        image=image,
        data=data,
        extension=".png" if difficulty == "clean" else ".jpg",
        side=side,
        labels=labels_for(identity, side),
        quad=(quad[0], quad[1], quad[2], quad[3]),
        rotation=shot.rotation,
        difficulty=difficulty,
        identity=identity,
        variant=variant,
    )


def variant_for(seed: int, index: int, difficulty: Difficulty, side: Side | None = None) -> Variant:
    """The variant `render_sample` with the same arguments draws, without drawing a pixel:
    for finding samples that show something, and for counting how often things occur."""
    return _draw(seed, index, difficulty, side)[2]


def _draw(
    seed: int, index: int, difficulty: Difficulty, side: Side | None
) -> tuple[Side, Identity, Variant, random.Random]:
    """The side, identity and variant of a sample, and the random source left for its photo."""
    if difficulty not in DIFFICULTIES:
        raise ValueError(f"difficulty must be one of {DIFFICULTIES}, not {difficulty!r}")
    side = Side(index % 2) if side is None else side
    rng = random.Random(f"idcard-ocr-synth:{seed}:{index}")
    identity = generate_identity(rng)
    look = random.Random(f"{rng.getrandbits(64)}:{int(side)}:{difficulty}")
    return side, identity, random_variant(look, difficulty, side), look


def _shoot(
    identity: Identity, side: Side, difficulty: Difficulty, variant: Variant, rng: random.Random
) -> Shot:
    """Print the card at the resolution the picture needs and take the picture."""

    def draw(px_per_mm: float) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
        px_per_mm = round(px_per_mm, 1)  # a few distinct sizes keep the mask cache useful
        card = render_card(identity, side, variant.card, px_per_mm)
        return np.ascontiguousarray(card[..., ::-1]), card_mask(px_per_mm)

    if difficulty == "clean":
        card, mask = draw(rng.uniform(9, 14))
        shade = rng.randint(228, 250)
        color = (shade - rng.randint(0, 8), shade - rng.randint(0, 8), shade)
        return place_flat(card, mask, round(card.shape[1] * rng.uniform(0.02, 0.06)), color)
    camera = PHOTO if difficulty == "photo" else HARD
    return photograph(draw, camera, np.random.default_rng(rng.getrandbits(64)), variant.effects)


def encode_picture(
    shot: Shot, difficulty: Difficulty, effects: PhotoEffects, rng: random.Random
) -> tuple[NDArray[np.uint8], bytes, list[Point]]:
    """PNG for clean pictures, JPEG otherwise (after any earlier JPEG round trips the picture
    went through), shrinking until the file fits in `MAX_BYTES`."""
    image, quad = recompress(shot.image, effects.recompressions, rng), shot.quad
    quality = rng.randint(60, 90)
    while True:
        if difficulty == "clean":
            ok, buffer = cv2.imencode(".png", image, PNG_FAST)
        else:
            ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise RuntimeError("image encoding failed")
        if buffer.size <= MAX_BYTES:
            return image, buffer.tobytes(), [(float(x), float(y)) for x, y in quad]
        if difficulty != "clean" and quality > 45:
            quality -= 10
            continue
        height, width = image.shape[:2]
        size = (round(width * 0.85), round(height * 0.85))
        image = np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), np.uint8)
        quad = (quad + 0.5) * np.array([size[0] / width, size[1] / height]) - 0.5
