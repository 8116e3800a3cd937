"""The canonical card: one side of an identity printed flat and upright at a given
resolution, every item at the position `card.layout` gives."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, replace

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from idcard_ocr.card import layout as L
from idcard_ocr.card.dates import format_validity
from idcard_ocr.card.model import Side
from idcard_ocr.synth.emblem import draw_emblem
from idcard_ocr.synth.fonts import FontFace, bold_faces, cjk_faces, number_faces
from idcard_ocr.synth.guilloche import VARIANTS, card_background
from idcard_ocr.synth.identity import Identity
from idcard_ocr.synth.portrait import draw_portrait
from idcard_ocr.synth.text import TypeStyle, draw_text

RGB = tuple[int, int, int]
# Extra em between the characters of a label: two-character labels are spaced out.
PAIR_TRACKING, LABEL_TRACKING = 0.45, 0.08


@dataclass(frozen=True)
class CardStyle:
    """The per-card choices: value face, inks, background pattern and portrait."""

    faces: tuple[FontFace, ...]  # value face first, then the fallbacks for missing glyphs
    label_color: RGB
    value_color: RGB
    pattern: int
    portrait_seed: int


def random_style(rng: random.Random) -> CardStyle:
    """A style drawn from `rng`: one of the installed CJK faces, inks jittered a little."""
    faces = cjk_faces()
    first = rng.randrange(len(faces))
    blue_grey = (60 + rng.randint(-12, 12), 112 + rng.randint(-15, 15), 150 + rng.randint(-15, 15))
    ink = rng.randint(10, 35)
    return CardStyle(
        faces=faces[first:] + faces[:first],
        label_color=blue_grey,
        value_color=(ink, ink, ink + rng.randint(0, 8)),
        pattern=rng.randrange(VARIANTS),
        portrait_seed=rng.getrandbits(32),
    )


def card_size(px_per_mm: float) -> tuple[int, int]:
    """(width, height) in pixels of a card at `px_per_mm`."""
    return round(L.CARD_WIDTH_MM * px_per_mm), round(L.CARD_HEIGHT_MM * px_per_mm)


@functools.lru_cache(maxsize=32)
def card_mask(px_per_mm: float) -> NDArray[np.uint8]:
    """255 inside the card's rounded outline, 0 outside (anti-aliased)."""
    width, height = card_size(px_per_mm)
    scale = 4  # draw large and shrink for smooth corners
    mask = np.zeros((height * scale, width * scale), np.uint8)
    r = round(L.CORNER_RADIUS_MM * px_per_mm * scale)
    cv2.rectangle(mask, (r, 0), (width * scale - r, height * scale), 255, -1)
    cv2.rectangle(mask, (0, r), (width * scale, height * scale - r), 255, -1)
    for x in (r, width * scale - r):
        for y in (r, height * scale - r):
            cv2.circle(mask, (x, y), r, 255, -1)
    shrunk = cv2.resize(mask, (width, height), interpolation=cv2.INTER_AREA)
    return np.asarray(shrunk, dtype=np.uint8)


def render_card(
    identity: Identity, side: Side, style: CardStyle, px_per_mm: float
) -> NDArray[np.uint8]:
    """One side as an RGB image of `card_size`; outside the corners is left unpainted."""
    ppm = px_per_mm
    pixels = card_background(side, style.pattern, card_size(ppm)).copy()
    if side is Side.FRONT:
        draw_portrait(pixels, L.PORTRAIT, ppm, random.Random(style.portrait_seed))
    else:
        draw_emblem(pixels, L.EMBLEM, ppm, rays=12 + style.portrait_seed % 12)
    canvas = Image.fromarray(pixels)
    printer = _print_front if side is Side.FRONT else _print_back
    printer(canvas, identity, style, ppm)
    return np.asarray(canvas, dtype=np.uint8)


def _styles(style: CardStyle, ppm: float) -> tuple[TypeStyle, TypeStyle]:
    """(label, value) type styles of a card at `ppm` px per mm."""
    label = TypeStyle(style.faces, L.LABEL_SIZE_MM * ppm, style.label_color, LABEL_TRACKING)
    return label, TypeStyle(style.faces, L.VALUE_SIZE_MM * ppm, style.value_color)


def _print_label(canvas: Image.Image, text: str, x: float, y: float, label: TypeStyle) -> None:
    """A label in blue-grey at (x, y) px, two-character ones spaced out as on the card."""
    draw_text(
        canvas, text, x, y, replace(label, tracking=PAIR_TRACKING) if len(text) == 2 else label
    )


def _print_front(canvas: Image.Image, identity: Identity, style: CardStyle, ppm: float) -> None:
    """Labels, values, the birth date in parts, the wrapped address and the number."""
    label, value = _styles(style, ppm)
    value_end = (L.PORTRAIT.x0 - 1.0) * ppm
    for text, x, y in (
        ("姓名", L.LABEL_X_MM, L.NAME_Y_MM),
        ("性别", L.LABEL_X_MM, L.SEX_Y_MM),
        ("民族", L.NATION_LABEL_X_MM, L.SEX_Y_MM),
        ("出生", L.LABEL_X_MM, L.BIRTH_Y_MM),
        ("住址", L.LABEL_X_MM, L.ADDRESS_Y_MM[0]),
        ("公民身份号码", L.NUMBER_LABEL_X_MM, L.NUMBER_Y_MM),
    ):
        _print_label(canvas, text, x * ppm, y * ppm, label)
    name_x = L.VALUE_X_MM * ppm
    draw_text(canvas, identity.name, name_x, L.NAME_Y_MM * ppm, value, value_end - name_x)
    draw_text(canvas, identity.sex, L.VALUE_X_MM * ppm, L.SEX_Y_MM * ppm, value)
    nation_x = L.NATION_VALUE_X_MM * ppm
    draw_text(canvas, identity.nation, nation_x, L.SEX_Y_MM * ppm, value, value_end - nation_x)
    _print_birth(canvas, identity, ppm, value)
    _print_address(canvas, identity.address, ppm, value)
    number = TypeStyle(number_faces(), L.NUMBER_SIZE_MM * ppm, style.value_color)
    width = (L.NUMBER_RIGHT_MM - L.NUMBER_X_MM) * ppm
    draw_text(
        canvas, identity.id_number, L.NUMBER_X_MM * ppm, L.NUMBER_Y_MM * ppm, number, width, True
    )


def _print_birth(canvas: Image.Image, identity: Identity, ppm: float, value: TypeStyle) -> None:
    """`1995 年 5 月 13 日`, each part at its own x."""
    birth = identity.birth
    parts = (
        (str(birth.year), L.BIRTH_YEAR_X_MM, L.BIRTH_NIAN_X_MM),
        ("年", L.BIRTH_NIAN_X_MM, L.BIRTH_MONTH_X_MM),
        (str(birth.month), L.BIRTH_MONTH_X_MM, L.BIRTH_YUE_X_MM),
        ("月", L.BIRTH_YUE_X_MM, L.BIRTH_DAY_X_MM),
        (str(birth.day), L.BIRTH_DAY_X_MM, L.BIRTH_RI_X_MM),
        ("日", L.BIRTH_RI_X_MM, L.BIRTH_RI_X_MM + 4.5),
    )
    for text, x, next_x in parts:
        draw_text(canvas, text, x * ppm, L.BIRTH_Y_MM * ppm, value, (next_x - x - 0.3) * ppm)


def _print_address(canvas: Image.Image, address: str, ppm: float, value: TypeStyle) -> None:
    """The address wrapped every `ADDRESS_CHARS_PER_LINE` characters, at most three lines."""
    per_line = L.ADDRESS_CHARS_PER_LINE
    width = (L.ADDRESS_RIGHT_MM - L.VALUE_X_MM) * ppm
    for row, y in enumerate(L.ADDRESS_Y_MM):
        line = address[row * per_line : (row + 1) * per_line]
        draw_text(canvas, line, L.VALUE_X_MM * ppm, y * ppm, value, width)


def _print_back(canvas: Image.Image, identity: Identity, style: CardStyle, ppm: float) -> None:
    """Titles, labels and the authority and validity values."""
    label, value = _styles(style, ppm)
    for box, text in ((L.TITLE_COUNTRY, "中华人民共和国"), (L.TITLE_CARD, "居民身份证")):
        title = TypeStyle(bold_faces(), box.height * 0.8 * ppm, style.value_color)
        draw_text(canvas, text, box.x0 * ppm, box.cy * ppm, title, (box.x1 - box.x0) * ppm, True)
    validity = format_validity(identity.valid_start, identity.valid_end)
    width = (L.BACK_VALUE_RIGHT_MM - L.BACK_VALUE_X_MM) * ppm
    for text, content, y in (
        ("签发机关", identity.authority, L.AUTHORITY_Y_MM),
        ("有效期限", validity, L.VALIDITY_Y_MM),
    ):
        _print_label(canvas, text, L.BACK_LABEL_X_MM * ppm, y * ppm, label)
        draw_text(canvas, content, L.BACK_VALUE_X_MM * ppm, y * ppm, value, width)
