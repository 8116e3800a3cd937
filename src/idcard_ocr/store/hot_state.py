"""Where single-use signatures and rate limits live: Redis when `REDIS_URL` names one, else the
SQL store. Either way every worker and node on the same store shares them, so `--workers N`
and several servers keep one signature single-use and one limit per app."""

from __future__ import annotations

from dataclasses import dataclass

from idcard_ocr.store.database import Database
from idcard_ocr.store.ratelimit import RateLimiter, RedisRateLimiter, SqlRateLimiter
from idcard_ocr.store.redis_store import RedisStore
from idcard_ocr.store.replay import RedisReplayGuard, ReplayGuard, SqlReplayGuard


@dataclass(frozen=True)
class HotState:
    """The replay guard and the rate limiter of one deployment, and the Redis behind them."""

    replay_guard: ReplayGuard
    rate_limiter: RateLimiter
    redis: RedisStore | None = None

    @classmethod
    def open(cls, database: Database, redis_url: str | None, redis_timeout: float) -> HotState:
        """On Redis if `redis_url` is set (connected on first use), else on `database`."""
        if not redis_url:
            return cls(SqlReplayGuard(database), SqlRateLimiter(database))
        redis = RedisStore.open(redis_url, redis_timeout)
        return cls(RedisReplayGuard(redis), RedisRateLimiter(redis), redis)

    def close(self) -> None:
        if self.redis is not None:
            self.redis.close()
