"""The search over a photo's flattenings: a doubtful reading is compared with the next
outline's own reading, not with itself."""

from __future__ import annotations

import numpy as np

from idcard_ocr.card.model import CardResult, Field, Side
from idcard_ocr.vision.orient import Hypothesis
from idcard_ocr.vision.reader import Reading, _Search, _View

BACK = Hypothesis(Side.BACK, turned=False, score=0.9)


def _view() -> _View:
    return _View(np.zeros((4, 2)), np.zeros((1, 1, 3), np.uint8), [], 8, [BACK])


def _reading(authority: str, confidence: tuple[int, ...]) -> Reading:
    fields = {
        "authority": Field(authority, confidence),
        "valid_date": Field("2015.01.01-2025.01.01", (100,) * 16),
    }
    return Reading(CardResult(Side.BACK, fields), np.zeros((4, 2)), np.zeros((1, 1, 3)))


def test_a_doubtful_reading_is_doubted_where_the_next_outline_read_it_otherwise() -> None:
    # The first outline reads the bureau with one doubt elsewhere (宁 at 80); the second reads
    # 宁 surer but its 阳 as 杨, and ranks lower for its least sure character (杨 at 60).
    first = _reading("宁阳县公安局", (80, 100, 100, 100, 100, 100))
    second = _reading("宁杨县公安局", (99, 60, 100, 100, 100, 100))
    readings = iter([first, second])
    search = _Search(Side.BACK, lambda view, hypothesis: next(readings))
    found = search.over([_view(), _view()])
    assert found is not None and found.result.fields["authority"].text == "宁阳县公安局"
    # 阳, which the other outline read otherwise at more than even odds, is doubted.
    assert found.result.fields["authority"].confidence[1] <= 50


def test_a_sure_first_reading_is_taken_without_another_outline() -> None:
    sure = _reading("宁阳县公安局", (100,) * 6)
    calls: list[int] = []

    def attempt(view: _View, hypothesis: Hypothesis) -> Reading:
        calls.append(1)
        return sure

    found = _Search(Side.BACK, attempt).over([_view(), _view()])
    assert found is not None and found.result == sure.result and len(calls) == 1
