"""Doubt where the photo washed a line's ink out: a lamp's glare on the laminate, a
reflection, a fold.

The recogniser reads what it sees there surely, and a caller cannot tell: under glare,
`天津市和平区顺城街道天心小区` read `…街道天区`, and `复兴门外大街` read `复兴门外人街`, every
character at 90 or more. Two signs show where, on the fields printed solid (the address;
the name for the second, as some cards print names spaced out):

- a gap wider than a character between two characters read, or between the last one read
  and where the detector saw the line's text end (when the crop was not cut short at the
  portrait, where other boxes may run on), with next to no ink left in it: characters there
  went unread, and those beside the gap carry doubt (`beside_unread`);
- a character printed much fainter than the rest of its line: what it was read as carries
  doubt (`faded`).

Either way the characters keep what they read, with only `WASHED` belief: nothing is made
up or taken away, and a person can look.
"""

from __future__ import annotations

from itertools import pairwise

import cv2
import numpy as np

from idcard_ocr.card.layout import VALUE_SIZE_MM
from idcard_ocr.ocr import CharReading, LineReading
from idcard_ocr.vision.fields import TAIL_MM, Crop

WASHED = 0.5  # the belief left in a character beside or under washed-out ink
GAPLESS = frozenset({"address"})  # fields printed without gaps
EVEN_INK = frozenset({"address", "name"})  # fields printed in one ink
# Centre to centre, two characters one pitch apart are VALUE_SIZE_MM apart, and with one
# character unread between them, twice that; half-width digits only bring them closer.
INNER_GAP = 1.7 * VALUE_SIZE_MM
# From the last character's centre to the end of the detected text: half a character, and
# one more for each character unread there.
END_GAP = 1.4 * VALUE_SIZE_MM
# A character whose ink stands out from the paper less than this share of its line's
# typical character is faded. Shade and uneven light dim paper and ink alike; glare lifts
# the ink towards the paper's white.
FADED = 0.5
# A stretch read as nothing is washed out when its ink stands out less than this share of
# the line's typical character: glare leaves next to nothing there (a fifth, on a real
# photo under a lamp), where a red line painted out of the crop leaves more (0.45).
UNREAD_INK = 0.35
# The rows of a crop its own line's ink is measured in: not the edges, where the lines
# above and below reach in.
BAND = (0.15, 0.85)
MIN_CHARS = 3  # a line's typical ink needs a few characters to go by


def washed_out(crop: Crop, image: np.ndarray, reading: LineReading) -> LineReading:
    """`reading` of `crop` (whose pixels are `image`), doubted where its ink washed out."""
    if crop.field not in GAPLESS | EVEN_INK:
        return reading
    ink = _Ink(crop, image)  # measured once for both signs
    return _faded(crop, ink, _beside_unread(crop, ink, reading))


def beside_unread(crop: Crop, image: np.ndarray, reading: LineReading) -> LineReading:
    """`reading` of `crop` (whose pixels are `image`), its characters beside an unread
    stretch believed at most WASHED.

    A stretch whose ink stands out as well as the line's characters do holds no washed-out
    text but something the recogniser saw and read as none (another document's lines, a
    mark), and is no such stretch."""
    return _beside_unread(crop, _Ink(crop, image), reading)


def _beside_unread(crop: Crop, ink: _Ink, reading: LineReading) -> LineReading:
    if crop.field not in GAPLESS:
        return reading
    centres = _centres(crop, reading)
    value = _in_value(crop, centres)
    typical = ink.typical(reading, centres, value)
    half = VALUE_SIZE_MM / 2

    def washed(x0: float, x1: float) -> bool:
        contrast = ink.contrast(x0, x1)
        return typical is None or contrast is None or contrast < UNREAD_INK * typical

    doubted = set()
    for i, j in pairwise(value):
        if centres[j] - centres[i] > INNER_GAP and washed(centres[i] + half, centres[j] - half):
            doubted |= {i, j}
    if value and crop.ends_text:
        last, end = centres[value[-1]], crop.x1 - TAIL_MM
        if end - last > END_GAP and washed(last + half, end):
            doubted.add(value[-1])
    return _doubted(reading, doubted)


def faded(crop: Crop, image: np.ndarray, reading: LineReading) -> LineReading:
    """`reading` of `crop`, its characters printed much fainter than the rest of the line
    believed at most WASHED."""
    return _faded(crop, _Ink(crop, image), reading)


def _faded(crop: Crop, ink: _Ink, reading: LineReading) -> LineReading:
    if crop.field not in EVEN_INK:
        return reading
    centres = _centres(crop, reading)
    value = _in_value(crop, centres)
    typical = ink.typical(reading, centres, value)
    if typical is None:
        return reading
    return _doubted(
        reading,
        {
            i
            for i in _measured(reading, value)
            if (contrast := ink.around(centres[i])) is not None and contrast < FADED * typical
        },
    )


class _Ink:
    """How far a crop's ink stands out from its paper, stretch by stretch of its line."""

    def __init__(self, crop: Crop, image: np.ndarray) -> None:
        gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.size else np.zeros((0, 0))
        height, width = gray.shape[:2]
        self._band = gray[int(BAND[0] * height) : int(BAND[1] * height) + 1]
        self._x0 = crop.x0
        self._px_per_mm = width / max(crop.x1 - crop.x0, 1e-6)

    def contrast(self, x0: float, x1: float) -> float | None:
        """Paper less ink (grey levels) from x0 to x1 mm on the card; None if no pixels."""
        first = max(0, int((x0 - self._x0) * self._px_per_mm))
        last = min(self._band.shape[1], int((x1 - self._x0) * self._px_per_mm) + 1)
        span = self._band[:, first:last]
        if not span.size:
            return None
        paper, ink = np.percentile(span, (90, 3))
        return float(paper - ink)

    def around(self, centre: float) -> float | None:
        """The contrast of the character centred at `centre` mm."""
        return self.contrast(centre - 0.45 * VALUE_SIZE_MM, centre + 0.45 * VALUE_SIZE_MM)

    def typical(self, reading: LineReading, centres: list[float], value: list[int]) -> float | None:
        """The line's typical character's contrast; None with too few characters to tell."""
        found = [c for i in _measured(reading, value) if (c := self.around(centres[i])) is not None]
        return float(np.median(found)) if len(found) >= MIN_CHARS else None


def _measured(reading: LineReading, value: list[int]) -> list[int]:
    """The value's characters whose ink is measured: a mark (a name's dot) has too little
    ink to measure against the characters."""
    return [i for i in value if reading.chars[i].char.isalnum()]


def _centres(crop: Crop, reading: LineReading) -> list[float]:
    """Each character's centre, in mm on the card."""
    return [crop.at(c.x) for c in reading.chars]


def _in_value(crop: Crop, centres: list[float]) -> list[int]:
    """The characters from the value's printed start on: those before it are the end of
    its label (住址), which a gap rightly follows and whose ink may differ."""
    return [i for i, x in enumerate(centres) if x >= crop.value_x]


def _doubted(reading: LineReading, doubted: set[int]) -> LineReading:
    if not doubted:
        return reading
    return LineReading(
        tuple(
            CharReading(c.char, min(c.prob, WASHED), c.alternatives, c.x) if i in doubted else c
            for i, c in enumerate(reading.chars)
        )
    )
