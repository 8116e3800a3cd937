"""The card's two sides."""

from __future__ import annotations

from idcard_ocr.card.model import Side


def test_each_side_names_the_other() -> None:
    assert Side.FRONT.other is Side.BACK
    assert Side.BACK.other is Side.FRONT
