"""Card outlines judged by the text they hold: a box that reaches past the card's edge (a
red seal or a toy beside it, taken for text) must not disqualify the card's own outline."""

from __future__ import annotations

import numpy as np
import pytest

from idcard_ocr.card.model import Side
from idcard_ocr.synth.sample import render_sample
from idcard_ocr.vision import locate
from idcard_ocr.vision.reader import CardReader


def box(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)


CARD = box(0, 0, 428, 270)  # a card 5 px/mm
LINES = [box(30, 30, 130, 50), box(30, 70, 200, 90), box(30, 110, 240, 130), box(30, 230, 400, 250)]


def test_an_outline_holding_its_text_snugly_scores() -> None:
    assert locate._score(CARD, np.stack(LINES)) > 0.0


def test_a_box_reaching_past_the_card_is_held_only_as_far_as_the_card() -> None:
    # A seal beside the card, its box's centre just inside the card's right edge.
    seal = box(380, 60, 640, 180)
    assert locate._score(CARD, np.stack([*LINES, seal])) > 0.0
    clipped = locate._clipped(seal[None], CARD)
    assert float(clipped[:, 0].max()) <= 428.0 + 1e-3


def test_text_well_outside_a_small_outline_does_not_count_as_held() -> None:
    half = box(0, 0, 214, 135)
    assert locate._score(half, np.stack(LINES)) < locate._score(CARD, np.stack(LINES))


@pytest.mark.model
def test_a_white_card_on_a_white_table_beside_a_red_seal_is_read(reader: CardReader) -> None:
    """Photo 132 of the photo set: no outline of the card's faint edges, and the card placed
    from its number line was dropped because the seal's box stuck out of it (-5103)."""
    sample = render_sample(2026, 132, "photo")
    assert sample.side is Side.FRONT
    result = reader.read(sample.data, sample.side)
    assert {name: field.text for name, field in result.fields.items()} == sample.labels
