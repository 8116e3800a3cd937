"""Alembic's environment: the migrations run on the connection `store.migration` hands over.

That connection is already in a transaction that no other migrating process can enter, so this
file neither connects nor begins anything itself.
"""

from __future__ import annotations

from alembic import context

from idcard_ocr.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run the migrations through idcard_ocr.store.migration.upgrade_schema")
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
