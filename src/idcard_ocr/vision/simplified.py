"""Traditional to simplified characters, with OpenCC, built once with the reader."""

from __future__ import annotations

import functools
import threading

import opencc


class Simplifier:
    """One character's simplified form (OpenCC t2s); thread-safe, cached.

    A recogniser trained on mixed text answers a blurred 悦 with 悅 as often as not; the
    domain decides whether to take the simplified form, this only says what it is.
    """

    def __init__(self) -> None:
        self._converter = opencc.OpenCC("t2s.json")
        self._lock = threading.Lock()  # one converter for every reader thread
        self._cached = functools.lru_cache(maxsize=4096)(self._convert)

    def __call__(self, char: str) -> str:
        converted: str = self._cached(char)
        return converted

    def _convert(self, char: str) -> str:
        with self._lock:
            converted: str = self._converter.convert(char)
        return converted
