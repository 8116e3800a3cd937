"""Apps, buckets, key pairs, blocked images and usage: the tables `create_all` made before
the store had migrations (a store made that way is stamped at this revision).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "apps",
        sa.Column("appid", sa.String(64), primary_key=True),
        sa.Column("qps", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "buckets",
        sa.Column("appid", sa.String(64), sa.ForeignKey("apps.appid"), primary_key=True),
        sa.Column("name", sa.String(128), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "key_pairs",
        sa.Column("secret_id", sa.String(64), primary_key=True),
        sa.Column("appid", sa.String(64), sa.ForeignKey("apps.appid"), nullable=False),
        sa.Column("secret_key", sa.String(128), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_key_pairs_appid", "key_pairs", ["appid"])
    op.create_table(
        "blocked_images",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "usage",
        sa.Column("appid", sa.String(64), primary_key=True),
        sa.Column("bucket", sa.String(128), primary_key=True),
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("side", sa.Integer, primary_key=True),
        sa.Column("code", sa.Integer, primary_key=True),
        sa.Column("count", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["appid", "bucket"], ["buckets.appid", "buckets.name"]),
    )


def downgrade() -> None:
    for table in ("usage", "blocked_images", "key_pairs", "buckets", "apps"):
        op.drop_table(table)
