"""The schema's history: Alembic migrations shipped in `store/migrations`, run at every open.

Every process that opens the store brings it to the newest revision, one at a time: a
PostgreSQL advisory lock or SQLite's write lock is held for the whole upgrade, so workers and
nodes starting together never build the same table twice. A store already at the newest
revision is only read, never locked. A store whose tables `create_all`
made before there were migrations is stamped at the first revision, then upgraded.

A new revision is a file in `store/migrations/versions` whose `down_revision` is the current
head; a test checks that the migrations build exactly the tables of `store/schema.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

MIGRATIONS = Path(__file__).with_name("migrations")
FIRST_REVISION = "0001"
# Any fixed 64-bit number names the lock; this one is "idcard-o" in ASCII.
_ADVISORY_LOCK = 0x6964636172642D6F
# How long an opening process waits for another's upgrade of a SQLite store.
_SQLITE_WAIT_MS = 120_000


def upgrade_schema(engine: Engine) -> None:
    """Bring the store of `engine` to the newest revision."""
    with engine.connect() as connection:
        if current_revision(connection) == head_revision():
            return  # the usual open: no lock taken, nothing written
    with _exclusive(engine) as connection:
        config = _config(connection)
        if _made_before_migrations(connection):
            command.stamp(config, FIRST_REVISION)
        command.upgrade(config, "head")


def current_revision(connection: Connection) -> str | None:
    """The revision the store is at; None before any migration ran."""
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    """The newest revision this version of idcard-ocr ships."""
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def _made_before_migrations(connection: Connection) -> bool:
    return current_revision(connection) is None and inspect(connection).has_table("apps")


@contextmanager
def _exclusive(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that no other process upgrading the store can enter."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            # pysqlite runs DDL outside any transaction unless it is told to stay out of the way;
            # BEGIN IMMEDIATE takes the write lock before the revision is read.
            # Another process's upgrade may hold the lock for seconds on a busy machine: wait.
            driver = connection.connection.driver_connection
            driver.isolation_level = None  # type: ignore[union-attr]
            usual_wait = connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
            connection.exec_driver_sql(f"PRAGMA busy_timeout={_SQLITE_WAIT_MS}")
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                yield connection
                connection.commit()
            finally:
                connection.rollback()
                connection.exec_driver_sql(f"PRAGMA busy_timeout={int(usual_wait)}")
                driver.isolation_level = ""  # type: ignore[union-attr]
            return
        with connection.begin():
            if engine.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_LOCK}
                )
            yield connection
