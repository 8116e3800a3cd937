"""The store's schema comes from its Alembic migrations, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Column, MetaData, String, Table, func, inspect, select

from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database
from idcard_ocr.store.migration import current_revision, head_revision
from idcard_ocr.store.schema import metadata
from idcard_ocr.store.usage import UsageLedger

MARCH = datetime(2026, 3, 1, tzinfo=UTC)
ALEMBIC_VERSION = Table("alembic_version", MetaData(), Column("version_num", String(32)))

# What `metadata.create_all` made on SQLite before the store had migrations, with a key pair.
TABLES_BEFORE_MIGRATIONS = """
CREATE TABLE apps (appid VARCHAR(64) NOT NULL, qps INTEGER NOT NULL,
    created_at DATETIME NOT NULL, PRIMARY KEY (appid));
CREATE TABLE blocked_images (sha256 VARCHAR(64) NOT NULL, created_at DATETIME NOT NULL,
    PRIMARY KEY (sha256));
CREATE TABLE buckets (appid VARCHAR(64) NOT NULL, name VARCHAR(128) NOT NULL,
    created_at DATETIME NOT NULL, PRIMARY KEY (appid, name),
    FOREIGN KEY(appid) REFERENCES apps (appid));
CREATE TABLE key_pairs (secret_id VARCHAR(64) NOT NULL, appid VARCHAR(64) NOT NULL,
    secret_key VARCHAR(128) NOT NULL, enabled BOOLEAN NOT NULL, created_at DATETIME NOT NULL,
    PRIMARY KEY (secret_id), FOREIGN KEY(appid) REFERENCES apps (appid));
CREATE INDEX ix_key_pairs_appid ON key_pairs (appid);
CREATE TABLE usage (appid VARCHAR(64) NOT NULL, bucket VARCHAR(128) NOT NULL,
    month VARCHAR(7) NOT NULL, side INTEGER NOT NULL, code INTEGER NOT NULL,
    count INTEGER NOT NULL, PRIMARY KEY (appid, bucket, month, side, code),
    FOREIGN KEY(appid, bucket) REFERENCES buckets (appid, name));
INSERT INTO apps VALUES ('1250000000', 5, '2026-01-02 03:04:05.000000');
INSERT INTO buckets VALUES ('1250000000', 'photos', '2026-01-02 03:04:05.000000');
INSERT INTO key_pairs VALUES ('AKIDold', '1250000000', 'oldsecret', 1,
    '2026-01-02 03:04:05.000000');
"""


def test_a_new_store_is_built_by_the_migrations_as_schema_describes(database: Database) -> None:
    with database.transaction() as connection:
        assert current_revision(connection) == head_revision()
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_opening_again_changes_nothing(database_url: str) -> None:
    issued = CredentialStore(Database.open(database_url), 7).create("1250000000", "photos")
    again = Database.open(database_url)
    try:
        access = CredentialStore(again, 7).access("1250000000", issued.secret_id, "photos")
        assert access.secret_key == issued.secret_key
    finally:
        again.close()


def test_a_store_made_before_migrations_keeps_its_data_and_gains_the_new_tables(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as old:
        old.executescript(TABLES_BEFORE_MIGRATIONS)
    old.close()
    database = Database.open(f"sqlite:///{path}")
    try:
        access = CredentialStore(database, 7).access("1250000000", "AKIDold", "photos")
        assert (access.app_qps, access.secret_key, access.bucket_known) == (5, "oldsecret", True)
        UsageLedger(database).record("1250000000", "photos", 0, [0], MARCH)
        with database.transaction() as connection:
            assert current_revision(connection) == head_revision()
            assert {"replay_nonces", "rate_limits"} <= set(inspect(connection).get_table_names())
            assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    finally:
        database.close()


def test_a_store_opened_while_another_process_writes_to_it_waits(tmp_path: Path) -> None:
    """SQLite refuses to switch a file to write-ahead logging at once, without waiting on
    busy_timeout, while another connection holds a write lock."""
    path = tmp_path / "store.db"
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("CREATE TABLE other (x INTEGER)")
    writer.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: writer.execute("COMMIT"))
    release.start()
    try:
        database = Database.open(f"sqlite:///{path}")
    finally:
        release.join()
        writer.close()
    try:
        with database.transaction() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
    finally:
        database.close()


def test_processes_opening_a_new_store_together_migrate_it_once(database_url: str) -> None:
    # Workers and nodes start at once; each opens the store and would run the migrations.
    # Daemon threads: a deadlock fails the test instead of hanging the run.
    opened: list[Database] = []
    threads = [
        threading.Thread(target=lambda: opened.append(Database.open(database_url)), daemon=True)
        for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(opened) == 4
    try:
        with opened[0].transaction() as connection:
            versions = connection.execute(select(func.count()).select_from(ALEMBIC_VERSION))
            assert versions.scalar_one() == 1
            assert current_revision(connection) == head_revision()
    finally:
        for database in opened:
            database.close()
