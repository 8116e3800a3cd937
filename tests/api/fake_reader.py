"""The stand-in for the recognition engine in the HTTP tests: answers by the image's bytes."""

from __future__ import annotations

import threading
import time

from idcard_ocr.card.model import CardResult, Field, Side
from idcard_ocr.errors import (
    EmptyImage,
    InvalidImage,
    NotAnIdCard,
    NoTextFound,
    RecognitionFailed,
)

FRONT_IMAGE = b"\xff\xd8 a front side"
BACK_IMAGE = b"\xff\xd8 a back side"

FRONT = {
    "name": Field("张三", (99, 98)),
    "sex": Field("男", (97,)),
    "nation": Field("汉", (99,)),
    "birth": Field("2000/1/1", (95, 96, 97, 98, 99, 90)),
    "address": Field("北京市东城区景山前街4号", tuple(range(80, 92))),
    "id": Field("11010120000101003X", tuple([90] * 18)),
}
BACK = {
    "authority": Field("北京市公安局东城分局", tuple([88] * 10)),
    "valid_date": Field("2016.01.01-2036.01.01", tuple([91] * 16)),
}
_FAILURES = {
    b"NOTIMAGE": InvalidImage,
    b"NOTEXT": NoTextFound,
    b"NOTCARD": NotAnIdCard,
    b"FAILS": RecognitionFailed,
}


class FakeReader:
    """Answers by the image's first bytes: error markers raise, anything else reads a card.

    It counts how many reads ran at once (`peak`), so tests can check concurrency without timing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0
        self.peak = 0

    def read(self, image: bytes, side: Side) -> CardResult:
        with self._lock:
            self._running += 1
            self.peak = max(self.peak, self._running)
        try:
            return self._read(image, side)
        finally:
            with self._lock:
                self._running -= 1

    def _read(self, image: bytes, side: Side) -> CardResult:
        if not image:
            raise EmptyImage()
        for marker, error in _FAILURES.items():
            if image.startswith(marker):
                raise error()
        if image.startswith(b"SLOW"):
            time.sleep(1.0)
        if image.startswith(b"CRASH"):
            raise RuntimeError("engine bug")
        return CardResult(side, FRONT if side is Side.FRONT else BACK)
