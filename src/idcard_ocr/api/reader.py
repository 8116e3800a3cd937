"""What the API needs of the recognition engine: one synchronous, thread-safe call per image."""

from __future__ import annotations

from typing import Protocol

from idcard_ocr.card.model import CardResult, Side


class Reader(Protocol):
    """Reads one side of one card; raises `errors.ItemError` subclasses for unusable images."""

    def read(self, image: bytes, side: Side) -> CardResult: ...
