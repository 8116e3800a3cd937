"""Assembly's character rules that need no model: traditional forms back to the printed ones."""

from __future__ import annotations

from idcard_ocr.ocr import CharReading
from idcard_ocr.vision.assemble import _standard


def test_a_traditional_form_the_recogniser_doubted_becomes_the_printed_simplified_one() -> None:
    read = CharReading("悅", 0.6, (("悅", 0.6), ("悦", 0.35), ("说", 0.01)))

    standard = _standard(read)

    assert standard.char == "悦"
    assert standard.prob == 0.95


def test_a_character_is_not_converted_to_one_the_recogniser_never_saw() -> None:
    # 乾 is a standard name character; the converter alone would make it 干.
    read = CharReading("乾", 0.98, (("乾", 0.98), ("韩", 0.01)))

    assert _standard(read) == read


def test_simplified_characters_pass_unchanged() -> None:
    read = CharReading("悦", 0.9, (("悦", 0.9), ("悅", 0.08)))

    assert _standard(read) == read
