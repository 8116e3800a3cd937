"""Merging a second reading into the first: agreement settles, disagreement stays doubtful."""

from __future__ import annotations

from idcard_ocr.ocr import CharReading, LineReading
from idcard_ocr.vision.opinion import LENGTH_DISPUTED, merge


def reading(*chars: tuple[str, float]) -> LineReading:
    return LineReading(tuple(CharReading(c, p, ((c, p),)) for c, p in chars))


def test_agreement_keeps_the_surer_belief() -> None:
    first = reading(("程", 0.99), ("彧", 0.6), ("怡", 0.98))
    other = reading(("程", 0.97), ("彧", 0.95), ("怡", 0.99))
    merged = merge(first, other)
    assert merged.text == "程彧怡"
    assert [c.prob for c in merged.chars] == [0.99, 0.95, 0.99]


def test_a_disputed_character_is_never_certain() -> None:
    first = reading(("程", 0.99), ("或", 0.7), ("怡", 0.98))
    other = reading(("程", 0.99), ("彧", 0.93), ("怡", 0.99))
    merged = merge(first, other)
    assert merged.text == "程彧怡"
    assert merged.chars[1].prob < 0.9
    assert abs(merged.chars[1].prob - 0.93 * 0.3) < 1e-9


def test_a_reading_that_drops_the_doubted_character_does_not_win() -> None:
    # The old rule kept the reading whose least sure character is surest: 井县 at 0.99.
    first = reading(("井", 0.95), ("陉", 0.55), ("县", 0.97))
    other = reading(("井", 0.99), ("县", 0.99))
    merged = merge(first, other)
    assert merged.text == "井陉县"
    assert merged.chars[1].prob <= LENGTH_DISPUTED


def test_a_character_only_the_other_reading_saw_inside_the_text_is_taken_as_doubtful() -> None:
    first = reading(("井", 0.99), ("县", 0.99))
    other = reading(("井", 0.99), ("陉", 0.8), ("县", 0.99))
    merged = merge(first, other)
    assert merged.text == "井陉县"
    assert merged.chars[1].prob == LENGTH_DISPUTED


def test_text_beyond_either_end_of_the_first_reading_is_not_added() -> None:
    first = reading(("李", 0.99), ("四", 0.7))
    other = reading(("名", 0.9), ("李", 0.99), ("四", 0.99), ("男", 0.9))
    assert merge(first, other).text == "李四"


def test_an_empty_reading_changes_nothing_and_an_empty_first_takes_the_other_as_doubtful() -> None:
    first = reading(("李", 0.99))
    assert merge(first, LineReading(())) == first
    taken = merge(LineReading(()), first)
    assert taken.text == "李" and taken.chars[0].prob == LENGTH_DISPUTED


def test_marks_that_are_one_in_the_field_agree() -> None:
    # hard #24: one model read the name's dot as ·, the other as -.
    first = reading(("平", 1.0), ("措", 0.99), ("·", 0.61), ("达", 1.0), ("瓦", 1.0))
    other = reading(("平", 1.0), ("措", 1.0), ("-", 1.0), ("达", 1.0), ("瓦", 1.0))
    merged = merge(first, other, {"-": "·", "·": "·"})
    assert merged.text == "平措·达瓦"
    assert merged.chars[2].prob == 1.0
    assert merge(first, other).chars[2].prob < 0.9  # without the fold they disagree
