"""Marks over the print that are part of no field: the red 样证 stamp of specimen cards, and
the `仅供…使用` line people write or stamp across a card's photocopy."""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageDraw

from idcard_ocr.synth.fonts import bold_faces, cjk_faces, load, size_for_cap_height

RGB = tuple[int, int, int]
STAMP_TEXT = "样证"
# Where specimen cards carry the stamp: left of the address's last line, over the label column.
STAMP_LEFT_MM = (6.0, 9.5)
STAMP_CENTRE_Y_MM = (37.5, 41.5)
# What photocopies are marked for: `仅供{use}使用` and `仅供办理{business}业务使用`.
_USES = ("入职登记", "银行开户", "社保办理", "贷款审核", "租房登记", "签证申请", "公司存档")
_BUSINESSES = ("银行开户", "社保", "手机卡", "贷款", "公积金", "宽带", "快递")


@dataclass(frozen=True)
class Stamp:
    """A specimen stamp on the card: its box (mm), turn, ink and how it is inked."""

    text: str
    left: float
    centre_y: float
    width: float
    height: float
    angle: float  # degrees, counter-clockwise
    color: RGB
    opacity: float
    hollow: bool  # outlined characters, as some specimen cards print them
    seed: int  # of the patchy inking


@dataclass(frozen=True)
class Overlay:
    """A line written across a photocopy: text, centre on the card (mm), size, turn, ink."""

    text: str
    centre_x: float
    centre_y: float
    cap: float  # mm
    angle: float  # degrees, counter-clockwise
    color: tuple[int, int, int]  # BGR, drawn on the photographed picture
    opacity: float


def random_stamp(rng: random.Random) -> Stamp:
    """A red 样证 of about 9 x 5 mm left of the address's last line."""
    return Stamp(
        text=STAMP_TEXT,
        left=rng.uniform(*STAMP_LEFT_MM),
        centre_y=rng.uniform(*STAMP_CENTRE_Y_MM),
        width=rng.uniform(8.5, 11.0),
        height=rng.uniform(4.5, 5.8),
        angle=rng.uniform(-6.0, 6.0),
        color=(rng.randint(200, 240), rng.randint(30, 80), rng.randint(40, 90)),
        opacity=rng.uniform(0.65, 0.95),
        hollow=rng.random() < 0.4,
        seed=rng.getrandbits(32),
    )


def random_overlay(rng: random.Random) -> Overlay:
    """`仅供XX使用` or `仅供办理XX业务使用` in grey, black or red, often turned."""
    if rng.random() < 0.6:
        text = f"仅供{rng.choice(_USES)}使用"
    else:
        text = f"仅供办理{rng.choice(_BUSINESSES)}业务使用"
    ink = rng.choice(("grey", "black", "red"))
    color = {"grey": (110, 110, 110), "black": (30, 30, 30), "red": (40, 40, 215)}[ink]
    return Overlay(
        text=text,
        centre_x=rng.uniform(25.0, 65.0),
        centre_y=rng.uniform(15.0, 42.0),
        cap=rng.uniform(3.5, 6.0),
        angle=rng.choice((0.0, rng.uniform(-35.0, 35.0))),
        color=color,
        opacity=rng.uniform(0.35, 0.7) if ink != "black" else rng.uniform(0.25, 0.45),
    )


def draw_stamp(canvas: Image.Image, stamp: Stamp, px_per_mm: float) -> None:
    """Ink the stamp over what is printed: red multiplies what is under it, as ink does."""
    mask = _stamp_mask(stamp, px_per_mm)
    x0 = round(stamp.left * px_per_mm)
    y0 = round(stamp.centre_y * px_per_mm - mask.shape[0] / 2)
    x1, y1 = min(x0 + mask.shape[1], canvas.width), min(y0 + mask.shape[0], canvas.height)
    region = np.asarray(canvas.crop((x0, y0, x1, y1)), np.float32)
    alpha = mask[: y1 - y0, : x1 - x0, None] * np.float32(stamp.opacity / 255)
    tint = np.asarray(stamp.color, np.float32) / 255
    region *= 1 - alpha + alpha * tint
    canvas.paste(Image.fromarray(region.astype(np.uint8)), (x0, y0))


def _stamp_mask(stamp: Stamp, px_per_mm: float) -> NDArray[np.float32]:
    """The stamp's characters as coverage in [0, 255], spread over its box, patchy and turned."""
    face = bold_faces()[0]
    font = load(face, size_for_cap_height(face, stamp.height * px_per_mm))
    size = (max(round(stamp.width * px_per_mm), 2), max(round(stamp.height * px_per_mm * 1.4), 2))
    image = Image.new("L", size)
    draw = ImageDraw.Draw(image)
    step = size[0] / len(stamp.text)
    stroke = max(round(px_per_mm * 0.25), 1)
    for i, char in enumerate(stamp.text):
        centre = ((i + 0.5) * step, size[1] / 2)
        draw.text(centre, char, fill=255, font=font, anchor="mm", stroke_width=stroke)
        if stamp.hollow:
            draw.text(centre, char, fill=0, font=font, anchor="mm")
    turned = image.rotate(stamp.angle, resample=Image.Resampling.BILINEAR, expand=True)
    # Patchy coverage in [0.35, 1], where a rubber stamp takes less ink.
    patches = np.random.default_rng(stamp.seed).random((6, 12), dtype=np.float32)
    patchy = Image.fromarray(np.clip(0.35 + patches * 1.2, 0.35, 1.0))
    patchy = patchy.resize(turned.size, Image.Resampling.BILINEAR)
    return np.asarray(turned, np.float32) * np.asarray(patchy, np.float32)


def overlay_mask(
    overlay: Overlay, px_per_mm: float, size: tuple[int, int], margin: int
) -> NDArray[np.uint8]:
    """The overlay's coverage (0-255) on a canvas of `size` (width, height) px whose origin is
    `margin` px above and left of the card's corner: the line may run past the card's edges."""
    face = cjk_faces()[0]
    font = load(face, size_for_cap_height(face, overlay.cap * px_per_mm))
    left, top, right, bottom = (round(v) for v in font.getbbox(overlay.text))
    line = Image.new("L", (right - left + 4, bottom - top + 4))
    ImageDraw.Draw(line).text((2 - left, 2 - top), overlay.text, fill=255, font=font)
    turned = line.rotate(overlay.angle, resample=Image.Resampling.BILINEAR, expand=True)
    canvas = Image.new("L", size)
    x = round(overlay.centre_x * px_per_mm + margin - turned.width / 2)
    y = round(overlay.centre_y * px_per_mm + margin - turned.height / 2)
    canvas.paste(turned, (x, y))
    return np.asarray(canvas, np.uint8)
