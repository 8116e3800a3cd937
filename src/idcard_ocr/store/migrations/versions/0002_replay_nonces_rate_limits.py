"""Single-use signatures and per-app token buckets, shared by every process on the store when
there is no Redis.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "replay_nonces",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.Double, nullable=False),
    )
    op.create_index("ix_replay_nonces_expires_at", "replay_nonces", ["expires_at"])
    op.create_table(
        "rate_limits",
        sa.Column("appid", sa.String(64), primary_key=True),
        sa.Column("tokens", sa.Double, nullable=False),
        sa.Column("updated_at", sa.Double, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("rate_limits")
    op.drop_table("replay_nonces")
