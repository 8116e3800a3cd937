"""The fonts cards are printed in: installed CJK heiti faces, a bold face for the titles and
an OCR-B face for the number, found once with fontconfig and cached with their metrics."""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

# (family, style) in order of preference; each is shipped by the Debian package named.
CJK_FAMILIES = (
    ("Noto Sans CJK SC", "Regular"),  # fonts-noto-cjk
    ("WenQuanYi Micro Hei", "Regular"),  # fonts-wqy-microhei
    ("WenQuanYi Zen Hei", "Regular"),  # fonts-wqy-zenhei
)
BOLD_FAMILIES = (("Noto Sans CJK SC", "Bold"),)
NUMBER_FAMILIES = (("OCR B", "Regular"), ("DejaVu Sans Mono", "Book"))
CJK_PACKAGES = "fonts-noto-cjk, fonts-wqy-microhei or fonts-wqy-zenhei"
# Where Debian puts them, for hosts without fc-list.
_NOTO = "/usr/share/fonts/truetype/noto"  # fonts-noto-core
KNOWN_FILES = {
    ("Noto Sans CJK SC", "Regular"): ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("Noto Sans CJK SC", "Bold"): ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("WenQuanYi Micro Hei", "Regular"): ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("WenQuanYi Zen Hei", "Regular"): ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("OCR B", "Regular"): ("/usr/share/fonts/opentype/ocr-b/OCRB.otf", 0),
    ("DejaVu Sans Mono", "Book"): ("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 0),
    ("DejaVu Sans", "Book"): ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    ("Noto Sans CJK KR", "Regular"): ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 1),
    ("Noto Sans", "Regular"): (f"{_NOTO}/NotoSans-Regular.ttf", 0),
    ("Noto Sans Arabic", "Regular"): (f"{_NOTO}/NotoSansArabic-Regular.ttf", 0),
    ("Noto Sans Mongolian", "Regular"): (f"{_NOTO}/NotoSansMongolian-Regular.ttf", 0),
    ("Noto Sans Yi", "Regular"): (f"{_NOTO}/NotoSansYi-Regular.ttf", 0),
    ("Noto Serif Tibetan", "Regular"): (f"{_NOTO}/NotoSerifTibetan-Regular.ttf", 0),
}
# A code point no font here maps: what it renders is the font's "missing glyph" box.
_UNMAPPED = "\U0010fffd"
_PROBE_SIZE = 32


class FontNotFoundError(RuntimeError):
    """No usable font of a kind is installed."""


@dataclass(frozen=True)
class FontFace:
    """One face of a font file (an index into a .ttc collection)."""

    path: str
    index: int
    family: str


@functools.cache
def _installed() -> dict[tuple[str, str], FontFace]:
    """Every installed (family, style), from fc-list, else from Debian's known paths."""
    faces: dict[tuple[str, str], FontFace] = {}
    if shutil.which("fc-list"):
        listing = subprocess.run(
            ["fc-list", "-f", "%{file}|%{index}|%{family}|%{style}\n"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        for line in sorted(listing.splitlines()):
            path, number, families, styles = [*line.split("|"), "", "", ""][:4]
            for family in families.split(","):
                key = (family, styles.split(",")[0])
                faces.setdefault(key, FontFace(path, int(number or 0), family))
    for key, (path, index) in KNOWN_FILES.items():
        if key not in faces and Path(path).is_file():
            faces[key] = FontFace(path, index, key[0])
    return faces


def _pick(wanted: tuple[tuple[str, str], ...]) -> tuple[FontFace, ...]:
    installed = _installed()
    return tuple(installed[key] for key in wanted if key in installed)


@functools.cache
def cjk_faces() -> tuple[FontFace, ...]:
    """The installed heiti faces cards are printed in; at least one, or a clear error."""
    faces = _pick(CJK_FAMILIES)
    if not faces:
        raise FontNotFoundError(f"no CJK font found: install the Debian package {CJK_PACKAGES}")
    return faces


@functools.cache
def bold_faces() -> tuple[FontFace, ...]:
    """Faces for the back's titles: a bold heiti when installed, then the regular ones."""
    return _pick(BOLD_FAMILIES) + cjk_faces()


@functools.cache
def number_faces() -> tuple[FontFace, ...]:
    """Faces for the number: OCR-B (Debian's fonts-ocr-b), else a monospace, then CJK."""
    return _pick(NUMBER_FAMILIES) + cjk_faces()


@functools.cache
def first_face(families: tuple[tuple[str, str], ...], probe: str) -> FontFace | None:
    """The first installed face of `families` that draws `probe`; None when none does."""
    return next((face for face in _pick(families) if has_glyph(face, probe)), None)


@functools.lru_cache(maxsize=512)
def load(face: FontFace, size: int) -> ImageFont.FreeTypeFont:
    """The face at a pixel size, loaded once."""
    return ImageFont.truetype(face.path, max(size, 1), index=face.index)


@functools.lru_cache(maxsize=4096)
def has_glyph(face: FontFace, char: str) -> bool:
    """Whether the face draws `char` itself rather than its missing-glyph box."""
    if char.isspace():
        return True
    font = load(face, _PROBE_SIZE)

    def drawn(c: str) -> tuple[object, bytes]:
        return font.getbbox(c), bytes(font.getmask(c))

    return drawn(char) != drawn(_UNMAPPED)


@functools.cache
def reference_char(face: FontFace) -> str:
    """The glyph whose ink height is the type size: a CJK ideograph, or a digit."""
    return "国" if has_glyph(face, "国") else "0"


@functools.cache
def ink_box(face: FontFace) -> tuple[float, float]:
    """Top and bottom of the reference glyph's ink relative to the baseline, per pixel of size."""
    _, top, _, bottom = load(face, 100).getbbox(reference_char(face), anchor="ls")
    return top / 100, bottom / 100


def size_for_cap_height(face: FontFace, cap_px: float) -> int:
    """The pixel size at which the face's reference glyph is `cap_px` tall."""
    top, bottom = ink_box(face)
    return max(round(cap_px / (bottom - top)), 1)
