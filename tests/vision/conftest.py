"""Shared fixtures of the end-to-end tests: the real engine, loaded once per session."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from idcard_ocr.vision.reader import CardReader


@pytest.fixture(scope="session")
def reader() -> CardReader:
    from idcard_ocr.vision.reader import CardReader

    return CardReader.load(threads=2)
