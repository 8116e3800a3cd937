"""What `/readyz` checks: the engine is loaded, the store answers and, when `REDIS_URL` is set,
Redis answers a PING within its timeout. A balancer sends no traffic to a node that is not
ready; the report names what failed, never where it lives (no URL, no host, no error text).
"""

from __future__ import annotations

from anyio import to_thread

from idcard_ocr.store.database import Database
from idcard_ocr.store.redis_store import RedisStore


class Readiness:
    def __init__(self, database: Database, redis: RedisStore | None = None) -> None:
        self._database = database
        self._redis = redis
        self.models_loaded = False

    async def report(self) -> dict[str, bool]:
        """Each check and whether it passed; `redis_reachable` only when Redis is configured."""
        checks = {
            "models_loaded": self.models_loaded,
            "store_reachable": await to_thread.run_sync(self._database.ping),
        }
        if self._redis is not None:
            checks["redis_reachable"] = await to_thread.run_sync(self._redis.ping)
        return checks
