"""Credentials, buckets, usage and blocked images in SQL; replay nonces and rate limits behind
small protocols with in-memory implementations."""
