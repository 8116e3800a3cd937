"""End-to-end: the real models read rendered cards of every difficulty and refuse non-cards.

Samples are found by walking the renderer's deterministic sequence until one has the
property under test, so each test reads the first card of its kind, not a hand-picked one.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw
from rapidfuzz.distance import Levenshtein

from idcard_ocr.card import idnumber
from idcard_ocr.card import layout as L
from idcard_ocr.card.model import Side
from idcard_ocr.errors import EmptyImage, InvalidImage, NotAnIdCard, NoTextFound
from idcard_ocr.synth import fonts
from idcard_ocr.synth.negatives import render_negative
from idcard_ocr.synth.sample import Difficulty, Sample, render_sample
from idcard_ocr.vision import reader as reader_module
from idcard_ocr.vision.decode import decode
from idcard_ocr.vision.geometry import card_homography
from idcard_ocr.vision.ink import has_red_ink
from idcard_ocr.vision.reader import CardReader

pytestmark = pytest.mark.model
SEED = 11


def first(
    difficulty: Difficulty, want: Callable[[Sample], bool], side: Side | None = None
) -> Sample:
    for index in range(400):
        sample = render_sample(SEED, index, difficulty, side)
        if want(sample):
            return sample
    raise AssertionError("the renderer never produced the wanted sample")


def read(reader: CardReader, sample: Sample) -> dict[str, str]:
    result = reader.read(sample.data, sample.side)
    assert result.side is sample.side
    for name, field in result.fields.items():
        assert all(0 <= c <= 100 for c in field.confidence), name
    return {name: field.text for name, field in result.fields.items()}


@pytest.mark.parametrize("difficulty", ["clean", "photo", "hard"])
@pytest.mark.parametrize("side", [Side.FRONT, Side.BACK])
def test_reads_every_field_of_a_card(
    reader: CardReader, difficulty: Difficulty, side: Side
) -> None:
    sample = render_sample(SEED, 0, difficulty, side)
    assert read(reader, sample) == sample.labels


@pytest.mark.parametrize("turn", [90, 180, 270])
@pytest.mark.parametrize("side", [Side.FRONT, Side.BACK])
def test_reads_a_card_turned_by_quarter_turns(reader: CardReader, turn: int, side: Side) -> None:
    sample = render_sample(SEED, 1, "photo", side)
    turned = np.ascontiguousarray(np.rot90(sample.image, k=turn // 90))
    result = reader.read(_png(turned), side)
    assert {name: field.text for name, field in result.fields.items()} == sample.labels


def test_the_hard_set_includes_quarter_turns_and_reads_one(reader: CardReader) -> None:
    sample = first("hard", lambda s: s.rotation in (90, 270), Side.BACK)
    assert read(reader, sample) == sample.labels


def test_reads_a_photocopy(reader: CardReader) -> None:
    # Bilingual photocopies are the bilingual tests' (tests/vision/test_real_layouts.py).
    def copy(s: Sample) -> bool:
        return s.variant.effects.photocopy and s.variant.card.bilingual is None

    sample = first("hard", copy, Side.FRONT)
    assert read(reader, sample)["id"] == sample.labels["id"]


def test_reads_a_long_minority_name(reader: CardReader) -> None:
    sample = first("photo", lambda s: "·" in s.labels["name"], Side.FRONT)
    assert read(reader, sample)["name"] == sample.labels["name"]


def test_reads_a_three_line_address_as_one_string(reader: CardReader) -> None:
    sample = first("photo", lambda s: len(s.labels["address"]) > 22, Side.FRONT)
    assert read(reader, sample)["address"] == sample.labels["address"]


def test_reads_an_x_check_digit(reader: CardReader) -> None:
    sample = first("photo", lambda s: s.labels["id"].endswith("X"), Side.FRONT)
    got = read(reader, sample)["id"]
    assert got == sample.labels["id"] and idnumber.is_valid(got)


def test_reads_a_long_term_validity(reader: CardReader) -> None:
    sample = first("photo", lambda s: s.labels["valid_date"].endswith("长期"), Side.BACK)
    result = reader.read(sample.data, Side.BACK)
    assert result.fields["valid_date"].text == sample.labels["valid_date"]
    assert len(result.fields["valid_date"].confidence) == 10  # 8 digits and 长期


def test_confidences_follow_the_spec(reader: CardReader) -> None:
    sample = render_sample(SEED, 0, "clean", Side.FRONT)
    result = reader.read(sample.data, Side.FRONT)
    for name in ("name", "sex", "nation", "address", "id"):
        assert len(result.fields[name].confidence) == len(result.fields[name].text)
    digits = sum(ch.isdigit() for ch in result.fields["birth"].text)
    assert len(result.fields["birth"].confidence) == digits


def test_the_other_side_is_not_the_side_asked_for(reader: CardReader) -> None:
    sample = render_sample(SEED, 0, "clean", Side.BACK)
    with pytest.raises(NotAnIdCard) as caught:
        reader.read(sample.data, Side.FRONT)
    assert caught.value.code == -5107
    assert "back" in caught.value.message


@pytest.mark.parametrize("difficulty", ["clean", "photo"])
def test_the_other_side_is_refused_without_looking_again_for_hidden_labels(
    reader: CardReader, monkeypatch: pytest.MonkeyPatch, difficulty: Difficulty
) -> None:
    """A back's red emblem is red ink, but a photo whose every outline looks like a back is
    not a front with its labels hidden under a red stamp: it is refused after one look."""
    sample = render_sample(SEED, 0, difficulty, Side.BACK)
    assert has_red_ink(decode(sample.data))
    looks: list[bool] = []
    views = CardReader._views

    def counted(self: CardReader, image: np.ndarray, text: np.ndarray, red_free: bool = False):  # type: ignore[no-untyped-def]
        looks.append(red_free)
        return views(self, image, text, red_free)

    monkeypatch.setattr(CardReader, "_views", counted)
    with pytest.raises(NotAnIdCard) as caught:
        reader.read(sample.data, Side.FRONT)
    assert caught.value.code == -5107
    assert looks == [False]


@pytest.mark.parametrize("side", [Side.FRONT, Side.BACK])
def test_the_outline_the_photo_fits_best_is_read_before_the_others_are_flattened(
    reader: CardReader, monkeypatch: pytest.MonkeyPatch, side: Side
) -> None:
    """The first outline (the one the photo's own text fits best) is read at once even when
    its flattened lines land short of WELL_ALIGNED (here: whatever they land on): when it
    reads whole and sure, the other outlines are never flattened (a text detection each)."""
    outlines: list[int] = []
    flattened: list[int] = []
    find_card, rectify = reader_module.find_card, CardReader._rectify

    def found(image: np.ndarray, text: np.ndarray) -> list[np.ndarray]:
        quads = find_card(image, text)
        outlines.append(len(quads))
        return quads

    def flatten(self: CardReader, *args, **kwargs):  # type: ignore[no-untyped-def]
        view = rectify(self, *args, **kwargs)
        flattened.append(view.aligned)
        return view

    monkeypatch.setattr(reader_module, "find_card", found)
    monkeypatch.setattr(CardReader, "_rectify", flatten)
    monkeypatch.setattr(reader_module, "WELL_ALIGNED", {Side.FRONT: 99, Side.BACK: 99})
    sample = render_sample(SEED, 0, "photo", side)
    assert read(reader, sample) == sample.labels
    assert outlines[0] > 1
    assert len(flattened) == 1


def test_characters_beside_an_address_stretch_washed_out_by_glare_are_doubted(
    reader: CardReader,
) -> None:
    """A lamp's glare over two characters in the middle of the address's first line: the
    recogniser reads the rest surely and nothing there. What it read either side of the
    missing stretch must not come back certain (`vision.washout`)."""
    sample = render_sample(SEED, 4, "clean", Side.FRONT)
    truth = sample.labels["address"]
    image = _glare_over(sample, L.VALUE_X_MM + 9 * L.VALUE_SIZE_MM, L.ADDRESS_Y_MM[0])
    address = reader.read(_png(image), Side.FRONT).fields["address"]
    missing = [
        op.dest_start
        for op in Levenshtein.opcodes(truth, address.text)
        if op.tag == "delete" and 0 < op.dest_start < len(address.text)
    ]
    assert missing, "the glare was meant to wash characters out of the reading"
    for at in missing:
        assert max(address.confidence[at - 1 : at + 1]) < 90, address.confidence


def _glare_over(sample: Sample, x_mm: float, y_mm: float) -> np.ndarray:
    """`sample`'s photo with a saturating glare spot two characters wide at (x, y) mm."""
    to_photo = np.linalg.inv(card_homography(np.array(sample.quad, np.float32), 1.0))
    points = np.array([[[x_mm, y_mm], [x_mm + 1.3 * L.VALUE_SIZE_MM, y_mm]]], np.float32)
    centre, edge = cv2.perspectiveTransform(points, to_photo)[0]
    radius = float(np.linalg.norm(edge - centre))
    spot = np.zeros(sample.image.shape[:2], np.float32)
    axes = (round(radius), round(0.8 * radius))
    cv2.ellipse(spot, (int(centre[0]), int(centre[1])), axes, 0, 0, 360, 1.0, -1)
    soft = cv2.GaussianBlur(spot, (0, 0), 0.25 * radius)
    return np.clip(sample.image + 400 * soft[..., None], 0, 255).astype(np.uint8)


def _png(image: np.ndarray) -> bytes:
    ok, buffer = cv2.imencode(".png", image)
    assert ok
    return buffer.tobytes()


def test_a_photo_without_a_card_is_not_an_id_card(reader: CardReader) -> None:
    page = Image.new("RGB", (900, 600), (250, 250, 245))
    font = fonts.load(fonts.cjk_faces()[0], 40)
    draw = ImageDraw.Draw(page)
    for row, text in enumerate(
        ["会议纪要 第三季度", "销售额同比增长百分之十二", "下次会议时间待定"]
    ):
        draw.text((60, 80 + 150 * row), text, font=font, fill=(20, 20, 20))
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    with pytest.raises(NotAnIdCard) as caught:
        reader.read(buffer.getvalue(), Side.FRONT)
    assert caught.value.code == -5107


@pytest.mark.parametrize("index", [46, 90, 176])
def test_a_form_that_prints_a_fronts_labels_is_not_an_id_card(
    reader: CardReader, index: int
) -> None:
    """Rendered pages whose header is filled in like a front (姓名 性别 民族 出生 住址 and an
    18-digit number), the lines below it running through where a portrait would be."""
    page = render_negative("page", 2026, index)
    with pytest.raises(NotAnIdCard) as caught:
        reader.read(page.data, Side.FRONT)
    assert caught.value.code == -5107


def test_a_blank_image_has_no_text(reader: CardReader) -> None:
    with pytest.raises(NoTextFound) as caught:
        reader.read(_png(np.full((480, 640, 3), 235, np.uint8)), Side.FRONT)
    assert caught.value.code == -1404


def test_bad_bytes_get_their_codes(reader: CardReader) -> None:
    sample = render_sample(SEED, 0, "photo", Side.FRONT)
    with pytest.raises(InvalidImage):
        reader.read(sample.data[: len(sample.data) // 3], Side.FRONT)
    with pytest.raises(EmptyImage):
        reader.read(b"", Side.FRONT)
