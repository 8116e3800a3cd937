"""Photos of things that are not ID cards, which the engine must refuse (-5107): a printed
page with numbers, a bank card, a shop receipt. Photographed like the "photo" difficulty,
with the same camera and effects; deterministic per (kind, seed, index)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from idcard_ocr.synth.bank_card import random_bank_card
from idcard_ocr.synth.documents import Document, random_page, random_receipt
from idcard_ocr.synth.effects import random_effects
from idcard_ocr.synth.photo import PHOTO, photograph
from idcard_ocr.synth.sample import encode_picture

NEGATIVE_KINDS: tuple[str, ...] = ("page", "bank_card", "receipt")
_DRAWERS: dict[str, Callable[[random.Random], Document]] = {
    "page": random_page,
    "bank_card": random_bank_card,
    "receipt": random_receipt,
}


@dataclass(frozen=True, eq=False)
class Negative:
    """A photo of something that is not an ID card, encoded as the API receives it."""

    image: NDArray[np.uint8]  # BGR
    data: bytes  # encoded, <= 1 MB (JPEG)
    extension: str  # ".jpg"
    kind: str


def render_negative(kind: str, seed: int, index: int) -> Negative:
    """Photo `index` of `kind` (one of `NEGATIVE_KINDS`) in the set `seed`."""
    if kind not in _DRAWERS:
        raise ValueError(f"kind must be one of {NEGATIVE_KINDS}, not {kind!r}")
    rng = random.Random(f"idcard-ocr-negative:{kind}:{seed}:{index}")
    document = _DRAWERS[kind](rng)
    effects = random_effects(rng, "photo")

    def draw(px_per_mm: float) -> tuple[NDArray[np.uint8], NDArray[np.uint8]]:
        return document.draw(round(px_per_mm, 1))

    camera = np.random.default_rng(rng.getrandbits(64))
    shot = photograph(draw, PHOTO, camera, effects, document.size_mm)
    image, data, _ = encode_picture(shot, "photo", effects, rng)
    return Negative(image=image, data=data, extension=".jpg", kind=kind)
