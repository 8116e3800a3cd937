"""An in-memory transport for the URL fetcher's tests: it records every request and answers
with bodies streamed as from the network. Nothing leaves the process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx


class Body(httpx.AsyncByteStream):
    """A response body that is streamed, as from the network (not read in advance)."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk


class RecordingTransport(httpx.AsyncBaseTransport):
    """An in-memory transport that records requests and streams unread responses."""

    def __init__(self, respond: Callable[[httpx.Request], httpx.Response]) -> None:
        self.respond = respond
        self.seen: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return self.respond(request)
