"""Credentials, buckets, usage and blocked images in SQL (SQLite or PostgreSQL, one schema
built by Alembic migrations); single-use signatures and rate limits in Redis, or else in the
same SQL store, so that every worker and node shares them."""
