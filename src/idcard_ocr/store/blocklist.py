"""Images an operator has blocked, by SHA-256 of their bytes: they answer -5062."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select

from idcard_ocr.store.database import Database
from idcard_ocr.store.schema import blocked_images

_SHA256 = re.compile(r"[0-9a-f]{64}")


class Blocklist:
    """The set of blocked image digests in the SQL store."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def add(self, sha256: str) -> bool:
        """Block a digest; False when it was already blocked. Raises ValueError if not SHA-256."""
        digest = normalise_digest(sha256)
        with self._database.transaction() as connection:
            if self._contains(connection, [digest]):
                return False
            connection.execute(insert(blocked_images).values(sha256=digest, created_at=_now()))
        return True

    def remove(self, sha256: str) -> bool:
        """Unblock a digest; False when it was not blocked."""
        digest = normalise_digest(sha256)
        statement = delete(blocked_images).where(blocked_images.c.sha256 == digest)
        with self._database.transaction() as connection:
            return connection.execute(statement).rowcount > 0

    def digests(self) -> list[str]:
        query = select(blocked_images.c.sha256).order_by(blocked_images.c.sha256)
        with self._database.transaction() as connection:
            return list(connection.execute(query).scalars())

    def blocked(self, digests: Collection[str]) -> set[str]:
        """Those of `digests` that are blocked (one query for a whole request)."""
        if not digests:
            return set()
        with self._database.transaction() as connection:
            return self._contains(connection, digests)

    @staticmethod
    def _contains(connection: Connection, digests: Collection[str]) -> set[str]:
        query = select(blocked_images.c.sha256).where(blocked_images.c.sha256.in_(list(digests)))
        return set(connection.execute(query).scalars())


def normalise_digest(text: str) -> str:
    """A SHA-256 in lower-case hex; raises ValueError for anything else."""
    digest = text.strip().lower()
    if not _SHA256.fullmatch(digest):
        raise ValueError("not a SHA-256 hex digest")
    return digest


def _now() -> datetime:
    return datetime.now(UTC)
