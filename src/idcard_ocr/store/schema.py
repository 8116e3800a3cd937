"""The tables of the store, in SQLAlchemy Core: one description that SQLite and PostgreSQL share.

The migrations in `store/migrations` build exactly these tables; a test compares the two.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Double,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

apps = Table(
    "apps",
    metadata,
    Column("appid", String(64), primary_key=True),
    Column("qps", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

buckets = Table(
    "buckets",
    metadata,
    Column("appid", String(64), ForeignKey("apps.appid"), primary_key=True),
    Column("name", String(128), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# HMAC-SHA1 verification needs the secret key itself, so it is stored as issued.
key_pairs = Table(
    "key_pairs",
    metadata,
    Column("secret_id", String(64), primary_key=True),
    Column("appid", String(64), ForeignKey("apps.appid"), nullable=False, index=True),
    Column("secret_key", String(128), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

blocked_images = Table(
    "blocked_images",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row per app, bucket, month, side and result code (0 = recognised).
usage = Table(
    "usage",
    metadata,
    Column("appid", String(64), primary_key=True),
    Column("bucket", String(128), primary_key=True),
    Column("month", String(7), primary_key=True),
    Column("side", Integer, primary_key=True),
    Column("code", Integer, primary_key=True),
    Column("count", Integer, nullable=False),
    ForeignKeyConstraint(["appid", "bucket"], ["buckets.appid", "buckets.name"]),
)

# Single-use signatures claimed so far (SHA-1 hex digest), kept until they could no longer be
# accepted anyway; times are seconds since the epoch.
replay_nonces = Table(
    "replay_nonces",
    metadata,
    Column("digest", String(64), primary_key=True),
    Column("expires_at", Double, nullable=False, index=True),
)

# One token bucket per app: tokens left at `updated_at` (seconds since the epoch).
rate_limits = Table(
    "rate_limits",
    metadata,
    Column("appid", String(64), primary_key=True),
    Column("tokens", Double, nullable=False),
    Column("updated_at", Double, nullable=False),
)
