"""Admission control: the read-time estimate, whole-request decisions, and what answers 203."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest
from fake_reader import FRONT_IMAGE, FakeReader

from idcard_ocr.api.admission import Admission, AdmissionPolicy, ServiceTime
from idcard_ocr.api.pool import Outcome, RecognitionPool
from idcard_ocr.card.model import CardResult, Side
from idcard_ocr.errors import ProcessingTimeout, ServerBusy


def admission(
    mean: float = 1.0, threads: int = 2, max_items: int = 200, budget: float = 10.0
) -> Admission:
    service_time = ServiceTime(mean)
    service_time.measured(mean)
    service_time.deviation = 0.0  # predictions in whole rounds, to read the decisions plainly
    return Admission(AdmissionPolicy(threads, max_items, budget, deviations=2.0), service_time)


def test_the_first_read_replaces_the_cold_start_guess_then_the_mean_follows_slowly() -> None:
    estimate = ServiceTime(1.5)
    assert (estimate.mean, estimate.deviation) == (1.5, 0.75)
    estimate.measured(0.2)
    assert (estimate.mean, estimate.deviation) == (0.2, 0.1)
    estimate.measured(1.0)  # one slow read moves the mean by an eighth of its error
    assert estimate.mean == pytest.approx(0.3)
    assert estimate.deviation == pytest.approx(0.1 + 0.25 * (0.8 - 0.1))
    for _ in range(100):
        estimate.measured(0.5)
    assert estimate.mean == pytest.approx(0.5, abs=1e-3)
    assert estimate.deviation == pytest.approx(0.0, abs=1e-3)


def test_prediction_counts_rounds_of_threads_plus_a_margin_of_deviations() -> None:
    door = admission(mean=1.0, threads=2)
    assert door.predicted_seconds(1) == door.predicted_seconds(2) == 1.0
    assert door.predicted_seconds(20) == 10.0
    door.service_time.deviation = 0.5
    assert door.predicted_seconds(8) == pytest.approx(4 * 1.0 + 2.0 * 0.5 * 2)


def test_a_request_that_would_end_past_the_budget_is_refused_whole() -> None:
    door = admission(mean=1.0, threads=2, budget=10.0)
    assert door.take(16)  # 8 rounds
    assert not door.take(6)  # 22 items: 11 rounds, past 10 s
    assert door.used == 16  # nothing of the refused request was taken
    assert door.take(4)  # 20 items: 10 rounds, just in budget
    assert not door.take(1)


def test_a_refusal_says_about_when_the_request_would_be_admitted() -> None:
    door = admission(mean=1.0, threads=2, budget=10.0)
    assert door.take(16)
    assert door.wait_seconds(6) == 1.0  # one round read, and 14 + 6 items fit in 10 s
    assert door.wait_seconds(20) == 7.0  # down to the last round: 2 items left
    assert door.wait_seconds(4) == 0.0  # it would be admitted now


def test_a_pool_with_nothing_waiting_admits_any_request_within_the_bound() -> None:
    door = admission(mean=5.0, threads=2, max_items=22, budget=10.0)
    assert door.take(20)  # predicted 50 s, but waiting would not make it sooner
    assert not door.take(1)  # 18 items wait: 21 would end past the budget
    for _ in range(18):
        door.finished(5.0)
    assert door.take(20)  # the last round runs: no thread should go idle for want of work
    for _ in range(22):
        door.finished(5.0)
    assert not door.take(23)  # the bound on memory holds even when idle


def test_finished_reads_teach_the_estimate_and_free_their_slot() -> None:
    changes: list[int] = []
    door = Admission(AdmissionPolicy(2, 200, 10.0, 2.0), ServiceTime(1.5), changes.append)
    assert door.take(3)
    door.finished(0.3)
    door.finished(None)  # an item that never ran (failed before, or cancelled) teaches nothing
    door.finished(0.3)
    assert (door.service_time.samples, door.service_time.mean) == (2, pytest.approx(0.3))
    assert changes == [3, 2, 1, 0]
    assert door.used == 0


class GatedReader:
    """Reads wait for their gate; counts the reads that began."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.began = 0

    def read(self, image: bytes, side: Side) -> CardResult:
        self.began += 1
        self.gate.wait(30)
        return FakeReader().read(image, side)


def recognise(pool: RecognitionPool, images: Sequence[bytes]) -> list[Outcome]:
    async def run() -> list[Outcome]:
        with pool.admitted(len(images)) as slots:
            return await pool.recognise_all(images, Side.FRONT, slots)

    return asyncio.run(run())


def pool_of(reader: object, threads: int, item_timeout: float) -> RecognitionPool:
    door = Admission(AdmissionPolicy(threads, 200, item_timeout, 2.0), ServiceTime(0.1))
    return RecognitionPool(reader, door, item_timeout)  # type: ignore[arg-type]


def test_items_queued_longer_than_the_budget_still_answer_while_the_pool_progresses() -> None:
    # One thread, 1.5 s budget, 1 s reads: the third item waits 2 s, but reads go on.
    pool = pool_of(FakeReader(), threads=1, item_timeout=1.5)
    try:
        outcomes = recognise(pool, [b"SLOW"] * 3)
    finally:
        pool.shutdown()
    assert all(isinstance(outcome, CardResult) for outcome in outcomes)


def test_a_read_stuck_past_the_timeout_answers_203_and_so_do_the_items_behind_it() -> None:
    reader = GatedReader()
    pool = pool_of(reader, threads=1, item_timeout=0.5)
    try:
        outcomes = recognise(pool, [FRONT_IMAGE] * 2)
    finally:
        reader.gate.set()
        pool.shutdown()
    assert [type(outcome) for outcome in outcomes] == [ProcessingTimeout] * 2
    assert reader.began == 1  # the queued item was dropped, never read


def test_the_slots_of_items_that_never_reach_the_pool_come_back() -> None:
    door = admission(mean=1.0, threads=2, max_items=4)
    pool = RecognitionPool(FakeReader(), door, 10.0)
    try:
        with pool.admitted(4) as slots:
            assert door.used == 4
            asyncio.run(pool.recognise_all([FRONT_IMAGE], Side.FRONT, slots))
        assert door.used == 0
        with pool.admitted(3), pytest.raises(ServerBusy):  # 3 + 2 > the bound of 4
            pool.admitted(2).__enter__()
    finally:
        pool.shutdown()
