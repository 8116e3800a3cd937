"""One Redis server behind redis-py, for the state every process must share at once (nonces,
rate limits); its failures become `BackendUnavailable` (202).

Nothing is sent twice: a command whose reply was lost may have run (a nonce set, a token
taken), so redis-py's retries are off. A pooled connection the server dropped is noticed and
replaced when it is next taken from the pool, so the store recovers by itself once Redis is
back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import redis
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError, ReadOnlyError, TimeoutError
from redis.retry import Retry

from idcard_ocr.errors import BackendUnavailable

KEY_PREFIX = "idcard-ocr"


class RedisStore:
    """The client of one `REDIS_URL`; connects on first use."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @classmethod
    def open(cls, url: str, timeout_seconds: float) -> RedisStore:
        """A client of `url` whose every call gives up after `timeout_seconds`."""
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=timeout_seconds,
            socket_timeout=timeout_seconds,
            retry=Retry(NoBackoff(), 0),
        )
        return cls(client)

    @staticmethod
    def key(kind: str, name: str) -> str:
        """The key of one `kind` of state (`nonce`, `rate`), under the service's prefix."""
        return f"{KEY_PREFIX}:{kind}:{name}"

    @contextmanager
    def translated_failures(self) -> Iterator[None]:
        """Turn Redis being unreachable, slow or read-only into `BackendUnavailable`."""
        try:
            yield
        except (ConnectionError, TimeoutError, ReadOnlyError) as exc:
            raise BackendUnavailable() from exc

    def ping(self) -> bool:
        """Whether Redis answers."""
        try:
            with self.translated_failures():
                return bool(self.client.ping())
        except BackendUnavailable:
            return False

    def close(self) -> None:
        self.client.close()
