"""`CardReader`: photo bytes in, the fields of one side of an ID card out.

decode -> detect text over the photo -> find and rectify the card -> detect its lines ->
decide side and turn -> recognise the field crops -> assemble and validate the fields.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from idcard_ocr.card.model import CardResult, Side
from idcard_ocr.errors import NotAnIdCard, NoTextFound
from idcard_ocr.ocr import LineReading, OcrModels, TextDetector, TextRecognizer
from idcard_ocr.ocr.detector import DetectedText
from idcard_ocr.vision import orient
from idcard_ocr.vision.assemble import assemble, well_formed
from idcard_ocr.vision.decode import decode
from idcard_ocr.vision.fields import Crop, back_crops, front_crops
from idcard_ocr.vision.geometry import rotate_corners, warp_card
from idcard_ocr.vision.lines import Line, lines_from_quads
from idcard_ocr.vision.locate import find_card

READ_PX_PER_MM = 16.0  # the rectified card the crops are cut from: 1370 x 864 px
PHOTO_DET_SIDE = 640
CARD_DET_SIDE = 704
MIN_HYPOTHESIS_SCORE = 0.15
MIN_LINES = 6  # a card shows at least this many text lines
SIDE_NAMES = {Side.FRONT: "front (portrait side)", Side.BACK: "back (national emblem side)"}


@dataclass(frozen=True)
class Reading:
    """A read card with what the pipeline saw on the way: where the card was, which way up."""

    result: CardResult
    # The card's corners (TL, TR, BR, BL as printed) in the photo, or in the photo turned a
    # quarter clockwise when its text ran vertically.
    quad: np.ndarray
    card: np.ndarray  # the rectified, upright card (BGR, READ_PX_PER_MM)


class CardReader:
    """Reads one side of a resident ID card from a photo; thread-safe, models loaded once."""

    def __init__(
        self,
        detector: TextDetector,
        recognizer: TextRecognizer,
        second: TextRecognizer | None = None,
    ) -> None:
        self._detector = detector
        self._recognizer = recognizer
        self._second = second

    @classmethod
    def load(cls, threads: int = 2) -> CardReader:
        """Load and verify every model now, so that a missing one fails at start-up."""
        models = OcrModels.installed()
        return cls(
            TextDetector.load(models.detector, threads),
            TextRecognizer.load(models.recognizer, threads),
            TextRecognizer.load(models.second_recognizer, threads, models.second_charset),
        )

    def read(self, image: bytes, side: Side) -> CardResult:
        return self.read_pixels(decode(image), side).result

    def read_pixels(self, image: np.ndarray, side: Side) -> Reading:
        image, found = self._upright_text(image)
        if len(found) == 0:
            raise NoTextFound()
        other_side: Side | None = None
        fallback: Reading | None = None
        for quad in find_card(image, found.quads):
            card, lines = self._rectify(image, quad)
            ranked = orient.rank(lines)
            for hypothesis in [h for h in ranked if h.side is side]:
                if hypothesis.score < MIN_HYPOTHESIS_SCORE:
                    break
                reading = self._try(quad, card, lines, hypothesis)
                if reading is not None and well_formed(reading.result):
                    return reading
                fallback = fallback or reading
            if ranked[0].side is not side and ranked[0].score >= MIN_HYPOTHESIS_SCORE:
                other_side = other_side or ranked[0].side
        if fallback is not None:
            return fallback
        if other_side is not None:
            raise NotAnIdCard(
                f"the image shows the {SIDE_NAMES[other_side]} of an ID card, "
                f"but card_type {int(side)} asks for the {SIDE_NAMES[side]}"
            )
        raise NotAnIdCard("text was found but no ID card laid out as printed")

    def _upright_text(self, image: np.ndarray) -> tuple[np.ndarray, DetectedText]:
        """The photo, turned a quarter if that is how its text reads, and its text boxes.

        The detector finds little of a line that runs vertically, so a card photographed at
        90° or 270° is looked at turned as well, and the view with more text lines wins.
        """
        found = self._detector.detect(image, PHOTO_DET_SIDE)
        if len(found) >= MIN_LINES and _horizontal_share(found.quads) >= 0.5:
            return image, found
        turned = cv2.rotate(image, cv2.ROTATE_90_CLOCKWISE)
        alternative = self._detector.detect(turned, PHOTO_DET_SIDE)
        if _line_count(alternative.quads) > _line_count(found.quads):
            return turned, alternative
        return image, found

    def _rectify(self, image: np.ndarray, quad: np.ndarray) -> tuple[np.ndarray, list[Line]]:
        card = warp_card(image, quad, READ_PX_PER_MM)
        lines = self._lines(card)
        if _mostly_vertical(lines):
            # The outline's long edges were misjudged (steep perspective): turn by 90°.
            quad = rotate_corners(quad, 1)
            card = warp_card(image, quad, READ_PX_PER_MM)
            lines = self._lines(card)
        return card, lines

    def _lines(self, card: np.ndarray) -> list[Line]:
        quads = self._detector.detect(card, CARD_DET_SIDE).quads
        return lines_from_quads(quads, READ_PX_PER_MM)

    def _try(
        self,
        quad: np.ndarray,
        card: np.ndarray,
        lines: list[Line],
        hypothesis: orient.Hypothesis,
    ) -> Reading | None:
        if hypothesis.turned:
            card = cv2.rotate(card, cv2.ROTATE_180)
            lines = [line.turned() for line in lines]
            quad = rotate_corners(quad, 2)
        crops = front_crops(lines) if hypothesis.side is Side.FRONT else back_crops(lines)
        if not crops:
            return None
        readings = self._recognise(card, crops)
        result = assemble(hypothesis.side, crops, readings)
        if result is None:
            return None
        return Reading(result, quad, card)

    def _recognise(self, card: np.ndarray, crops: list[Crop]) -> list[LineReading]:
        images = [card[c.pixels(READ_PX_PER_MM, card.shape)] for c in crops]
        return self._recognizer.recognize(images, [c.alphabet for c in crops])


def _horizontal_share(quads: np.ndarray) -> float:
    if len(quads) == 0:
        return 0.0
    widths = np.linalg.norm(quads[:, 1] - quads[:, 0], axis=1)
    heights = np.linalg.norm(quads[:, 3] - quads[:, 0], axis=1)
    return float(np.mean(widths >= heights))


def _line_count(quads: np.ndarray) -> float:
    """Horizontal text lines found, a measure of how readable one view of the photo is."""
    return _horizontal_share(quads) * len(quads)


def _mostly_vertical(lines: list[Line]) -> bool:
    tall = sum(1 for line in lines if line.height > 1.5 * line.width)
    return tall > max(2, len(lines) // 2)
