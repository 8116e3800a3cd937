"""Everything drawn for one picture before a pixel is drawn: how its card is printed (look,
geometry, specimen stamp, second script) and what its photo suffers. Tests and benchmarks
read it to know what a sample shows; the renderer follows it."""

from __future__ import annotations

import random
from dataclasses import dataclass

from idcard_ocr.card.model import Side
from idcard_ocr.synth.effects import PhotoEffects, random_effects
from idcard_ocr.synth.geometry import for_second_script, random_geometry
from idcard_ocr.synth.marks import random_stamp
from idcard_ocr.synth.render import CardPrint, random_style
from idcard_ocr.synth.scripts import SCRIPT_NAMES, Bilingual, face_for, script_named

# Shares of photo and hard pictures: fronts with a 样证 stamp, bilingual cards (both sides).
STAMP_SHARE = 0.10
BILINGUAL_SHARE = 0.06
# Share of bilingual cards setting the second script above the Chinese (else below).
ABOVE_SHARE = 0.7


@dataclass(frozen=True)
class Variant:
    """How one picture's card is printed and how it is photographed."""

    card: CardPrint
    effects: PhotoEffects


def random_variant(rng: random.Random, difficulty: str, side: Side) -> Variant:
    """The variant of one picture. Clean pictures vary only in look and geometry; photo and
    hard ones also get stamps, second scripts and photo effects."""
    style = random_style(rng)
    geometry = random_geometry(rng)
    if difficulty == "clean":
        return Variant(CardPrint(style, geometry), PhotoEffects())
    stamp = random_stamp(rng) if rng.random() < STAMP_SHARE and side is Side.FRONT else None
    bilingual = _random_bilingual(rng) if rng.random() < BILINGUAL_SHARE else None
    if bilingual is not None:
        geometry = for_second_script(geometry, script_named(bilingual.script).vertical)
    return Variant(CardPrint(style, geometry, stamp, bilingual), random_effects(rng, difficulty))


def _random_bilingual(rng: random.Random) -> Bilingual | None:
    """A second script, or None when its font is not installed (the card stays Chinese only)."""
    name = rng.choice(SCRIPT_NAMES)
    above, seed = rng.random() < ABOVE_SHARE, rng.getrandbits(32)
    if face_for(script_named(name)) is None:
        return None
    return Bilingual(name, above, seed)
