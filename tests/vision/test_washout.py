"""Doubt where a line's ink washed out: beside a stretch read as nothing, on faded characters."""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from idcard_ocr.card.layout import VALUE_SIZE_MM
from idcard_ocr.ocr import CharReading, LineReading
from idcard_ocr.vision.fields import TAIL_MM, Crop
from idcard_ocr.vision.washout import WASHED, beside_unread, faded

PITCH = VALUE_SIZE_MM
PX = 16  # the rectified card's pixels a mm
PAPER = 250


def _solid(start: float, count: int) -> list[float]:
    return [start + PITCH / 2 + i * PITCH for i in range(count)]


def _crop(field: str, centres: list[float]) -> Crop:
    """A crop whose detected text ends half a character after the last centre given."""
    return Crop(field, 14.5, 26.0, centres[-1] + PITCH / 2 + TAIL_MM, 31.0)


def _drawn(crop: Crop, centres: list[float], inks: list[int]) -> np.ndarray:
    """The crop's pixels: a character (a box outline) at each centre, in its own grey."""
    width = round((crop.x1 - crop.x0) * PX)
    image = np.full((round((crop.y1 - crop.y0) * PX), width, 3), PAPER, np.uint8)
    for ink, centre in zip(inks, centres, strict=True):
        x = round((centre - crop.x0) * PX)
        cv2.rectangle(image, (x - 16, 20), (x + 16, 60), (ink, ink, ink), 4)
    return image


def _read(crop: Crop, text: str, centres: list[float]) -> LineReading:
    """What the recogniser read: `text`, a character at each centre, each at 100."""
    width = crop.x1 - crop.x0
    return LineReading(
        tuple(
            CharReading(c, 1.0, ((c, 1.0),), (x - crop.x0) / width)
            for c, x in zip(text, centres, strict=True)
        )
    )


def _probs(reading: LineReading) -> list[float]:
    return [c.prob for c in reading.chars]


def test_a_solid_line_keeps_its_belief() -> None:
    centres = _solid(16.5, 10)
    crop = _crop("address", centres)
    image = _drawn(crop, centres, [30] * 10)
    reading = _read(crop, "天津市和平区顺城街道", centres)
    assert beside_unread(crop, image, reading) == reading
    assert faded(crop, image, reading) == reading


def test_half_width_digits_are_no_gap() -> None:
    hanzi = _solid(16.5, 3)
    digits = [hanzi[-1] + 0.75 * PITCH + i * PITCH / 2 for i in range(3)]
    crop = _crop("address", hanzi + digits)
    image = _drawn(crop, hanzi, [30] * 3)
    reading = _read(crop, "天心区123", hanzi + digits)
    assert beside_unread(crop, image, reading) == reading


def test_the_characters_beside_a_washed_out_stretch_are_doubted() -> None:
    """天津市和平区顺城街道天心小区 under glare read …街道天区: 心小 unread, the rest at 100."""
    centres = _solid(16.5, 14)
    crop = _crop("address", centres)
    image = _drawn(crop, centres, [30] * 11 + [215, 215, 30])  # 心小 all but washed out
    kept = [i for i in range(14) if i not in (11, 12)]
    reading = _read(crop, "天津市和平区顺城街道天区", [centres[i] for i in kept])
    doubted = beside_unread(crop, image, reading)
    assert doubted.text == reading.text  # nothing is made up or taken away
    probs = _probs(doubted)
    assert probs[10] == probs[11] == WASHED  # 天 and 区, either side of the stretch
    assert all(p == 1.0 for i, p in enumerate(probs) if i not in (10, 11))


def test_text_washed_out_at_the_end_of_the_line_doubts_the_last_character() -> None:
    centres = _solid(16.5, 12)
    crop = _crop("address", centres)
    image = _drawn(crop, centres, [30] * 10 + [220, 220])
    reading = _read(crop, "天津市和平区顺城街道", centres[:10])
    probs = _probs(beside_unread(crop, image, reading))
    assert probs[-1] == WASHED and all(p == 1.0 for p in probs[:-1])


def test_a_stretch_of_dark_marks_read_as_nothing_is_not_washed_out() -> None:
    """Another document's lines where the row runs on, read as no text: nothing was washed
    out there, and nothing is doubted."""
    centres = _solid(16.5, 12)
    crop = _crop("address", centres)
    image = _drawn(crop, centres, [30] * 12)
    reading = _read(crop, "天津市和平区顺城街道", centres[:10])
    assert beside_unread(crop, image, reading) == reading


def test_names_printed_spaced_out_are_left_alone() -> None:
    centres = [21.8, 27.9, 34.0]  # 韦 小 宝, as one card spaces them
    crop = _crop("name", centres)
    image = _drawn(crop, centres, [30] * 3)
    reading = _read(crop, "韦小宝", centres)
    assert beside_unread(crop, image, reading) == reading


def test_the_end_of_a_label_before_the_value_is_no_gap() -> None:
    """The address crop starts LEAD_MM before the value, where a label set further right
    ends (址, often read 止): the gap after it is the card's own."""
    centres = [15.2, *_solid(19.5, 8)]
    crop = Crop("address", 14.0, 26.0, centres[-1] + PITCH / 2 + TAIL_MM, 31.0)
    image = _drawn(crop, centres, [30] * 9)
    reading = _read(crop, "止云南省昭通市永善", centres)
    assert beside_unread(crop, image, reading) == reading


def test_a_line_cut_short_at_the_portrait_has_no_unread_end() -> None:
    """An address crop ends at the portrait's edge when its row's boxes run on into the
    portrait (its outline, a stamp): what lies between the text and that edge is no
    unread text."""
    centres = _solid(16.5, 10)
    crop = replace(_crop("address", centres), x1=centres[-1] + 4 * PITCH, ends_text=False)
    image = _drawn(crop, centres, [30] * 10)
    reading = _read(crop, "海南省东方市春晓街道", centres)
    assert beside_unread(crop, image, reading) == reading
    ending = replace(crop, ends_text=True)
    assert beside_unread(ending, image, reading) != reading


def _printed_line(inks: list[int]) -> tuple[Crop, np.ndarray, LineReading]:
    centres = _solid(16.5, len(inks))
    crop = _crop("address", centres)
    reading = _read(crop, "天津市和平区顺城街道"[: len(inks)], centres)
    return crop, _drawn(crop, centres, inks), reading


def test_characters_much_fainter_than_their_line_are_doubted() -> None:
    """Glare lifts 大 of 复兴门外大街 towards the paper, and it reads 人 at 94."""
    crop, image, reading = _printed_line([30, 35, 200, 30, 40, 30])
    assert _probs(faded(crop, image, reading)) == [1.0, 1.0, WASHED, 1.0, 1.0, 1.0]


def test_a_line_dimmed_evenly_or_a_little_uneven_keeps_its_belief() -> None:
    for inks in ([120, 120, 120, 120], [30, 60, 90, 60, 30]):  # shade; light falling off
        crop, image, reading = _printed_line(inks)
        assert faded(crop, image, reading) == reading


def test_fields_printed_in_more_than_one_ink_are_not_compared() -> None:
    crop, image, reading = _printed_line([30, 30, 200, 30])
    nation = replace(crop, field="nation")  # its label is printed in another ink
    assert faded(nation, image, reading) == reading


def test_a_names_dot_is_no_faded_character() -> None:
    """阿瓦古丽·玉素甫: the dot's little ink is no sign of glare."""
    crop, image, reading = _printed_line([30, 30, 30, 30, 30])
    name = replace(crop, field="name")
    x = round(reading.chars[2].x * image.shape[1])
    cv2.rectangle(image, (x - 22, 10), (x + 22, 70), (PAPER,) * 3, -1)  # its character out
    cv2.circle(image, (x, 40), 3, (30, 30, 30), -1)
    chars = list(reading.chars)
    chars[2] = CharReading("·", 1.0, (("·", 1.0),), chars[2].x)
    dotted = LineReading(tuple(chars))
    assert faded(name, image, dotted) == dotted
