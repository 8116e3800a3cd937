"""`CardReader`: photo bytes in, the fields of one side of an ID card out.

decode -> detect text over the photo -> find and rectify the card -> detect its lines ->
decide side and turn -> recognise the field crops (doubting what washed-out ink hides) ->
assemble and validate the fields.

A side is answered only when its printed labels were read where the layout puts them (so
another side or another document is -5107), and with code 0 only when every field of it
reads whole and well-formed (otherwise -5103, naming the fields).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from idcard_ocr.card.agreement import completed, reconciled
from idcard_ocr.card.contract import number_confirms_birth
from idcard_ocr.card.front import NAME_DASHES, NAME_DOTS
from idcard_ocr.card.interpret import Interpretation, Simplify
from idcard_ocr.card.layout import CARD_HEIGHT_MM, CARD_WIDTH_MM
from idcard_ocr.card.model import CardResult, Side
from idcard_ocr.errors import NotAnIdCard, NoTextFound, RecognitionFailed
from idcard_ocr.ocr import LineReading, OcrModels, TextDetector, TextRecognizer, memory
from idcard_ocr.ocr.detector import DetectedText
from idcard_ocr.vision import opinion, orient, register
from idcard_ocr.vision.assemble import assemble
from idcard_ocr.vision.decode import decode
from idcard_ocr.vision.fields import Crop, back_crops, front_crops
from idcard_ocr.vision.geometry import (
    card_homography,
    edge_lengths,
    rotate_corners,
    transform,
    warp_card,
)
from idcard_ocr.vision.ink import darkest_ink, has_red_ink, without_red_ink
from idcard_ocr.vision.lines import Line, lines_from_quads
from idcard_ocr.vision.locate import find_card
from idcard_ocr.vision.simplified import Simplifier
from idcard_ocr.vision.stages import Stage, timed, timed_iteration, timing
from idcard_ocr.vision.washout import beside_unread, washed_out

READ_PX_PER_MM = 16.0  # the rectified card the crops are cut from: 1370 x 864 px
# The photo's detection picks the card's outline: at 544 the photo set read 99.50 -> 97.25 %
# of its fields, hard 2 -> 5 silent errors (200 cards each).
PHOTO_DET_SIDE = 640
CARD_DET_SIDE = 544  # 6.4 px/mm: rows stay 25+ px tall; measured as accurate as 608 and 704
MIN_HYPOTHESIS_SCORE = 0.15
MIN_LINES = 4  # a card shows at least this many text lines (a back shows four)
# Line ends on their printed places that show an outline is right, by the side its lines
# look like; an outline after the first with fewer waits until every outline has been looked
# at (`CardReader._views`). The back prints 8 such ends (a front 15): 5 of them is as right
# as a back's outline gets on most photos, and waiting there cost three more flattenings (a
# text detection each) for nothing.
WELL_ALIGNED = {Side.FRONT: 6, Side.BACK: 5}
# A front that does not read whole is a document laid out like one (a form that prints 姓名
# and 民族) when this many rows of its text run through the portrait.
DOCUMENT_ROWS = 2
MIN_SHIFT_MM = 0.3
# A free-text field whose least sure character is below this is read again. Not SURE (0.9):
# a look-alike misread just above it (an address's 9 read 0 at 92 and 88 by both outlines
# of a blurred hard card) is one a crop framed a little larger can read otherwise. 0.95
# against 0.8, 200 cards a set: hard 1 silent error fewer and 2 false alarms more; clean,
# photo and real-dev under variations the same fields right and as many false alarms;
# about 2 % more time.
UNSURE = 0.95
# A reading with a field this doubtful is compared with the next outline's, up to this many.
DOUBTFUL = 90
VIEWS_COMPARED = 2
# Names are where a confident misreading hides: rare characters (彧 read as 或) and the
# middle dot of minority names, which one model drops where another sees it. Short crops:
# reading them once more by the second model costs a few ms.
ALWAYS_CHECKED = frozenset({"name"})
# Fields printed as free text, which a line stamped across them is read into.
FREE_TEXT = frozenset({"name", "address", "authority"})
# How much further right the sex is looked for when its crop read nothing; the nation's
# label starts 4 mm or more beyond the crop's end on every card.
SEX_REACH_MM = 2.0
TEXT_PROB = 0.5  # the characters of a crop read as text to find the labels (`front_crops`)
# A name's dot and its look-alikes are one mark when two readings of a name are compared.
NAME_MARKS = dict.fromkeys(NAME_DOTS + NAME_DASHES, "·")
GROW_MM = 0.6  # a registration that moves the card less is not worth a second warp
CARD_MM = register.CARD
SIDE_NAMES = {Side.FRONT: "front (portrait side)", Side.BACK: "back (national emblem side)"}
# Printed labels that show a reading is of that side of an ID card, not another document.
SIDE_LABELS = {
    Side.FRONT: frozenset({"公民身份号码", "公民身份证号码", "民族"}),
    Side.BACK: frozenset({"签发机关", "有效期限"}),
}


@dataclass(frozen=True)
class Reading:
    """A read card with what the pipeline saw on the way: where the card was, which way up."""

    result: CardResult
    # The card's corners (TL, TR, BR, BL as printed) in the photo, or in the photo turned a
    # quarter clockwise when its text ran vertically.
    quad: np.ndarray
    card: np.ndarray  # the rectified, upright card (BGR, READ_PX_PER_MM)
    unreadable: tuple[str, ...] = ()  # fields that did not read whole and well-formed


@dataclass(frozen=True)
class _View:
    """The card as flattened from one outline: corners in the photo, image, lines in mm."""

    quad: np.ndarray
    card: np.ndarray
    lines: list[Line]
    aligned: int  # line ends on their printed places (see `register`)
    ranked: list[orient.Hypothesis]  # which side and turn its lines look like, best first


class _Search:
    """The readings of one side over the views of a photo, best first (`_rank`).

    A reading with every field whole and sure is taken at once. One with a doubtful field is
    compared with the next outline's (a card flattened a little askew cuts a character at a
    line's end, and the recogniser then doubts it): the better stands, settled where the
    other read alike and doubted where it read otherwise (`card.agreement`).
    """

    def __init__(self, side: Side, attempt: Callable[[_View, orient.Hypothesis], Reading | None]):
        self._side = side
        self._try = attempt
        self._best: Reading | None = None
        self._views_whole = 0  # views looked at since a whole reading was found
        self._seen: list[Reading] = []  # every reading of the side, whole or not
        self._view_count = 0
        self._views_of_other_side = 0  # whose lines look most like the other side

    def over(self, views: Iterable[_View]) -> Reading | None:
        """The side's reading once one is whole (completed from the others seen), or None."""
        for view in views:
            reading = self._view(view)
            if reading is not None:
                return reading
        if self._best is None:
            return None
        reading = _completed(self._best, self._seen)
        return None if reading.unreadable else reading

    def refused(self) -> Reading:
        """The best reading, though not whole; -5107 when none showed the side."""
        if self._best is not None:
            return _completed(self._best, self._seen)
        if self._views_of_other_side:
            side, other = self._side, self._side.other
            raise NotAnIdCard(
                f"the image shows the {SIDE_NAMES[other]} of an ID card, "
                f"but card_type {int(side)} asks for the {SIDE_NAMES[side]}"
            )
        raise NotAnIdCard("text was found but no ID card laid out as printed")

    def _view(self, view: _View) -> Reading | None:
        ranked = view.ranked
        for hypothesis in [h for h in ranked if h.side is self._side]:
            if hypothesis.score < MIN_HYPOTHESIS_SCORE:
                break
            reading = self._try(view, hypothesis)
            if reading is None:
                continue
            self._seen.append(reading)
            if self._best is None or _rank(reading) > _rank(self._best):
                self._best = reading
            if not reading.unreadable:
                break  # the turn that reads is the card's
        best = self._best
        if best is not None and not best.unreadable:
            self._views_whole += 1
            if _rank(best)[1] == 0 or self._views_whole == VIEWS_COMPARED:
                # A view's whole reading is the last it tried: each view's are these.
                return _compared(best, [r for r in self._seen if not r.unreadable])
        self._view_count += 1
        if ranked[0].side is not self._side and ranked[0].score >= MIN_HYPOTHESIS_SCORE:
            self._views_of_other_side += 1
        return None

    @property
    def only_other_side(self) -> bool:
        """Whether every view looked like the other side and none read as this one."""
        return 0 < self._view_count == self._views_of_other_side and not self._seen


class CardReader:
    """Reads one side of a resident ID card from a photo; thread-safe, models loaded once."""

    def __init__(
        self,
        detector: TextDetector,
        recognizer: TextRecognizer,
        second: TextRecognizer | None = None,
        simplify: Simplify | None = None,
    ) -> None:
        self._detector = detector
        self._recognizer = recognizer
        self._second = second
        self._simplify = simplify or Simplifier()

    @classmethod
    def load(cls, threads: int) -> CardReader:
        """Load and verify every model now, so that a missing one fails at start-up."""
        models = OcrModels.installed()
        return cls(
            TextDetector.load(models.detector, threads),
            TextRecognizer.load(models.recognizer, threads),
            TextRecognizer.load(models.second_recognizer, threads, models.second_charset),
            Simplifier(),
        )

    def read(self, image: bytes, side: Side) -> CardResult:
        with timing(Stage.DECODE):  # see `stages.recorded`
            pixels = decode(image)
        return self.read_pixels(pixels, side).result

    def read_pixels(self, image: np.ndarray, side: Side) -> Reading:
        """The side read whole; -5103 when it was found but some field would not read."""
        try:
            reading = self.best_reading(image, side)
        finally:
            memory.release()  # what the read freed, when the allocator keeps too much of it
        if reading.unreadable:
            raise RecognitionFailed("could not read the " + ", ".join(reading.unreadable))
        return reading

    def best_reading(self, image: np.ndarray, side: Side) -> Reading:
        """The side's best reading (`_Search`); -5107 when no reading shows the side."""
        image, found = self._upright_text(image)
        if len(found) == 0:
            raise NoTextFound()
        search = _Search(side, self._try)
        reading = search.over(self._views(image, found.quads))
        if reading is None and not search.only_other_side and has_red_ink(image):
            # A red `仅供…使用` line across the labels hides them from the detector, and the
            # rows are laid out a row off: look again with the red painted out. Only for the
            # cards that did not read (painting red out also pales a warm photo's print), and
            # not for a photo of the other side (a back's emblem is red): every outline of it
            # looked like that side, and looking again doubled the time it took to refuse.
            reading = search.over(self._views(image, found.quads, red_free=True))
        return reading if reading is not None else search.refused()

    @timed(Stage.LOCATE)
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

    @timed_iteration(Stage.LOCATE)
    def _views(
        self, image: np.ndarray, text: np.ndarray, red_free: bool = False
    ) -> Iterator[_View]:
        """The card flattened from each candidate outline, in the order to read them.

        The first outline, the one the photo's own text fits best (`find_card`), is read at
        once, as is any later one whose flattened text lines land on their printed places;
        the others wait, and are read best aligned first, once every outline has been seen.
        Waiting for the others when the first lands less well cost each such photo three
        more flattenings (a text detection each), and bought nothing: on 200 rendered cards
        of each difficulty, the same fields read right and wrong without it.
        """
        waiting: list[_View] = []
        for k, outline in enumerate(find_card(image, text)):
            view = self._rectify(image, outline, text, red_free)
            if k == 0 or view.aligned >= WELL_ALIGNED[view.ranked[0].side]:
                yield view
            else:
                waiting.append(view)
        yield from sorted(waiting, key=lambda v: -v.aligned)

    def _rectify(
        self, image: np.ndarray, quad: np.ndarray, text: np.ndarray, red_free: bool = False
    ) -> _View:
        """The card flattened, its corners in the photo, and its text lines in mm.

        The outline is then registered to the lines found on the flattened card, which are
        sharper than those found on the photo, and the card flattened again if that moved it.
        A card that filled the photo was seen as sharply by the photo's text detection as a
        detection of the flattened card would see it: its boxes are flattened instead.
        """
        card = warp_card(image, quad, READ_PX_PER_MM)
        detected_in = without_red_ink if red_free else _as_is
        if _detected_sharply(image, quad) and not red_free:
            quads = _on_card(transform(card_homography(quad, READ_PX_PER_MM), text))
        else:
            quads = self._detector.detect(detected_in(card), CARD_DET_SIDE).quads
        if _mostly_vertical(lines_from_quads(quads, READ_PX_PER_MM)):
            # The outline's long edges were misjudged (steep perspective): turn by 90°.
            quad = rotate_corners(quad, 1)
            card = warp_card(image, quad, READ_PX_PER_MM)
            quads = self._detector.detect(detected_in(card), CARD_DET_SIDE).quads
        corners = CARD_MM * READ_PX_PER_MM
        registered = register.refine(corners, quads)
        if float(np.abs(registered.quad - corners).max()) > MIN_SHIFT_MM * READ_PX_PER_MM:
            to_photo = np.linalg.inv(card_homography(quad, READ_PX_PER_MM))
            quad = transform(to_photo, registered.quad)
            quads = transform(card_homography(registered.quad, READ_PX_PER_MM), quads)
            card = warp_card(image, quad, READ_PX_PER_MM)
        lines = lines_from_quads(quads, READ_PX_PER_MM)
        return _View(quad, card, lines, registered.aligned, orient.rank(lines))

    @timed(Stage.READ)
    def _try(self, view: _View, hypothesis: orient.Hypothesis) -> Reading | None:
        quad, card, lines = view.quad, view.card, view.lines
        if hypothesis.turned:
            card = cv2.rotate(card, cv2.ROTATE_180)
            lines = [line.turned() for line in lines]
            quad = rotate_corners(quad, 2)
        crop = front_crops if hypothesis.side is Side.FRONT else back_crops
        crops = crop(lines, lambda found: self._texts(card, found))
        if not crops:
            return None
        readings = self._recognise(card, crops)
        found = assemble(hypothesis.side, crops, readings, self._simplify)
        if set(found.unreadable) & FREE_TEXT:
            found = self._in_darkest_ink(card, hypothesis.side, crops, readings, found)
        if not SIDE_LABELS[hypothesis.side] & set(found.labels) and not _self_evident(found, lines):
            return None  # none of the side's labels where it prints them: not this side
        if (
            found.unreadable
            and hypothesis.side is Side.FRONT
            and orient.rows_over_portrait(lines) >= DOCUMENT_ROWS
        ):
            return None  # a page that prints a front's labels, not a front that failed
        return Reading(found.result, quad, card, found.unreadable)

    def _in_darkest_ink(
        self,
        card: np.ndarray,
        side: Side,
        crops: list[Crop],
        readings: list[LineReading],
        found: Interpretation,
    ) -> Interpretation:
        """The side with its unreadable free-text fields read again in their darkest ink only
        (`ink.darkest_ink`): a grey `仅供…使用` line over a value is read into it otherwise.
        Taken only when that leaves fewer fields unreadable; a value read this way carries
        the recogniser's belief in what it saw there."""
        again = [i for i, c in enumerate(crops) if c.field in set(found.unreadable) & FREE_TEXT]
        images = [darkest_ink(image) for image in _images(card, [crops[i] for i in again])]
        redone = list(readings)
        darker = self._recognizer.recognize(images, [None] * len(again))
        for i, image, reading in zip(again, images, darker, strict=True):
            redone[i] = beside_unread(crops[i], image, reading)
        other = assemble(side, crops, redone, self._simplify)
        return other if len(other.unreadable) < len(found.unreadable) else found

    def _texts(self, card: np.ndarray, crops: Sequence[Crop]) -> list[str]:
        """What each crop shows, as the characters the recogniser read with some belief."""
        readings = self._recognizer.recognize(_images(card, list(crops)), [None] * len(crops))
        return ["".join(c.char for c in r.chars if c.prob >= TEXT_PROB) for r in readings]

    def _recognise(self, card: np.ndarray, crops: list[Crop]) -> list[LineReading]:
        images = _images(card, crops)
        readings = self._recognizer.recognize(images, [c.alphabet for c in crops])
        settled = self._second_opinion(card, crops, self._reached(card, crops, readings))
        return [washed_out(*read) for read in zip(crops, images, settled, strict=True)]

    def _reached(
        self, card: np.ndarray, crops: list[Crop], readings: list[LineReading]
    ) -> list[LineReading]:
        """The sex read again from a crop reaching SEX_REACH_MM further right when its own
        read nothing: cards that print the value a little right of the column cut it in two
        at the crop's end (the nation's crop, which starts there, skips the half it holds)."""
        empty = [i for i, c in enumerate(crops) if c.field == "sex" and not readings[i].chars]
        if not empty:
            return readings
        wider = [replace(crops[i], x1=crops[i].x1 + SEX_REACH_MM) for i in empty]
        again = self._recognizer.recognize(_images(card, wider), [c.alphabet for c in wider])
        reached = list(readings)
        for i, reading in zip(empty, again, strict=True):
            reached[i] = reading
        return reached

    def _second_opinion(
        self, card: np.ndarray, crops: list[Crop], readings: list[LineReading]
    ) -> list[LineReading]:
        """Fields with an unsure character are read again, from a crop a little larger and by
        the second recogniser too (names always by the second), and each reading is merged
        into the first character by character (`opinion.merge`): agreement settles a doubt,
        disagreement stays doubtful.

        Blur and low resolution leave rare name and place characters near a look-alike; a
        crop that frames the line differently, or a model trained otherwise, often settles it.
        """
        free = [
            i
            for i, (crop, reading) in enumerate(zip(crops, readings, strict=True))
            if crop.alphabet is None and reading.chars
        ]
        unsure = [i for i in free if _least(readings[i]) < UNSURE]
        # A sure name is still read by the other model (its look-alikes are not ours).
        checked = [i for i in free if i in unsure or crops[i].field in ALWAYS_CHECKED]
        merged = list(readings)
        if unsure:
            grown = _images(card, [crops[i].grown(GROW_MM) for i in unsure])
            others = self._recognizer.recognize(grown, [None] * len(grown))
            for i, other in zip(unsure, others, strict=True):
                merged[i] = opinion.merge(merged[i], other, _alike(crops[i]))
        if checked and self._second is not None:
            originals = _images(card, [crops[i] for i in checked])
            others = self._second.recognize(originals, [None] * len(originals))
            for i, other in zip(checked, others, strict=True):
                merged[i] = opinion.merge(merged[i], other, _alike(crops[i]))
        return merged


def _alike(crop: Crop) -> dict[str, str] | None:
    """The marks that are one in this crop's field: a name's dot and its look-alikes."""
    return NAME_MARKS if crop.field == "name" else None


def _compared(best: Reading, readable: list[Reading]) -> Reading:
    """`best`, reconciled with every other view's whole reading (`card.agreement`)."""
    result = best.result
    for other in readable:
        if other is not best:
            result = reconciled(result, other.result)
    return replace(best, result=result)


def _completed(best: Reading, seen: list[Reading]) -> Reading:
    """`best`, whole if the fields it could not read were read whole from other outlines
    (`card.agreement.completed`); as it was otherwise."""
    if not best.unreadable:
        return best
    others = [
        {name: f for name, f in r.result.fields.items() if name not in r.unreadable}
        for r in seen
        if r is not best
    ]
    result = completed(best.result, best.unreadable, others)
    return best if result is None else replace(best, result=result, unreadable=())


def _self_evident(found: Interpretation, lines: list[Line]) -> bool:
    """Whether a side's values alone show it is that side of an ID card, when its labels,
    printed pale, washed out of the photo. A back: an issuing bureau above a validity period,
    both well-formed; nothing else prints those. A front: read whole, with a number that
    passes its check and gives the birth date read sure in its own place, and no text where
    the portrait is. A page of text can hold a name, a date and a long number, but not a
    date printed twice, once behind a check digit, beside an empty portrait."""
    if found.unreadable:
        return False
    if found.result.side is Side.BACK:
        return True
    return number_confirms_birth(found.result) and orient.rows_over_portrait(lines) == 0


def _as_is(image: np.ndarray) -> np.ndarray:
    return image


def _images(card: np.ndarray, crops: list[Crop]) -> list[np.ndarray]:
    """The crops' pixels, stamps painted out, widened as each crop asks (`Crop.stretch`)."""
    return [
        _stretched(without_red_ink(card[c.pixels(READ_PX_PER_MM, card.shape)]), c) for c in crops
    ]


def _stretched(image: np.ndarray, crop: Crop) -> np.ndarray:
    if crop.stretch == 1.0:
        return image
    return cv2.resize(image, None, fx=crop.stretch, fy=1.0, interpolation=cv2.INTER_CUBIC)


def _rank(reading: Reading) -> tuple[int, int, int]:
    """Better readings rank higher: fewer unreadable fields, fewer doubtful ones (a character
    under DOUBTFUL), then the higher sum of each field's least sure character."""
    least = [min(f.confidence, default=0) for f in reading.result.fields.values()]
    doubtful = sum(c < DOUBTFUL for c in least)
    return -len(reading.unreadable), -doubtful, sum(least)


def _least(reading: LineReading) -> float:
    return min(c.prob for c in reading.chars) if reading.chars else 0.0


def _detected_sharply(image: np.ndarray, quad: np.ndarray) -> bool:
    """Whether the photo's text detection saw every part of the card at least as finely as
    a detection of the flattened card (CARD_DET_SIDE across its width) does."""
    scale = min(1.0, PHOTO_DET_SIDE / max(image.shape[:2]))
    edges = edge_lengths(quad)  # top, right, bottom, left
    px_per_mm = min(
        min(edges[0], edges[2]) / CARD_WIDTH_MM, min(edges[1], edges[3]) / CARD_HEIGHT_MM
    )
    return bool(scale * px_per_mm >= CARD_DET_SIDE / CARD_WIDTH_MM)


def _on_card(quads: np.ndarray) -> np.ndarray:
    """The flattened boxes whose centre lies on the card."""
    if len(quads) == 0:
        return quads
    x, y = (quads.mean(axis=1) / READ_PX_PER_MM).T
    on = (x >= 0) & (x <= CARD_WIDTH_MM) & (y >= 0) & (y <= CARD_HEIGHT_MM)
    return np.asarray(quads[on])


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
