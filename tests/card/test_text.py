"""Realigning confidences after a correction."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idcard_ocr.card.text import realign


def test_unchanged_text_keeps_its_confidences() -> None:
    assert realign("北京市", [90, 80, 70], "北京市") == (90, 80, 70)


def test_replaced_character_takes_the_replaced_confidence() -> None:
    assert realign("深川市南山", [99, 40, 98, 97, 96], "深圳市南山") == (99, 40, 98, 97, 96)


def test_replaced_span_takes_its_minimum() -> None:
    assert realign("ab12cd", [9, 9, 50, 30, 9, 9], "abXYZcd") == (9, 9, 30, 30, 30, 9, 9)


def test_inserted_character_takes_its_neighbours_minimum() -> None:
    assert realign("南区", [90, 60], "南山区") == (90, 60, 60)
    assert realign("山区", [70, 95], "南山区") == (70, 70, 95)


def test_deleted_character_drops_its_confidence() -> None:
    assert realign("汉族", [95, 40], "汉") == (95,)


def test_fill_overrides() -> None:
    assert realign("漢", [88], "汉", fill=50) == (50,)
    assert realign("", [], "汉", fill=50) == (50,)


def test_insertion_into_nothing_without_fill_is_zero() -> None:
    assert realign("", [], "汉") == (0,)


def test_confidences_must_match_the_old_text() -> None:
    with pytest.raises(ValueError):
        realign("汉族", [95], "汉")


@given(st.text(max_size=12), st.text(max_size=12), st.data())
def test_result_has_one_confidence_per_new_character(
    old: str, new: str, data: st.DataObject
) -> None:
    confidences = data.draw(st.lists(st.integers(0, 100), min_size=len(old), max_size=len(old)))
    result = realign(old, confidences, new)
    assert len(result) == len(new)
    assert all(0 <= c <= 100 for c in result)
