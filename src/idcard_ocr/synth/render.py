"""The card itself: one side of an identity printed flat and upright at a given resolution,
every item where the card's own drawn `CardGeometry` puts it (never `card.layout`), with a
specimen stamp and a second script on the cards that have them."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, replace
from datetime import date

import cv2
import numpy as np
from numpy.typing import NDArray
from PIL import Image

from idcard_ocr.card.dates import format_validity
from idcard_ocr.card.layout import CARD_HEIGHT_MM, CARD_WIDTH_MM, CORNER_RADIUS_MM
from idcard_ocr.card.model import Side
from idcard_ocr.synth.emblem import draw_emblem
from idcard_ocr.synth.fonts import FontFace, bold_faces, cjk_faces, number_faces
from idcard_ocr.synth.geometry import BackGeometry, CardGeometry, FrontGeometry
from idcard_ocr.synth.guilloche import VARIANTS, card_background
from idcard_ocr.synth.identity import Identity
from idcard_ocr.synth.marks import Stamp, draw_stamp
from idcard_ocr.synth.portrait import draw_portrait
from idcard_ocr.synth.scripts import (
    Bilingual,
    Script,
    face_for,
    label_in,
    phrase,
    script_mask,
    script_named,
)
from idcard_ocr.synth.text import TypeStyle, draw_text, text_width

RGB = tuple[int, int, int]
# Extra em between the characters of a label longer than two characters.
LABEL_TRACKING = 0.08
# Label inks (RGB) seen on real cards: blue-grey, blue, cyan-blue, dark blue.
LABEL_INKS: tuple[RGB, ...] = ((60, 112, 150), (35, 95, 175), (40, 150, 205), (45, 70, 135))
# How far right the number and the back's values may reach (mm).
NUMBER_RIGHT_LIMIT_MM, BACK_VALUE_RIGHT_MM = 81.5, 82.5
# Nothing is printed closer than this to the portrait (mm).
PORTRAIT_CLEARANCE_MM = 1.0


@dataclass(frozen=True)
class CardStyle:
    """The per-card look: value face, inks, background pattern and portrait."""

    faces: tuple[FontFace, ...]  # value face first, then the fallbacks for missing glyphs
    label_color: RGB
    value_color: RGB
    pattern: int
    portrait_seed: int


@dataclass(frozen=True)
class CardPrint:
    """Everything that decides how one card is printed: look, geometry, stamp, second script."""

    style: CardStyle
    geometry: CardGeometry
    stamp: Stamp | None = None
    bilingual: Bilingual | None = None


def random_style(rng: random.Random) -> CardStyle:
    """A style drawn from `rng`: one of the installed CJK faces, inks jittered a little."""
    faces = cjk_faces()
    first = rng.randrange(len(faces))
    base = rng.choice(LABEL_INKS)
    label = tuple(min(max(c + rng.randint(-12, 12), 0), 255) for c in base)
    ink = rng.randint(10, 35)
    return CardStyle(
        faces=faces[first:] + faces[:first],
        label_color=(label[0], label[1], label[2]),
        value_color=(ink, ink, ink + rng.randint(0, 8)),
        pattern=rng.randrange(VARIANTS),
        portrait_seed=rng.getrandbits(32),
    )


def card_size(px_per_mm: float) -> tuple[int, int]:
    """(width, height) in pixels of a card at `px_per_mm`."""
    return round(CARD_WIDTH_MM * px_per_mm), round(CARD_HEIGHT_MM * px_per_mm)


@functools.lru_cache(maxsize=32)
def card_mask(px_per_mm: float) -> NDArray[np.uint8]:
    """255 inside the card's rounded outline, 0 outside (anti-aliased)."""
    width, height = card_size(px_per_mm)
    scale = 4  # draw large and shrink for smooth corners
    mask = np.zeros((height * scale, width * scale), np.uint8)
    r = round(CORNER_RADIUS_MM * px_per_mm * scale)
    cv2.rectangle(mask, (r, 0), (width * scale - r, height * scale), 255, -1)
    cv2.rectangle(mask, (0, r), (width * scale, height * scale - r), 255, -1)
    for x in (r, width * scale - r):
        for y in (r, height * scale - r):
            cv2.circle(mask, (x, y), r, 255, -1)
    shrunk = cv2.resize(mask, (width, height), interpolation=cv2.INTER_AREA)
    return np.asarray(shrunk, dtype=np.uint8)


def render_card(
    identity: Identity, side: Side, card: CardPrint, px_per_mm: float
) -> NDArray[np.uint8]:
    """One side as an RGB image of `card_size`; outside the corners is left unpainted."""
    ppm = px_per_mm
    pixels = card_background(side, card.style.pattern, card_size(ppm)).copy()
    if side is Side.FRONT:
        portrait = card.geometry.front.portrait
        draw_portrait(pixels, portrait, ppm, random.Random(card.style.portrait_seed))
    else:
        draw_emblem(pixels, card.geometry.back.emblem, ppm, rays=12 + card.style.portrait_seed % 12)
    canvas = Image.fromarray(pixels)
    page = _Page(canvas, ppm, _second_script(card.bilingual))
    if side is Side.FRONT:
        _print_front(page, identity, card.style, card.geometry.front)
    else:
        _print_back(page, identity, card.style, card.geometry.back)
    if card.stamp is not None:
        draw_stamp(canvas, card.stamp, ppm)
    return np.asarray(canvas, dtype=np.uint8)


@dataclass(frozen=True)
class _SecondScript:
    """A bilingual card's second script as it is set: face, size, side, word source."""

    script: Script
    face: FontFace
    cap: float  # mm: line height, or column width for a vertical script
    above: bool
    rng: random.Random


def _second_script(bilingual: Bilingual | None) -> _SecondScript | None:
    """How to set the card's second script; None on monolingual cards and when the script's
    font is missing (then the card is printed in Chinese only, never with boxes)."""
    if bilingual is None:
        return None
    script = script_named(bilingual.script)
    face = face_for(script)
    if face is None:
        return None
    rng = random.Random(bilingual.seed)
    return _SecondScript(script, face, rng.uniform(1.5, 1.9), bilingual.above, rng)


class _Page:
    """Sets text on one card canvas in mm, with the second script beside it if the card has
    one: a line above or below the Chinese, or a vertical column beside it."""

    def __init__(self, canvas: Image.Image, ppm: float, second: _SecondScript | None) -> None:
        self.canvas, self.ppm, self.second = canvas, ppm, second

    def text(
        self,
        text: str,
        x: float,
        y: float,
        style: TypeStyle,
        width: float | None = None,
        justify: bool = False,
    ) -> float:
        """Chinese (or digits) from x, centred on y, condensed to `width` (mm); its end (mm)."""
        ppm = self.ppm
        width_px = None if width is None else width * ppm
        return draw_text(self.canvas, text, x * ppm, y * ppm, style, width_px, justify) / ppm

    def label(self, text: str, x: float, y: float, style: TypeStyle, pair: float) -> float:
        """A label, two-character ones spaced out by `pair` em, and its translation."""
        tracking = pair if len(text) == 2 else LABEL_TRACKING
        end = self.text(text, x, y, replace(style, tracking=tracking))
        if self.second is not None:
            translated = label_in(self.second.script, text)
            self.beside(translated, x, end, y, style, room=end - x, before=True)
        return end

    def value(
        self,
        text: str,
        at: tuple[float, float],
        style: TypeStyle,
        width: float | None,
        room: float,
        words: int,
    ) -> float:
        """A value at (x, y), condensed to `width`, and `words` words of the second script
        beside it within `room` mm of x; where the value ends (mm)."""
        x, y = at
        end = self.text(text, x, y, style, width)
        if self.second is not None and words:
            # A vertical column has room for a word; a line for several.
            count = 1 if self.second.script.vertical else words
            said = phrase(self.second.script, self.second.rng, count)
            self.beside(said, x, end, y, style, room=room, before=False)
        return end

    def beside(
        self,
        text: str,
        x: float,
        end: float,
        y: float,
        chinese: TypeStyle,
        room: float,
        before: bool,
    ) -> None:
        """The second script for the Chinese set from x to end on row y: a line above or
        below it within `room` mm, or a column before (labels) or after (values) it."""
        second = self.second
        if second is None or room <= 0:
            return
        if not second.script.vertical:
            offset = chinese.cap_px / self.ppm / 2 + 0.35 + second.cap / 2
            self.line(text, x, y - offset if second.above else y + offset, room, chinese.color)
            return
        mask = script_mask(text, second.script, second.face, second.cap * self.ppm, 5.4 * self.ppm)
        left = (x - 0.5) * self.ppm - mask.width if before else (end + 0.8) * self.ppm
        if before or left + mask.width <= (x + room) * self.ppm:
            self._paste(mask, left, y * self.ppm - mask.height / 2, chinese.color)

    def line(
        self, text: str, x: float, y: float, room: float, color: RGB, centred: bool = False
    ) -> None:
        """A line of the second script from x (or centred in `room` from x), centred on y,
        squeezed into `room` (mm)."""
        second = self.second
        if second is None:
            return
        ppm = self.ppm
        mask = script_mask(text, second.script, second.face, second.cap * ppm, room * ppm)
        left = x * ppm + ((room * ppm - mask.width) / 2 if centred else 0)
        self._paste(mask, left, y * ppm - mask.height / 2, color)

    def _paste(self, mask: Image.Image, left: float, top: float, color: RGB) -> None:
        x, y = round(left), round(top)
        self.canvas.paste(color, (x, y, x + mask.width, y + mask.height), mask)


def _styles(
    style: CardStyle, label_cap: float, value_cap: float, ppm: float
) -> tuple[TypeStyle, TypeStyle]:
    """(label, value) type styles at the given cap heights (mm)."""
    label = TypeStyle(style.faces, label_cap * ppm, style.label_color)
    return label, TypeStyle(style.faces, value_cap * ppm, style.value_color)


def _print_front(page: _Page, identity: Identity, style: CardStyle, g: FrontGeometry) -> None:
    """Labels, values, the birth date in parts, the wrapped address and the number."""
    label, value = _styles(style, g.label_cap, g.value_cap, page.ppm)
    limit = g.portrait.x0 - PORTRAIT_CLEARANCE_MM
    for text, y in (("姓名", g.name_y), ("性别", g.sex_y), ("出生", g.birth_y)):
        page.label(text, g.label_x, y, label, g.label_pair_tracking)
    page.label("住址", g.label_x, g.address_y[0], label, g.label_pair_tracking)
    name_room = limit - g.name_x
    page.value(identity.name, (g.name_x, g.name_y), value, name_room, name_room, 2)
    sex_room = g.nation_label_x - 3.5 - g.sex_x
    page.value(identity.sex, (g.sex_x, g.sex_y), value, None, sex_room, 1)
    label_end = page.label("民族", g.nation_label_x, g.sex_y, label, g.label_pair_tracking)
    nation_x = label_end + g.nation_gap
    page.value(identity.nation, (nation_x, g.sex_y), value, limit - nation_x, limit - nation_x, 1)
    _print_birth(page, identity.birth, g, value, limit)
    _print_address(page, identity.address, g, value, limit)
    _print_number(page, identity.id_number, g, label, style)


def _print_birth(
    page: _Page, birth: date, g: FrontGeometry, value: TypeStyle, limit: float
) -> None:
    """`1995 年 5 月 13 日`: month and day centred in two-digit slots, the gaps the card's
    own, closed up evenly when the row would run into the portrait."""
    parts = (str(birth.year), "年", str(birth.month), "月", str(birth.day), "日")
    widths = [text_width(part, value) / page.ppm for part in parts]
    two_digits = text_width("00", value) / page.ppm
    slots = [max(w, two_digits) if p.isdigit() else w for p, w in zip(parts, widths, strict=True)]
    room = limit - g.birth_x - sum(slots)
    squeeze = min(1.0, max(room, 0.0) / sum(g.birth_gaps))
    x = g.birth_x
    for part, slot, width, gap in zip(parts, slots, widths, (*g.birth_gaps, 0.0), strict=True):
        page.text(part, x + (slot - width) / 2, g.birth_y, value)
        x += slot + gap * squeeze


def _print_address(
    page: _Page, address: str, g: FrontGeometry, value: TypeStyle, limit: float
) -> None:
    """The address wrapped every `address_chars` characters, at most three lines, and on a
    bilingual card a line of the second script above the first or below the last."""
    per_line = g.address_chars
    width = min(per_line * g.address_pitch, limit - g.address_x)
    lines = [address[i : i + per_line] for i in range(0, len(address), per_line)][:3]
    for line, y in zip(lines, g.address_y, strict=False):
        page.text(line, g.address_x, y, value, width)
    second = page.second
    if second is None or second.script.vertical or not lines:
        return
    y = g.address_y[0] if second.above else g.address_y[len(lines) - 1]
    said = phrase(second.script, second.rng, second.rng.randint(3, 6))
    page.beside(said, g.address_x, g.address_x + width, y, value, room=width, before=False)


def _print_number(
    page: _Page, number: str, g: FrontGeometry, label: TypeStyle, style: CardStyle
) -> None:
    """The number label and the number spread over its width, clear of a long label."""
    label_end = page.label(g.number_label, g.label_x, g.number_y, label, g.label_pair_tracking)
    x = max(g.number_x, label_end + 1.5)
    digits = TypeStyle(number_faces(), g.number_cap * page.ppm, style.value_color)
    width = min(g.number_width, NUMBER_RIGHT_LIMIT_MM - x)
    page.text(number, x, g.number_y, digits, width, justify=True)


def _print_back(page: _Page, identity: Identity, style: CardStyle, g: BackGeometry) -> None:
    """Titles (with the second script's line under each), labels and the two values."""
    label, value = _styles(style, g.label_cap, g.value_cap, page.ppm)
    second = page.second
    for box, text in ((g.title_country, "中华人民共和国"), (g.title_card, "居民身份证")):
        title = TypeStyle(bold_faces(), box.height * 0.8 * page.ppm, style.value_color)
        page.text(text, box.x0, box.cy, title, box.x1 - box.x0, justify=True)
        if second is not None and not second.script.vertical:
            y = box.y1 + 0.35 + second.cap / 2
            translated = label_in(second.script, text)
            page.line(translated, box.x0, y, box.x1 - box.x0, title.color, centred=True)
    validity = format_validity(identity.valid_start, identity.valid_end)
    for text, content, y, words in (
        ("签发机关", identity.authority, g.authority_y, 3),
        ("有效期限", validity, g.validity_y, 0),
    ):
        x = page.label(text, g.label_x, y, label, 0.0) + g.value_gap
        room = BACK_VALUE_RIGHT_MM - x
        page.value(content, (x, y), value, room, room, words)
