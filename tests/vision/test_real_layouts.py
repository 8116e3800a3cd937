"""End-to-end on cards printed as real ones vary: the real model reads the first rendered card
of each kind (the nation right after its label, a 样证 stamp by the address, bilingual
fronts and backs), and refuses what it cannot read whole with -5103, naming the field."""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from idcard_ocr.card.layout import CARD_HEIGHT_MM, CARD_WIDTH_MM
from idcard_ocr.card.model import Side
from idcard_ocr.errors import RecognitionFailed
from idcard_ocr.synth.sample import Sample, render_sample
from idcard_ocr.vision.reader import CardReader

pytestmark = pytest.mark.model
SEED = 11


def texts(reader: CardReader, sample: Sample) -> dict[str, str]:
    result = reader.read(sample.data, sample.side)
    return {name: field.text for name, field in result.fields.items()}


def test_a_nation_printed_right_after_its_label(reader: CardReader) -> None:
    [sample] = kinds(Side.FRONT, lambda s: s.variant.card.geometry.front.nation_gap < 1.0, 1)
    assert texts(reader, sample) == sample.labels


def kinds(side: Side, want: Callable[[Sample], bool], count: int = 5) -> list[Sample]:
    """The first `count` photo cards of one kind, in the renderer's order."""
    found = []
    for index in range(900):
        sample = render_sample(SEED, index, "photo", side)
        if want(sample):
            found.append(sample)
            if len(found) == count:
                return found
    raise AssertionError("the renderer never produced enough of the wanted samples")


def whole_and_never_silently_wrong(reader: CardReader, samples: list[Sample]) -> int:
    """How many read whole; fails if any field comes back wrong with every character >= 90."""
    whole = 0
    for sample in samples:
        try:
            result = reader.read(sample.data, sample.side)
        except RecognitionFailed:
            continue  # refused: a person re-shoots it
        wrong = [n for n, f in result.fields.items() if f.text != sample.labels[n]]
        for name in wrong:
            assert min(result.fields[name].confidence, default=0) < 90, name
        whole += not wrong
    return whole


def test_a_specimen_stamp_by_the_address_stays_out_of_it(reader: CardReader) -> None:
    stamped = kinds(Side.FRONT, lambda s: s.variant.card.stamp is not None)
    assert whole_and_never_silently_wrong(reader, stamped) >= 4


def test_bilingual_fronts_are_never_read_wrong_with_confidence(reader: CardReader) -> None:
    # A second script's lines crowd the label column; the labels read there place the rows.
    bilingual = kinds(Side.FRONT, lambda s: s.variant.card.bilingual is not None)
    assert whole_and_never_silently_wrong(reader, bilingual) >= 3


def test_bilingual_backs_are_read(reader: CardReader) -> None:
    bilingual = kinds(Side.BACK, lambda s: s.variant.card.bilingual is not None)
    assert whole_and_never_silently_wrong(reader, bilingual) >= 4


def test_an_unreadable_nation_is_refused_with_5103_naming_it(reader: CardReader) -> None:
    sample = render_sample(SEED, 0, "clean", Side.FRONT)
    front = sample.variant.card.geometry.front
    # Paint the nation's label and value over with the card's paper, as glare would.
    card_mm = np.float32(
        [[0, 0], [CARD_WIDTH_MM, 0], [CARD_WIDTH_MM, CARD_HEIGHT_MM], [0, CARD_HEIGHT_MM]]
    )
    to_picture = cv2.getPerspectiveTransform(card_mm, np.float32(sample.quad))
    box = np.float32([[front.nation_label_x - 0.5, front.sex_y - 2.6], [53.0, front.sex_y + 2.6]])
    (x0, y0), (x1, y1) = cv2.perspectiveTransform(box.reshape(-1, 1, 2), to_picture).reshape(2, 2)
    image = sample.image.copy()
    paper = np.median(image[int(y0) : int(y1), int(x0) - 5 : int(x0)].reshape(-1, 3), axis=0)
    image[int(y0) : int(y1), int(x0) : int(x1)] = paper
    ok, png = cv2.imencode(".png", image)
    assert ok
    with pytest.raises(RecognitionFailed) as caught:
        reader.read(png.tobytes(), Side.FRONT)
    assert caught.value.code == -5103
    assert "nation" in caught.value.message
    assert sample.labels["nation"] not in caught.value.message


@pytest.mark.parametrize("index", [102, 112])
def test_a_sex_cut_at_its_crops_end_is_read_from_a_wider_crop(
    reader: CardReader, index: int
) -> None:
    # Two hard photos whose sex straddles the end of its crop: it read nothing there, and
    # the sex came from the number at 50, a doubt on a field the card prints plainly.
    sample = render_sample(2026, index, "hard")
    sex = reader.read(sample.data, sample.side).fields["sex"]
    assert sex.text == sample.labels["sex"]
    assert sex.confidence[0] >= 90
