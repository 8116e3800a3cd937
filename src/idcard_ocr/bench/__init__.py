"""Benchmarks that print a table (and can write JSON): accuracy and speed of the engine."""
