"""Giving freed memory back to the system: the threshold decides, glibc does the work."""

from __future__ import annotations

import ctypes.util
import sys

import pytest

from idcard_ocr.ocr import memory

glibc_only = pytest.mark.skipif(
    not sys.platform.startswith("linux") or ctypes.util.find_library("c") is None,
    reason="malloc_trim and mallinfo2 are glibc's",
)


@glibc_only
def test_the_heaps_are_trimmed_only_past_the_free_bytes_kept() -> None:
    held = memory.free_held()
    assert held is not None and held >= 0
    assert memory.release(free_kept=2**62) is False
    assert memory.release(free_kept=0) is True


@glibc_only
def test_free_memory_between_live_blocks_goes_back_to_the_system() -> None:
    """What a read leaves: blocks freed between blocks still held, which free() alone cannot
    give back (the heap's top is in use)."""
    blocks = [bytearray(b"x" * 16384) for _ in range(8_000)]  # ~130 MB of heap blocks
    kept = blocks[::16]
    del blocks
    before = _rss_kb()
    assert memory.release(free_kept=0)
    assert _rss_kb() < before - 25_000  # more than 25 MB of the ~120 MB freed returned
    assert len(kept) == 500


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
