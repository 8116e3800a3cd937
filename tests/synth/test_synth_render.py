"""Rendered samples: deterministic, labelled as the API answers, the quad where the card is,
items where the card's own geometry puts them."""

from __future__ import annotations

import random
import re

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from idcard_ocr.card import idnumber
from idcard_ocr.card import layout as L
from idcard_ocr.card.dates import format_birth
from idcard_ocr.card.model import BACK_FIELDS, FRONT_FIELDS, Side
from idcard_ocr.synth import DIFFICULTIES, Difficulty, Sample, render_sample
from idcard_ocr.synth.identity import generate_identity
from idcard_ocr.synth.render import render_card
from idcard_ocr.synth.sample import MAX_BYTES
from idcard_ocr.synth.variant import random_variant

BIRTH = re.compile(r"^\d{4}/[1-9]\d?/[1-9]\d?$")
VALIDITY = re.compile(r"^\d{4}\.\d{2}\.\d{2}-(\d{4}\.\d{2}\.\d{2}|长期)$")
PX_PER_MM = 8.0


def rectify(sample: Sample) -> NDArray[np.uint8]:
    """The card cut out of the picture by its quad, upright, at `PX_PER_MM`."""
    width, height = round(L.CARD_WIDTH_MM * PX_PER_MM), round(L.CARD_HEIGHT_MM * PX_PER_MM)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32) - 0.5
    matrix = cv2.getPerspectiveTransform(np.array(sample.quad, np.float32), target)
    return np.asarray(cv2.warpPerspective(sample.image, matrix, (width, height)), np.uint8)


def crop(card: NDArray[np.uint8], box: L.Box) -> NDArray[np.uint8]:
    x0, y0, x1, y1 = box.scaled(PX_PER_MM)
    return card[y0:y1, x0:x1]


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_same_seed_same_bytes(difficulty: Difficulty) -> None:
    first = render_sample(11, 3, difficulty)
    again = render_sample(11, 3, difficulty)
    assert first.data == again.data
    assert first.quad == again.quad
    assert render_sample(12, 3, difficulty).data != first.data


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_each_difficulty_renders_a_decodable_file_under_the_api_limit(
    difficulty: Difficulty,
) -> None:
    for index in range(6):
        sample = render_sample(1, index, difficulty)
        assert len(sample.data) <= MAX_BYTES
        assert sample.extension == (".png" if difficulty == "clean" else ".jpg")
        decoded = cv2.imdecode(np.frombuffer(sample.data, np.uint8), cv2.IMREAD_COLOR)
        assert decoded is not None and decoded.shape == sample.image.shape
        assert sample.image.dtype == np.uint8 and sample.image.ndim == 3
        assert sample.difficulty == difficulty


def test_sides_alternate_unless_given() -> None:
    assert [render_sample(0, i, "clean").side for i in range(4)] == [
        Side.FRONT,
        Side.BACK,
        Side.FRONT,
        Side.BACK,
    ]
    assert render_sample(0, 0, "clean", Side.BACK).side is Side.BACK


def test_both_sides_of_an_index_show_one_card() -> None:
    front = render_sample(4, 7, "photo", Side.FRONT)
    back = render_sample(4, 7, "photo", Side.BACK)
    assert front.identity == back.identity


def test_unknown_difficulty_is_refused() -> None:
    with pytest.raises(ValueError, match="difficulty"):
        render_sample(0, 0, "blurry")  # type: ignore[arg-type]


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_labels_are_what_the_api_returns(difficulty: Difficulty) -> None:
    for index in range(8):
        sample = render_sample(2, index, difficulty)
        labels = sample.labels
        if sample.side is Side.BACK:
            assert tuple(labels) == BACK_FIELDS
            assert VALIDITY.match(labels["valid_date"]), labels["valid_date"]
            assert labels["authority"].endswith(("局", "厅", "分局"))
            continue
        assert tuple(labels) == FRONT_FIELDS
        assert BIRTH.match(labels["birth"]), labels["birth"]
        info = idnumber.parse(labels["id"])
        assert info is not None and idnumber.is_valid(labels["id"])
        assert labels["birth"] == format_birth(info.birth)
        assert labels["sex"] == info.sex
        assert "\n" not in labels["address"] and labels["address"]


def _signed_area(quad: NDArray[np.float64]) -> float:
    x, y = quad[:, 0], quad[:, 1]
    return float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_quad_is_inside_and_in_the_cards_own_order(difficulty: Difficulty) -> None:
    for index in range(10):
        sample = render_sample(3, index, difficulty)
        quad = np.array(sample.quad)
        height, width = sample.image.shape[:2]
        assert quad.shape == (4, 2)
        assert (quad >= -1).all() and (quad[:, 0] <= width).all() and (quad[:, 1] <= height).all()
        # Clockwise on screen (y down) whatever the turn: the card is never mirrored.
        assert _signed_area(quad) > 0.05 * width * height


def test_hard_turns_the_picture_every_way() -> None:
    rotations = {render_sample(5, index, "hard").rotation for index in range(24)}
    assert rotations == {0, 90, 180, 270}
    assert {render_sample(5, i, "photo").rotation for i in range(6)} == {0}


@pytest.mark.parametrize("difficulty", DIFFICULTIES)
def test_quad_and_rotation_find_the_emblem_top_left(difficulty: Difficulty) -> None:
    for index in range(12):
        sample = render_sample(6, index, difficulty, Side.BACK)
        if sample.variant.effects.photocopy:
            continue  # a photocopy has no red
        card = rectify(sample)
        geometry = sample.variant.card.geometry.back
        emblem = crop(card, geometry.emblem).astype(int)
        title = crop(card, geometry.title_card).astype(int)

        def redness(part: NDArray[np.int_]) -> float:
            return float((part[..., 2] - part[..., 0]).mean())

        assert redness(emblem) > redness(title) + 30, (index, sample.rotation)


def test_clean_front_prints_blue_labels_and_black_values() -> None:
    sample = render_sample(8, 0, "clean")
    card = rectify(sample)
    g = sample.variant.card.geometry.front
    y = g.name_y
    label = crop(card, L.Box(g.label_x, y - 1.5, g.name_x - 1, y + 1.5)).reshape(-1, 3)
    value = crop(card, L.Box(g.name_x, y - 1.5, g.portrait.x0 - 1, y + 1.5)).reshape(-1, 3)
    label_ink = label[label.sum(axis=1).argsort()[:20]].mean(axis=0)  # darkest pixels, BGR
    value_ink = value[value.sum(axis=1).argsort()[:20]].mean(axis=0)
    assert label_ink[0] > label_ink[2] + 40  # blue over red
    assert value_ink.max() < 70


def test_front_portrait_and_number_where_the_cards_geometry_says() -> None:
    for index in (0, 2, 4):
        sample = render_sample(9, index, "clean")
        card = rectify(sample).astype(int)
        g = sample.variant.card.geometry.front
        number = crop(card, L.Box(g.number_x + 3, g.number_y - 1.5, 70, g.number_y + 1.5))
        empty = crop(card, L.Box(g.number_x + 3, g.address_y[2] + 2.2, 70, g.number_y - 2.5))
        assert number.mean() < empty.mean() - 25
        assert crop(card, g.portrait).std() > 30


def test_portrait_backdrop_stays_pale() -> None:
    for seed in range(40):
        rng = random.Random(seed)
        identity = generate_identity(rng)
        printed = random_variant(rng, "clean", Side.FRONT).card
        card = render_card(identity, Side.FRONT, printed, PX_PER_MM)
        p = printed.geometry.front.portrait
        top = crop(card, L.Box(p.x0, p.y0, p.x1, p.y0 + 3))
        assert top.reshape(-1, 3).mean(axis=0).min() > 180, seed
