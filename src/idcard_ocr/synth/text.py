"""Setting one line of text on the card: glyph fallback across faces, sizing by cap height,
letter spacing, and condensing a line that would overrun its space."""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from idcard_ocr.synth.fonts import FontFace, has_glyph, ink_box, load, size_for_cap_height


@dataclass(frozen=True)
class TypeStyle:
    """How a line is set: faces in order of preference, cap height in px, RGB ink."""

    faces: tuple[FontFace, ...]
    cap_px: float
    color: tuple[int, int, int]
    tracking: float = 0.0  # extra space after each character, in em


def _face_for(char: str, faces: tuple[FontFace, ...]) -> FontFace:
    """The first face that has the glyph, so the printed text is always the labelled text."""
    return next((face for face in faces if has_glyph(face, char)), faces[0])


def _advances(text: str, style: TypeStyle) -> tuple[list[ImageFont.FreeTypeFont], list[float]]:
    """Each character's font (after fallback) and advance, at the style's size."""
    size = size_for_cap_height(style.faces[0], style.cap_px)
    fonts = [load(_face_for(char, style.faces), size) for char in text]
    return fonts, [font.getlength(char) for font, char in zip(fonts, text, strict=True)]


def text_width(text: str, style: TypeStyle) -> float:
    """The width in px `draw_text` gives `text` when it has room (no condensing, no justify)."""
    if not text:
        return 0.0
    _, advances = _advances(text, style)
    size = size_for_cap_height(style.faces[0], style.cap_px)
    return sum(advances) + style.tracking * size * (len(text) - 1)


def _line_mask(text: str, style: TypeStyle, width: float | None, justify: bool) -> Image.Image:
    """The line as an 8-bit coverage mask whose row `ascent` is the baseline."""
    size = size_for_cap_height(style.faces[0], style.cap_px)
    fonts, advances = _advances(text, style)
    gap = style.tracking * size
    natural = sum(advances) + gap * (len(text) - 1)
    if justify and width is not None and len(text) > 1 and natural < width:
        gap += (width - natural) / (len(text) - 1)
    ascent, descent = fonts[0].getmetrics()
    mask = Image.new(
        "L", (max(round(sum(advances) + gap * (len(text) - 1)) + 2, 1), ascent + descent)
    )
    draw = ImageDraw.Draw(mask)
    x = 0.0
    for font, char, advance in zip(fonts, text, advances, strict=True):
        draw.text((x, ascent), char, fill=255, font=font, anchor="ls")
        x += advance + gap
    if width is not None and mask.width > width:
        mask = mask.resize((max(round(width), 1), mask.height), Image.Resampling.BILINEAR)
    return mask


def draw_text(
    canvas: Image.Image,
    text: str,
    x: float,
    y_center: float,
    style: TypeStyle,
    width: float | None = None,
    justify: bool = False,
) -> float:
    """Set `text` from `x`, its ideographs centred on `y_center`, condensed to fit `width`;
    the x (px) where the line ends, for placing what follows it.

    With `justify`, the letter spacing grows so the line fills `width` exactly.
    """
    if not text:
        return x
    mask = _line_mask(text, style, width, justify)
    size = size_for_cap_height(style.faces[0], style.cap_px)
    top, bottom = ink_box(style.faces[0])
    ascent = load(style.faces[0], size).getmetrics()[0]
    y0 = round(y_center - (top + bottom) / 2 * size) - ascent
    x0 = round(x)
    canvas.paste(style.color, (x0, y0, x0 + mask.width, y0 + mask.height), mask)
    return float(x0 + mask.width)
