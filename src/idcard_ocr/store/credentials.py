"""Apps, their buckets and key pairs: what signatures are verified against.

HMAC-SHA1 verification needs the secret key itself, so the key is stored as issued; it is
printed once, at creation, and never listed again.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select, update

from idcard_ocr.errors import AppNotFound
from idcard_ocr.store.database import Database
from idcard_ocr.store.schema import apps, buckets, key_pairs

_ALPHABET = string.ascii_letters + string.digits


@dataclass(frozen=True)
class IssuedCredential:
    """A new key pair with its secret: shown once, never stored elsewhere or listed."""

    appid: str
    bucket: str
    secret_id: str
    secret_key: str


@dataclass(frozen=True)
class KeyPair:
    """A key pair as listed: never its secret."""

    secret_id: str
    appid: str
    enabled: bool
    created_at: datetime


@dataclass(frozen=True)
class Bucket:
    appid: str
    name: str


@dataclass(frozen=True)
class Access:
    """What the store knows about one signed request: app, key and bucket, in one round-trip."""

    app_qps: int | None  # None when the appid is unknown
    key_appid: str | None  # None when the SecretID is unknown or disabled
    secret_key: str
    bucket_known: bool


class CredentialStore:
    """Apps, buckets and key pairs in the SQL store."""

    def __init__(self, database: Database, default_qps: int) -> None:
        self._database = database
        self._default_qps = default_qps

    def create(self, appid: str, bucket: str, qps: int | None = None) -> IssuedCredential:
        """Ensure the app and bucket exist and issue a new key pair for them."""
        with self._database.transaction() as connection:
            self._ensure_app(connection, appid, qps)
            self._ensure_bucket(connection, appid, bucket)
            secret_id = "AKID" + _random_text(32)
            secret_key = _random_text(32)
            connection.execute(
                insert(key_pairs).values(
                    secret_id=secret_id,
                    appid=appid,
                    secret_key=secret_key,
                    enabled=True,
                    created_at=_now(),
                )
            )
        return IssuedCredential(appid, bucket, secret_id, secret_key)

    def bootstrap(self) -> IssuedCredential | None:
        """On an empty store, create a first app, bucket and key pair; else None."""
        with self._database.transaction() as connection:
            if connection.execute(select(func.count()).select_from(apps)).scalar_one():
                return None
        appid = str(1_000_000_000 + secrets.randbelow(9_000_000_000))
        return self.create(appid, "default")

    def add_bucket(self, appid: str, bucket: str) -> None:
        """Register a bucket for an existing app; raises `AppNotFound`."""
        with self._database.transaction() as connection:
            if not _app_exists(connection, appid):
                raise AppNotFound()
            self._ensure_bucket(connection, appid, bucket)

    def buckets(self, appid: str | None = None) -> list[Bucket]:
        query = select(buckets.c.appid, buckets.c.name).order_by(buckets.c.appid, buckets.c.name)
        if appid is not None:
            query = query.where(buckets.c.appid == appid)
        with self._database.transaction() as connection:
            return [Bucket(row.appid, row.name) for row in connection.execute(query)]

    def key_pairs(self) -> list[KeyPair]:
        query = select(
            key_pairs.c.secret_id, key_pairs.c.appid, key_pairs.c.enabled, key_pairs.c.created_at
        ).order_by(key_pairs.c.created_at, key_pairs.c.secret_id)
        with self._database.transaction() as connection:
            rows = connection.execute(query).all()
        return [
            KeyPair(row.secret_id, row.appid, row.enabled, _aware(row.created_at)) for row in rows
        ]

    def disable(self, secret_id: str) -> bool:
        """Disable a key pair; False when there is no such SecretID."""
        statement = (
            update(key_pairs).where(key_pairs.c.secret_id == secret_id).values(enabled=False)
        )
        with self._database.transaction() as connection:
            return connection.execute(statement).rowcount > 0

    def set_qps(self, appid: str, qps: int) -> None:
        with self._database.transaction() as connection:
            if not _app_exists(connection, appid):
                raise AppNotFound()
            connection.execute(update(apps).where(apps.c.appid == appid).values(qps=qps))

    def access(self, appid: str, secret_id: str, bucket: str) -> Access:
        """Look up the app, the key pair and the bucket a signature names."""
        with self._database.transaction() as connection:
            qps = connection.execute(select(apps.c.qps).where(apps.c.appid == appid)).scalar()
            key = connection.execute(
                select(key_pairs.c.appid, key_pairs.c.secret_key).where(
                    key_pairs.c.secret_id == secret_id, key_pairs.c.enabled.is_(True)
                )
            ).first()
            bucket_known = _bucket_exists(connection, appid, bucket)
        return Access(
            app_qps=qps,
            key_appid=key.appid if key else None,
            secret_key=key.secret_key if key else "",
            bucket_known=bucket_known,
        )

    def _ensure_app(self, connection: Connection, appid: str, qps: int | None) -> None:
        if not _app_exists(connection, appid):
            connection.execute(
                insert(apps).values(appid=appid, qps=qps or self._default_qps, created_at=_now())
            )
        elif qps is not None:
            connection.execute(update(apps).where(apps.c.appid == appid).values(qps=qps))

    @staticmethod
    def _ensure_bucket(connection: Connection, appid: str, bucket: str) -> None:
        if not _bucket_exists(connection, appid, bucket):
            connection.execute(insert(buckets).values(appid=appid, name=bucket, created_at=_now()))


def _app_exists(connection: Connection, appid: str) -> bool:
    return connection.execute(select(apps.c.appid).where(apps.c.appid == appid)).first() is not None


def _bucket_exists(connection: Connection, appid: str, bucket: str) -> bool:
    query = select(buckets.c.name).where(buckets.c.appid == appid, buckets.c.name == bucket)
    return connection.execute(query).first() is not None


def _random_text(length: int) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; they were written in UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
