"""Bank cards: the ID card's size and rounded corners, a bank's colours and logo block, a chip,
a 16-19 digit UnionPay number (Luhn-valid) and the holder's pinyin name in embossed-looking
characters, a valid-thru date. What an ID card reader must refuse although it looks close."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from idcard_ocr.card.layout import CARD_HEIGHT_MM, CARD_WIDTH_MM
from idcard_ocr.synth.documents import Document
from idcard_ocr.synth.fonts import bold_faces, cjk_faces, number_faces
from idcard_ocr.synth.render import card_mask
from idcard_ocr.synth.text import TypeStyle, draw_text

Picture = NDArray[np.uint8]
RGB = tuple[int, int, int]
# (Chinese name, English name, dark colour, light colour) of a few banks' card faces.
BANKS: tuple[tuple[str, str, RGB, RGB], ...] = (
    ("中国工商银行", "INDUSTRIAL AND COMMERCIAL BANK OF CHINA", (170, 20, 30), (225, 70, 60)),
    ("中国建设银行", "CHINA CONSTRUCTION BANK", (10, 60, 140), (60, 130, 200)),
    ("中国农业银行", "AGRICULTURAL BANK OF CHINA", (0, 110, 90), (70, 170, 140)),
    ("中国银行", "BANK OF CHINA", (150, 20, 40), (200, 160, 120)),
    ("招商银行", "CHINA MERCHANTS BANK", (180, 20, 30), (240, 200, 190)),
    ("交通银行", "BANK OF COMMUNICATIONS", (20, 50, 110), (150, 170, 200)),
    ("浦发银行", "SHANGHAI PUDONG DEVELOPMENT BANK", (20, 40, 90), (200, 170, 90)),
    ("中信银行", "CHINA CITIC BANK", (160, 30, 40), (40, 40, 40)),
)
SURNAMES = ("ZHANG", "WANG", "LI", "LIU", "CHEN", "YANG", "HUANG", "ZHAO", "WU", "ZHOU", "XU")
GIVEN = ("WEI", "FANG", "NA", "MIN", "JING", "QIANG", "LEI", "JUN", "YANG", "YONG", "XIUYING")


@dataclass(frozen=True)
class BankCardFace:
    """What one bank card shows."""

    bank: str
    english: str
    dark: RGB
    light: RGB
    number: str  # grouped as printed
    holder: str
    valid_thru: str
    chinese_valid: bool  # 有效期 instead of VALID THRU


def luhn_complete(partial: str) -> str:
    """`partial` with the Luhn check digit card numbers end in appended."""
    total = 0
    for i, char in enumerate(reversed(partial)):
        digit = int(char) * (2 if i % 2 == 0 else 1)
        total += digit - 9 if digit > 9 else digit
    return partial + str((10 - total % 10) % 10)


def random_bank_card(rng: random.Random) -> Document:
    """A bank card of one of `BANKS`, photographable like an ID card."""
    face = random_face(rng)
    return Document((CARD_WIDTH_MM, CARD_HEIGHT_MM), lambda ppm: _draw(face, ppm))


def random_face(rng: random.Random) -> BankCardFace:
    """What a random bank card shows: a bank, a UnionPay number, a holder, a date."""
    bank, english, dark, light = rng.choice(BANKS)
    length = rng.choice((16, 16, 19))
    digits = luhn_complete("62" + "".join(str(rng.randrange(10)) for _ in range(length - 3)))
    return BankCardFace(
        bank=bank,
        english=english,
        dark=dark,
        light=light,
        number=" ".join(digits[i : i + 4] for i in range(0, length, 4)),
        holder=f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}",
        valid_thru=f"{rng.randint(1, 12):02d}/{rng.randint(25, 34)}",
        chinese_valid=rng.random() < 0.3,
    )


def _draw(face: BankCardFace, ppm: float) -> tuple[Picture, Picture]:
    """The card at `ppm` px per mm as BGR, and the card outline's mask."""
    width, height = round(CARD_WIDTH_MM * ppm), round(CARD_HEIGHT_MM * ppm)
    across = np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
    down = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    t = np.clip(across * 0.7 + down * 0.3, 0, 1)
    wash = np.asarray(face.dark, np.float32) * (1 - t) + np.asarray(face.light, np.float32) * t
    canvas = Image.fromarray(wash.astype(np.uint8))
    draw = ImageDraw.Draw(canvas)
    for i in range(6):  # decorative arcs
        r = (20 + 9 * i) * ppm
        box = (width * 0.75 - r, height * 1.1 - r, width * 0.75 + r, height * 1.1 + r)
        draw.ellipse(box, outline=(255, 255, 255), width=max(round(0.3 * ppm), 1))
    _print_face(canvas, face, ppm)
    bgr = np.ascontiguousarray(np.asarray(canvas, np.uint8)[..., ::-1])
    return bgr, card_mask(ppm)


def _print_face(canvas: Image.Image, face: BankCardFace, ppm: float) -> None:
    """Logo and bank name, chip, embossed number, validity, holder and the UnionPay block."""
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((5 * ppm, 4 * ppm, 14 * ppm, 13 * ppm), fill=(250, 250, 250))
    draw.ellipse((7 * ppm, 6 * ppm, 12 * ppm, 11 * ppm), fill=face.dark)
    white = (250, 250, 250)
    draw_text(canvas, face.bank, 16 * ppm, 7.5 * ppm, TypeStyle(bold_faces(), 3.6 * ppm, white))
    latin = TypeStyle(number_faces(), 1.3 * ppm, white)
    draw_text(canvas, face.english, 16 * ppm, 11.5 * ppm, latin, 50 * ppm)
    draw.rounded_rectangle(
        (9 * ppm, 18 * ppm, 20 * ppm, 26.5 * ppm), radius=1.2 * ppm, fill=(200, 170, 90)
    )
    for y in (20.5, 22.2, 24.0):
        draw.line((9 * ppm, y * ppm, 20 * ppm, y * ppm), fill=(150, 120, 60), width=1)
    _emboss(canvas, face.number, 8, 34, 4.0, ppm, 70)
    label = "有效期" if face.chinese_valid else "VALID THRU"
    small = TypeStyle(cjk_faces(), 1.4 * ppm, white)
    end = draw_text(canvas, label, 30 * ppm, 41 * ppm, small)
    _emboss(canvas, face.valid_thru, end / ppm + 1.5, 41, 2.6, ppm, None)
    _emboss(canvas, face.holder, 8, 47.5, 2.8, ppm, None)
    for i, color in enumerate(((220, 30, 40), (20, 60, 150), (0, 130, 110))):
        x = (62 + i * 5.5) * ppm
        draw.polygon(
            [
                (x + 1.5 * ppm, 42 * ppm),
                (x + 7 * ppm, 42 * ppm),
                (x + 5.5 * ppm, 51 * ppm),
                (x, 51 * ppm),
            ],
            fill=color,
        )
    draw_text(canvas, "银联", 65 * ppm, 45 * ppm, TypeStyle(bold_faces(), 2.4 * ppm, white))
    draw_text(canvas, "UnionPay", 64 * ppm, 49 * ppm, TypeStyle(number_faces(), 1.6 * ppm, white))


def _emboss(
    canvas: Image.Image, text: str, x: float, y: float, cap: float, ppm: float, width: float | None
) -> None:
    """Raised characters: a dark shadow below right, a light edge above left, silver face."""
    faces = number_faces()
    for dx, dy, color in ((0.25, 0.25, (40, 40, 40)), (-0.12, -0.12, (255, 255, 255))):
        style = TypeStyle(faces, cap * ppm, color)
        draw_text(canvas, text, (x + dx) * ppm, (y + dy) * ppm, style, _px(width, ppm), True)
    silver = TypeStyle(faces, cap * ppm, (215, 215, 205))
    draw_text(canvas, text, x * ppm, y * ppm, silver, _px(width, ppm), True)


def _px(mm: float | None, ppm: float) -> float | None:
    return None if mm is None else mm * ppm
