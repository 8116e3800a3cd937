"""The recogniser, with the real model, on printed lines, and how it batches crops."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from idcard_ocr.ocr import OcrModels, TextRecognizer
from idcard_ocr.ocr.models import ModelMissing, make_session, without_softmax
from idcard_ocr.ocr.recognizer import (
    INPUT_HEIGHT,
    MAX_BATCH_WIDTH,
    MAX_INPUT_WIDTH,
    _batches,
    _ratio,
)
from idcard_ocr.synth import fonts

THREADS = 1


@pytest.fixture(scope="module")
def recognizer() -> Iterator[TextRecognizer]:
    yield TextRecognizer.load(OcrModels.installed().recognizer, THREADS)


def _printed(text: str, height: int = 64) -> np.ndarray:
    """A BGR crop of `text` printed black on white in an installed CJK face."""
    font = fonts.load(fonts.cjk_faces()[0], round(height * 0.7))
    left, top, right, bottom = font.getbbox(text)
    image = Image.new("RGB", (right - left + height // 2, height), "white")
    ImageDraw.Draw(image).text(
        (height // 4 - left, (height - (bottom - top)) // 2 - top), text, font=font, fill="black"
    )
    return cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR)


def test_reads_printed_lines(recognizer: TextRecognizer) -> None:
    lines = ["张三", "北京市海淀区中关村大街27号", "110105194912310021"]
    readings = recognizer.recognize([_printed(t) for t in lines])
    assert [r.text for r in readings] == lines
    assert all(min(r.confidences) >= 90 for r in readings)


def test_lines_of_like_width_are_read_together_but_never_too_wide_a_batch() -> None:
    """A card's crops share batches as before; a page's many long lines do not all run at
    once (8 lines 1060 px wide raised the engine's peak RSS by 255 MB)."""
    card = [2.0, 9.0, 9.5, 18.0, 1.8]  # width / height of a card's crops
    assert sorted(map(sorted, _batches(card))) == [[0, 4], [1, 2], [3]]
    page = [22.0] * 8
    batches = _batches(page)
    assert sorted(i for batch in batches for i in batch) == list(range(8))
    assert all(len(b) * INPUT_HEIGHT * 22.0 <= MAX_BATCH_WIDTH for b in batches)
    assert max(map(len, batches)) > 1  # still batched, only in smaller batches


def test_an_alphabet_restricts_a_crop_and_an_empty_crop_reads_nothing(
    recognizer: TextRecognizer,
) -> None:
    empty = np.zeros((0, 0, 3), np.uint8)
    digits, nothing = recognizer.recognize([_printed("1949年12月"), empty], ["0123456789", None])
    assert set(digits.text) <= set("0123456789")
    assert "1949" in digits.text
    assert nothing.text == "" and nothing.chars == ()


def test_a_sliver_reads_nothing_and_a_very_long_crop_is_read_squeezed(
    recognizer: TextRecognizer,
) -> None:
    """A row cut 1 px tall at a page's edge was read 57456 px wide (10 s and 1.7 GB)."""
    sliver = np.full((1, 1197, 3), 255, np.uint8)
    assert recognizer.recognize([sliver])[0].chars == ()
    long_line = np.full((40, 40 * 200, 3), 255, np.uint8)
    assert INPUT_HEIGHT * _ratio(long_line) == MAX_INPUT_WIDTH
    assert recognizer.recognize([long_line])[0].text == ""  # blank paper, read in bounds


def test_characters_carry_the_probabilities_of_the_models_own_softmax(
    recognizer: TextRecognizer,
) -> None:
    """The model runs without its final softmax; the decoder's probabilities, over every
    class or renormalised to an alphabet, are still those the whole model gives."""
    full = make_session(OcrModels.installed().recognizer, THREADS)
    crop = _printed("1949年12月31日")
    tensor, _ = recognizer._run([crop], [_ratio(crop)])
    logits_frames = tensor.shape[1]
    probs = full.run(None, {full.get_inputs()[0].name: _input(crop)})[0][0]
    assert probs.shape[0] == logits_frames
    for alphabet in (None, "0123456789"):
        (reading,) = recognizer.recognize([crop], [alphabet])
        classes = [recognizer._index[c] for c in (alphabet or "")]
        for char in reading.chars:
            frame = min(int(char.x * logits_frames), logits_frames - 1)
            window = probs[max(0, frame - 2) : frame + 3]
            if alphabet is not None:
                kept = window[:, [0, *classes]]
                window = kept / kept.sum(axis=1, keepdims=True)
                index = 1 + sorted(classes).index(recognizer._index[char.char])
            else:
                index = recognizer._index[char.char]
            assert np.isclose(window[:, index], char.prob, rtol=1e-4, atol=1e-6).any(), char
    assert "1949" in reading.text


def _input(crop: np.ndarray) -> np.ndarray:
    width = max(64, int(np.ceil(INPUT_HEIGHT * _ratio(crop))))
    resized = cv2.resize(crop, (width, INPUT_HEIGHT)).astype(np.float32)
    return (resized.transpose(2, 0, 1) / 127.5 - 1.0)[np.newaxis]


def test_a_model_that_does_not_end_in_a_softmax_is_refused() -> None:
    with pytest.raises(ModelMissing, match="softmax"):
        without_softmax(OcrModels.installed().detector)
