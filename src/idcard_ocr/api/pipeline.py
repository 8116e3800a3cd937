"""From the items of one request to their results: bytes, size cap, blocklist, recognition."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Protocol

from anyio import to_thread

from idcard_ocr.api.pool import Outcome, RecognitionPool, Slots
from idcard_ocr.api.request import Item, OcrRequest, UrlItem
from idcard_ocr.api.response import ItemResult, failure, success
from idcard_ocr.card.model import Side
from idcard_ocr.errors import IdCardOcrError, ImageBlocked, ImageTooLarge, ItemError
from idcard_ocr.store.blocklist import Blocklist


class Fetcher(Protocol):
    async def fetch(self, url: str) -> bytes: ...


class OcrPipeline:
    """Serves the items of a request concurrently; item errors stay with their item."""

    def __init__(
        self, fetcher: Fetcher, blocklist: Blocklist, pool: RecognitionPool, max_image_bytes: int
    ) -> None:
        self._fetcher = fetcher
        self._blocklist = blocklist
        self._pool = pool
        self._max_image_bytes = max_image_bytes

    async def run(self, request: OcrRequest) -> list[ItemResult]:
        """Admit the request's items (or raise `ServerBusy`, 15) before any URL is fetched, so
        that a refused request costs no download."""
        with self._pool.admitted(len(request.items)) as slots:
            images = await asyncio.gather(*(self._image(item) for item in request.items))
            screened = await self._screen(images)
            outcomes = await self._recognise(screened, request.side, slots)
        return [
            _result(item, outcome) for item, outcome in zip(request.items, outcomes, strict=True)
        ]

    async def _recognise(
        self, images: list[bytes | ItemError], side: Side, slots: Slots
    ) -> list[Outcome]:
        """Each image's outcome; items that failed before recognition keep their error."""
        ready = {index: image for index, image in enumerate(images) if isinstance(image, bytes)}
        results = await self._pool.recognise_all(list(ready.values()), side, slots)
        recognised = dict(zip(ready, results, strict=True))
        return [
            recognised[index] if isinstance(image, bytes) else image
            for index, image in enumerate(images)
        ]

    async def _image(self, item: Item) -> bytes | ItemError:
        try:
            if isinstance(item, UrlItem):
                content = await self._fetcher.fetch(item.url)
            else:
                content = item.content
        except ItemError as exc:
            return exc
        if len(content) > self._max_image_bytes:
            return ImageTooLarge()
        return content

    async def _screen(self, images: list[bytes | ItemError]) -> list[bytes | ItemError]:
        """Replace blocked images by -5062, with one store query for the whole request."""
        digests = {
            index: hashlib.sha256(image).hexdigest()
            for index, image in enumerate(images)
            if isinstance(image, bytes)
        }
        blocked = await to_thread.run_sync(self._blocklist.blocked, set(digests.values()))
        return [
            ImageBlocked() if digests.get(index) in blocked else image
            for index, image in enumerate(images)
        ]


def _result(item: Item, outcome: Outcome) -> ItemResult:
    if isinstance(outcome, IdCardOcrError):
        return failure(item, outcome)
    return success(item, outcome.legacy_data())
