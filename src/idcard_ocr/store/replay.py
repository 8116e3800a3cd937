"""Single-use signatures seen so far: each is accepted once, a reuse is a replay (13).

Every process serving the same store must see the same claims, so the guard lives where they
all meet: Redis when there is one, else the SQL store itself (never one process's memory).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import delete

from idcard_ocr.store.database import Database
from idcard_ocr.store.redis_store import RedisStore
from idcard_ocr.store.schema import replay_nonces

# Expired claims are swept from the SQL store at most this often per process.
SWEEP_INTERVAL_SECONDS = 60.0


class ReplayGuard(Protocol):
    """Remembers single-use signatures for as long as they could still be accepted."""

    def claim(self, signature: str, ttl_seconds: float) -> bool:
        """True the first time a signature is claimed within its ttl, False after."""
        ...


class SqlReplayGuard:
    """Claims as rows of the SQL store: one atomic upsert each, expired rows swept now and then."""

    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self._database = database
        self._clock = clock
        self._swept = clock()
        self._sweeping = threading.Lock()

    def claim(self, signature: str, ttl_seconds: float) -> bool:
        now = self._clock()
        upsert = self._database.upsert(replay_nonces).values(
            digest=signature, expires_at=now + ttl_seconds
        )
        # A row still alive wins the conflict; an expired one is claimed again.
        statement = upsert.on_conflict_do_update(
            index_elements=[replay_nonces.c.digest],
            set_={"expires_at": upsert.excluded.expires_at},
            where=replay_nonces.c.expires_at <= now,
        )
        with self._database.transaction() as connection:
            claimed = connection.execute(statement).rowcount == 1
        self._sweep(now)
        return claimed

    def _sweep(self, now: float) -> None:
        if now - self._swept < SWEEP_INTERVAL_SECONDS or not self._sweeping.acquire(False):
            return
        try:
            with self._database.transaction() as connection:
                connection.execute(delete(replay_nonces).where(replay_nonces.c.expires_at <= now))
            self._swept = now
        finally:
            self._sweeping.release()


class RedisReplayGuard:
    """Claims as Redis keys that expire with the signature: `SET key 1 NX PX ttl`."""

    def __init__(self, redis: RedisStore) -> None:
        self._redis = redis

    def claim(self, signature: str, ttl_seconds: float) -> bool:
        key = self._redis.key("nonce", signature)
        with self._redis.translated_failures():
            expiry = max(1, round(ttl_seconds * 1000))
            return bool(self._redis.client.set(key, b"1", nx=True, px=expiry))
