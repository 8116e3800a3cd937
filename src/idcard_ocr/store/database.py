"""One SQL database behind SQLAlchemy Core; driver failures become `BackendUnavailable` (202)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from idcard_ocr.errors import BackendUnavailable
from idcard_ocr.store.schema import metadata


class Database:
    """The engine of one `DATABASE_URL`, with the schema created on first use."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Database:
        """Connect to `url` and create missing tables; raises `BackendUnavailable`."""
        engine = create_engine(url, pool_pre_ping=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        database = cls(engine)
        with database.transaction() as connection:
            metadata.create_all(connection)
        return database

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in a transaction, committed on success."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except OperationalError as exc:
            raise BackendUnavailable() from exc
        except DBAPIError as exc:
            if exc.connection_invalidated:
                raise BackendUnavailable() from exc
            raise

    def ping(self) -> bool:
        """Whether the database answers."""
        try:
            with self.transaction() as connection:
                connection.execute(select(1))
        except BackendUnavailable:
            return False
        return True

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_connection: object, _record: ConnectionPoolEntry) -> None:
    # Several workers and CLI commands share one file: wait for locks instead of failing.
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()
