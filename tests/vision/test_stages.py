"""Stage timing: what `recorded` hands its observer, and the stages the real reader marks."""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping

import pytest

from idcard_ocr.card.model import Side
from idcard_ocr.errors import InvalidImage
from idcard_ocr.synth.sample import render_sample
from idcard_ocr.vision.reader import CardReader
from idcard_ocr.vision.stages import Stage, recorded, timed, timed_iteration, timing


@timed(Stage.READ)
def _nap(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


@timed_iteration(Stage.LOCATE)
def _slow_items(count: int, seconds: float) -> Iterator[int]:
    for index in range(count):
        time.sleep(seconds)
        yield index


def test_recorded_sums_each_stage_and_reports_only_those_that_ran() -> None:
    seen: list[Mapping[Stage, float]] = []
    with recorded(seen.append):
        with timing(Stage.DECODE):
            time.sleep(0.02)
        assert _nap(0.02) == 0.02
        _nap(0.02)
    assert len(seen) == 1
    assert seen[0].keys() == {Stage.DECODE, Stage.READ}
    assert seen[0][Stage.DECODE] >= 0.02
    assert seen[0][Stage.READ] >= 0.04  # both calls


def test_a_generator_is_timed_while_it_produces_not_while_its_items_are_used() -> None:
    seen: list[Mapping[Stage, float]] = []
    with recorded(seen.append):
        for _ in _slow_items(3, 0.01):
            _nap(0.2)  # the consumer's time between items is its own stage
    assert list(_slow_items(2, 0)) == [0, 1]
    assert 0.03 <= seen[0][Stage.LOCATE] < 0.3  # had it counted the consumer's, 0.6 or more
    assert seen[0][Stage.READ] >= 0.6


def test_the_observer_hears_of_a_read_that_failed() -> None:
    seen: list[Mapping[Stage, float]] = []
    with pytest.raises(ValueError), recorded(seen.append):
        _nap(0.01)
        raise ValueError
    assert list(seen[0]) == [Stage.READ]


def test_marks_outside_a_recording_time_nothing_and_change_nothing() -> None:
    assert _nap(0) == 0
    seen: list[Mapping[Stage, float]] = []
    with recorded(seen.append):
        pass
    assert seen == [{}]


@pytest.mark.model
def test_the_reader_marks_decode_locate_and_read(reader: CardReader) -> None:
    sample = render_sample(11, 0, "clean", Side.FRONT)
    seen: list[Mapping[Stage, float]] = []
    start = time.perf_counter()
    with recorded(seen.append):
        reader.read(sample.data, Side.FRONT)
    wall = time.perf_counter() - start
    assert seen[0].keys() == set(Stage)
    assert all(seconds > 0 for seconds in seen[0].values())
    assert sum(seen[0].values()) <= wall


@pytest.mark.model
def test_an_image_that_does_not_decode_stops_at_decode(reader: CardReader) -> None:
    seen: list[Mapping[Stage, float]] = []
    with pytest.raises(InvalidImage), recorded(seen.append):
        reader.read(b"\xff\xd8 not a picture", Side.FRONT)
    assert list(seen[0]) == [Stage.DECODE]
