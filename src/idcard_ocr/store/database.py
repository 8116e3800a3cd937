"""One SQL database behind SQLAlchemy Core; driver failures become `BackendUnavailable` (202).

`sqlite:///path` and `postgresql://user:password@host/db` name the two supported stores;
PostgreSQL is reached through psycopg 3 (a libpq option such as `?connect_timeout=3` may be
added to the URL).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import URL, Connection, Engine, Table, create_engine, event, make_url, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

from idcard_ocr.errors import BackendUnavailable
from idcard_ocr.store.migration import upgrade_schema


class Database:
    """The engine of one `DATABASE_URL`, its schema brought up to date when opened."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Database:
        """Connect to `url` and run the migrations it lacks; raises `BackendUnavailable`."""
        engine = create_engine(engine_url(url), pool_pre_ping=True)
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        database = cls(engine)
        try:
            with translated_failures():
                upgrade_schema(engine)
        except BaseException:
            engine.dispose()
            raise
        return database

    @property
    def dialect(self) -> str:
        """`sqlite` or `postgresql`."""
        return self.engine.dialect.name

    def upsert(self, table: Table) -> sqlite.Insert | postgresql.Insert:
        """An INSERT into `table` that can say what a conflict on its key does instead (both
        stores share `ON CONFLICT`: one statement, atomic, no read-then-write race)."""
        # SQLAlchemy keeps the rowcount of UPDATE and DELETE only unless asked: it says here
        # whether the row was written or the conflict left it as it was.
        if self.dialect == "postgresql":
            return postgresql.insert(table).execution_options(preserve_rowcount=True)
        return sqlite.insert(table).execution_options(preserve_rowcount=True)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A connection in a transaction, committed on success."""
        with translated_failures(), self.engine.begin() as connection:
            yield connection

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


def engine_url(url: str) -> URL:
    """`url` with PostgreSQL's driver named: a bare `postgresql://` would mean psycopg2."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


@contextmanager
def translated_failures() -> Iterator[None]:
    """Turn the database being unreachable or gone into `BackendUnavailable`."""
    try:
        yield
    except OperationalError as exc:
        raise BackendUnavailable() from exc
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise BackendUnavailable() from exc
        raise


BUSY_TIMEOUT_SECONDS = 5.0
LOCKED_RETRY_SECONDS = 0.05


def _sqlite_pragmas(dbapi_connection: object, _record: ConnectionPoolEntry) -> None:
    # Several workers and CLI commands share one file: wait for locks instead of failing.
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={round(BUSY_TIMEOUT_SECONDS * 1000)}")
    _in_wal_mode(cursor)
    cursor.close()


def _in_wal_mode(cursor: sqlite3.Cursor) -> None:
    """The file switched to write-ahead logging, once (the mode is kept in the file).

    While another connection holds a write lock (processes migrating a new store at once),
    SQLite refuses the switch at once, without waiting on busy_timeout: "database is locked"
    failed one of four processes opening a new store together. So it is tried again until
    the busy timeout would have run out.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
            time.sleep(LOCKED_RETRY_SECONDS)
