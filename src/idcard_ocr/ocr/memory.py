"""Giving back to the system the memory a read freed but the C allocator kept.

onnxruntime and OpenCV allocate buffers of a new size for nearly every photo and crop. glibc
keeps what they free in its heaps, fragmented, and a process that reads many photos that are
not cards (every outline of a page or a receipt is flattened and tried) grows read after read:
800 such photos took one engine to 2.40 GB. `malloc_trim` returns the free pages; it costs
about 7 ms, so it runs only when the heaps hold more than FREE_KEPT bytes free (`mallinfo2`
reads that in well under 0.1 ms).

Written here with ctypes because no maintained package exposes these two glibc calls. Where
the C library is not glibc (musl, macOS), `release` does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from functools import cache

FREE_KEPT = 128 << 20  # bytes: about what a card's read frees and takes again at once


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",  # free bytes held in the heaps
            "keepcost",
        )
    ]


@cache
def _glibc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        libc.mallinfo2.restype = _MallInfo2
        libc.malloc_trim.argtypes = [ctypes.c_size_t]
        libc.malloc_trim.restype = ctypes.c_int
    except (OSError, AttributeError):
        return None
    return libc


def free_held() -> int | None:
    """Bytes the allocator holds free in its heaps, or None without glibc."""
    libc = _glibc()
    return None if libc is None else int(libc.mallinfo2().fordblks)


def release(free_kept: int = FREE_KEPT) -> bool:
    """Return the heaps' free pages to the system when they hold more than `free_kept`
    bytes free; whether it did."""
    libc = _glibc()
    if libc is None or libc.mallinfo2().fordblks <= free_kept:
        return False
    libc.malloc_trim(0)
    return True
