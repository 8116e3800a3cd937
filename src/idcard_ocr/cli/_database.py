"""The store the operator commands work on: the one `DATABASE_URL` names, as the server's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from idcard_ocr.errors import IdCardOcrError
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database


@contextmanager
def open_database(settings: Settings | None = None) -> Iterator[Database]:
    """The database, closed afterwards; a store error ends the command with its code."""
    settings = settings or Settings()
    try:
        database = Database.open(settings.database_url)
        try:
            yield database
        finally:
            database.close()
    except IdCardOcrError as exc:
        raise SystemExit(f"error {exc.code}: {exc.message}") from exc


@contextmanager
def credential_store() -> Iterator[CredentialStore]:
    """Apps, buckets and keys, with the configured default rate limit for new apps."""
    settings = Settings()
    with open_database(settings) as database:
        yield CredentialStore(database, settings.default_qps)
