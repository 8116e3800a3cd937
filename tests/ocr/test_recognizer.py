"""The recogniser, with the real model, on printed lines: each crop is read on its own."""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from idcard_ocr.ocr import OcrModels, TextRecognizer
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


def test_a_crop_reads_the_same_whatever_is_read_with_it(recognizer: TextRecognizer) -> None:
    """A batch would pad a short crop to its longest neighbour's width, and the padding
    changes the probabilities the model gives: a field's reading would then depend on which
    other fields were read with it."""
    name = _printed("王小明")
    alone = recognizer.recognize([name])[0]
    for other in ("欧阳小明", "广东省深圳市南山区科技园南区高新南七道"):
        assert recognizer.recognize([name, _printed(other)])[0] == alone


def test_an_alphabet_restricts_a_crop_and_an_empty_crop_reads_nothing(
    recognizer: TextRecognizer,
) -> None:
    empty = np.zeros((0, 0, 3), np.uint8)
    digits, nothing = recognizer.recognize([_printed("1949年12月"), empty], ["0123456789", None])
    assert set(digits.text) <= set("0123456789")
    assert "1949" in digits.text
    assert nothing.text == "" and nothing.chars == ()
