"""Requests per second per appid: over the app's limit a request is refused with 15.

A token bucket per app, `qps` tokens a second and bursts up to `qps`, kept where every process
serving the store meets: Redis when there is one, else the SQL store (never one process's
memory, which `--workers N` or a second node would multiply).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from sqlalchemy import case

from idcard_ocr.store.database import Database
from idcard_ocr.store.redis_store import RedisStore
from idcard_ocr.store.schema import rate_limits


class RateLimiter(Protocol):
    """Admits or refuses one request of an app under its requests-per-second limit."""

    def admit(self, appid: str, qps: int) -> bool:
        """True when the request is within the limit (and counts it), False when over."""
        ...


class SqlRateLimiter:
    """A bucket per app as a row, taken from by one atomic upsert per request.

    Time is this machine's clock; with several machines on one store, keep their clocks in
    step (NTP), or use Redis, whose own clock then rules.
    """

    def __init__(self, database: Database, clock: Callable[[], float] = time.time) -> None:
        self._database = database
        self._clock = clock

    def admit(self, appid: str, qps: int) -> bool:
        now = self._clock()
        upsert = self._database.upsert(rate_limits).values(
            appid=appid, tokens=float(qps - 1), updated_at=now
        )
        # Refill for the time since the last request taken (never backwards), up to qps.
        elapsed = case((rate_limits.c.updated_at < now, now - rate_limits.c.updated_at), else_=0.0)
        refilled = rate_limits.c.tokens + elapsed * qps
        tokens = case((refilled > qps, float(qps)), else_=refilled)
        # A bucket without a whole token is left as it is, and the request refused: no row
        # changes, so rowcount says which.
        statement = upsert.on_conflict_do_update(
            index_elements=[rate_limits.c.appid],
            set_={"tokens": tokens - 1.0, "updated_at": now},
            where=tokens >= 1.0,
        )
        with self._database.transaction() as connection:
            return connection.execute(statement).rowcount == 1


# KEYS[1]: the app's bucket; ARGV[1]: qps. Redis's clock, so every node agrees on the time.
_TAKE_TOKEN = """
local qps = tonumber(ARGV[1])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local bucket = redis.call('HMGET', KEYS[1], 'tokens', 'updated_at')
local tokens = tonumber(bucket[1]) or qps
local updated_at = tonumber(bucket[2]) or now
tokens = math.min(qps, tokens + math.max(0, now - updated_at) * qps)
if tokens < 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens - 1),
           'updated_at', string.format('%.6f', now))
-- An untouched bucket is full again within a second: forget it after two.
redis.call('PEXPIRE', KEYS[1], 2000)
return 1
"""


class RedisRateLimiter:
    """A bucket per app as a Redis hash, taken from by one Lua script (atomic in Redis)."""

    def __init__(self, redis: RedisStore) -> None:
        self._redis = redis
        self._take_token = redis.client.register_script(_TAKE_TOKEN)

    def admit(self, appid: str, qps: int) -> bool:
        with self._redis.translated_failures():
            taken = self._take_token(keys=[self._redis.key("rate", appid)], args=[qps])
        return bool(taken)
