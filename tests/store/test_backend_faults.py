"""A backend that goes away answers 202 (`BackendUnavailable`) at once, and the store works again
by itself when it is back: no reopening, no restart of the server.

Each test stops and starts a server of its own, so the session's servers stay up for the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from backend_servers import PostgresServer, RedisServer, running_postgres, running_redis

from idcard_ocr.errors import BackendUnavailable
from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database
from idcard_ocr.store.hot_state import HotState
from idcard_ocr.store.usage import UsageLedger

TIMEOUT = 1.0


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


def test_redis_stopped_is_202_within_the_timeout_and_recovers(
    own_redis: RedisServer, tmp_path: Path
) -> None:
    database = Database.open(f"sqlite:///{tmp_path}/store.db")
    state = HotState.open(database, own_redis.url, TIMEOUT)
    try:
        assert state.replay_guard.claim("before", 300)
        assert state.rate_limiter.admit("app", 100)

        own_redis.stop()
        _assert_unavailable(lambda: state.replay_guard.claim("during", 300))
        _assert_unavailable(lambda: state.rate_limiter.admit("app", 100))
        assert state.redis is not None and not state.redis.ping()

        own_redis.start()  # empty: no persistence, and the token script is no longer loaded
        assert state.replay_guard.claim("after", 300)
        assert not state.replay_guard.claim("after", 300)
        assert state.rate_limiter.admit("app", 100)
        assert state.redis.ping()
    finally:
        state.close()
        database.close()


def test_redis_down_at_start_serves_once_it_comes_up(tmp_path: Path) -> None:
    server = RedisServer()  # not started yet
    database = Database.open(f"sqlite:///{tmp_path}/store.db")
    state = HotState.open(database, server.url, TIMEOUT)
    try:
        _assert_unavailable(lambda: state.rate_limiter.admit("app", 100))
        server.start()
        assert state.rate_limiter.admit("app", 100)
    finally:
        server.stop()
        state.close()
        database.close()


def test_postgresql_stopped_is_202_and_recovers(own_postgres: PostgresServer) -> None:
    database = Database.open(own_postgres.url())
    state = HotState.open(database, None, TIMEOUT)
    credentials = CredentialStore(database, 7)
    issued = credentials.create("1250000000", "photos")
    try:
        assert state.replay_guard.claim("before", 300)

        own_postgres.stop()
        _assert_unavailable(lambda: credentials.access("1250000000", issued.secret_id, "photos"))
        _assert_unavailable(lambda: state.replay_guard.claim("during", 300))
        _assert_unavailable(lambda: state.rate_limiter.admit("1250000000", 7))
        _assert_unavailable(
            lambda: UsageLedger(database).record("1250000000", "photos", 0, [0], datetime.now(UTC))
        )
        assert not database.ping()

        own_postgres.start()
        access = credentials.access("1250000000", issued.secret_id, "photos")
        assert access.secret_key == issued.secret_key
        assert not state.replay_guard.claim("before", 300)  # kept: PostgreSQL persists claims
        assert state.replay_guard.claim("after", 300)
        assert state.rate_limiter.admit("1250000000", 7)
        assert database.ping()
    finally:
        database.close()


def test_opening_a_stopped_postgresql_is_202(own_postgres: PostgresServer) -> None:
    own_postgres.stop()
    started = time.monotonic()
    with pytest.raises(BackendUnavailable) as caught:
        Database.open(own_postgres.url())
    assert caught.value.code == 202
    assert time.monotonic() - started < 5


def _assert_unavailable(call: Callable[[], object]) -> None:
    started = time.monotonic()
    with pytest.raises(BackendUnavailable) as caught:
        call()
    assert caught.value.code == 202
    assert time.monotonic() - started < TIMEOUT + 1.0
