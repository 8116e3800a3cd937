"""Single-use signatures and per-app rate limits on each backend: the SQL store (SQLite,
PostgreSQL) and Redis, on real time (Redis keeps its own clock), from threads and from
separate processes as `--workers N` would."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.synchronize import Barrier
from pathlib import Path

import pytest
from backend_servers import PostgresServer
from sqlalchemy import select

from idcard_ocr.store.database import Database
from idcard_ocr.store.hot_state import HotState
from idcard_ocr.store.ratelimit import RedisRateLimiter, SqlRateLimiter
from idcard_ocr.store.replay import SWEEP_INTERVAL_SECONDS, RedisReplayGuard, SqlReplayGuard
from idcard_ocr.store.schema import replay_nonces

TIMEOUT = 1.0


@dataclass(frozen=True)
class Backend:
    """What a process needs to open the same hot state again."""

    database_url: str
    redis_url: str | None

    def open(self) -> tuple[Database, HotState]:
        database = Database.open(self.database_url)
        return database, HotState.open(database, self.redis_url, TIMEOUT)


@pytest.fixture(params=["sqlite", "postgresql", "redis"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """The SQL store of each kind on its own, and Redis (beside a SQLite store)."""
    sqlite_url = f"sqlite:///{tmp_path / 'store.db'}"
    if request.param == "sqlite":
        yield Backend(sqlite_url, None)
    elif request.param == "redis":
        yield Backend(sqlite_url, request.getfixturevalue("redis_url"))
    else:
        postgres: PostgresServer = request.getfixturevalue("postgres")
        url = postgres.create_database()
        yield Backend(url, None)
        postgres.drop_database(url)


@pytest.fixture
def hot_state(backend: Backend) -> Iterator[HotState]:
    database, state = backend.open()
    yield state
    state.close()
    database.close()


def test_each_backend_is_the_one_asked_for(backend: Backend, hot_state: HotState) -> None:
    if backend.redis_url:
        assert isinstance(hot_state.replay_guard, RedisReplayGuard)
        assert isinstance(hot_state.rate_limiter, RedisRateLimiter)
    else:
        assert isinstance(hot_state.replay_guard, SqlReplayGuard)
        assert isinstance(hot_state.rate_limiter, SqlRateLimiter)


def test_a_signature_is_claimed_once_while_it_lives(hot_state: HotState) -> None:
    guard = hot_state.replay_guard
    assert guard.claim("sig", 300)
    assert not guard.claim("sig", 300)
    assert guard.claim("other", 300)
    assert guard.claim("short", 0.2)
    assert not guard.claim("short", 0.2)
    time.sleep(0.3)
    assert guard.claim("short", 0.2)  # forgotten once it could no longer be accepted anyway
    assert not guard.claim("sig", 300)


def test_rate_limit_per_app_refills_over_time(hot_state: HotState) -> None:
    limiter = hot_state.rate_limiter
    assert [limiter.admit("a", 2) for _ in range(3)] == [True, True, False]
    assert limiter.admit("b", 2)
    time.sleep(0.6)  # 1.2 tokens
    assert limiter.admit("a", 2)
    assert not limiter.admit("a", 2)


def test_an_idle_bucket_holds_at_most_qps(hot_state: HotState) -> None:
    limiter = hot_state.rate_limiter
    assert limiter.admit("a", 3)
    time.sleep(1.5)
    assert [limiter.admit("a", 3) for _ in range(4)] == [True, True, True, False]


def test_a_lower_limit_applies_at_once(hot_state: HotState) -> None:
    limiter = hot_state.rate_limiter
    assert limiter.admit("a", 50)
    assert [limiter.admit("a", 1) for _ in range(2)] == [True, False]


def test_expired_claims_are_swept_from_the_sql_store(database: Database) -> None:
    clock = Clock()
    guard = SqlReplayGuard(database, clock)
    assert guard.claim("old", 10)
    clock.now += 30
    assert guard.claim("recent", 300)
    assert _claimed(database) == ["old", "recent"]  # swept at most once a minute
    clock.now += SWEEP_INTERVAL_SECONDS
    assert guard.claim("new", 300)
    assert _claimed(database) == ["new", "recent"]
    assert not guard.claim("recent", 300)


def _claimed(database: Database) -> list[str]:
    query = select(replay_nonces.c.digest).order_by(replay_nonces.c.digest)
    with database.transaction() as connection:
        return list(connection.execute(query).scalars())


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_concurrent_claims_of_one_signature_admit_one(hot_state: HotState) -> None:
    signatures = [f"sig-{n}" for n in range(20)] * 8
    with ThreadPoolExecutor(8) as pool:
        claimed = list(pool.map(lambda s: (s, hot_state.replay_guard.claim(s, 300)), signatures))
    winners = [signature for signature, won in claimed if won]
    assert sorted(winners) == sorted(set(signatures))


def test_workers_in_separate_processes_share_claims_and_limits(backend: Backend) -> None:
    # What `serve --workers 3` does: each process opens the store for itself.
    spawn = multiprocessing.get_context("spawn")
    ready = spawn.Barrier(3)
    with ProcessPoolExecutor(3, spawn, _keep_barrier, (ready,)) as pool:
        runs = list(pool.map(_worker_run, [backend] * 3))
    claims = [signature for run in runs for signature in run.claimed]
    assert sorted(claims) == sorted(f"sig-{n}" for n in range(10))
    admitted = sum(run.admitted for run in runs)
    span = max(run.end for run in runs) - min(run.start for run in runs)
    # 3 a second from a full bucket of 3, whichever process asks: not three buckets' worth.
    assert 3 <= admitted <= 3 + int(span * 3) + 1, (admitted, span)


@dataclass(frozen=True)
class _WorkerRun:
    claimed: list[str]
    admitted: int
    start: float
    end: float


_barrier: list[Barrier] = []


def _keep_barrier(barrier: Barrier) -> None:
    _barrier.append(barrier)


def _worker_run(backend: Backend) -> _WorkerRun:
    """Claim ten signatures and ask 15 times for app `w`, as one worker process, all three
    starting together."""
    database, state = backend.open()
    try:
        _barrier[0].wait(timeout=60)
        claimed = [f"sig-{n}" for n in range(10) if state.replay_guard.claim(f"sig-{n}", 300)]
        start = time.time()
        admitted = sum(state.rate_limiter.admit("w", 3) for _ in range(15))
        return _WorkerRun(claimed, admitted, start, time.time())
    finally:
        state.close()
        database.close()
