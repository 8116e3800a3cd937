"""The request body, read as a stream: refused past its cap before anything parses it, and
refused when it does not arrive in time, so that a client cannot hold its slot by sending
slowly or not at all. Nothing of a refused body is kept."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import anyio
from starlette.requests import ClientDisconnect

from idcard_ocr.errors import BadRequest, ImageTooLarge


@dataclass(frozen=True)
class BodyPace:
    """How fast a body must arrive: all of it within `timeout_seconds`, and, once
    `grace_seconds` have passed, at an average of at least `min_bytes_per_second`."""

    timeout_seconds: float
    min_bytes_per_second: float
    grace_seconds: float

    def deadline(self, started: float, received: int) -> float:
        """When a body begun at `started` is late unless more than `received` bytes arrive:
        its average rate falls below the minimum then, or its time is up."""
        behind = started + max(self.grace_seconds, received / self.min_bytes_per_second)
        return min(started + self.timeout_seconds, behind)


async def read_body(
    chunks: AsyncIterator[bytes], declared_length: str | None, limit: int, pace: BodyPace
) -> bytes:
    """All of the body; `ImageTooLarge` (20) as soon as it exceeds `limit` bytes, `BadRequest`
    (3) when it is late by `pace` or the client went away before its end."""
    if declared_length is not None:
        if not declared_length.strip().isdigit():
            raise BadRequest("invalid Content-Length")
        if int(declared_length) > limit:
            raise ImageTooLarge("request body too large")
    body = bytearray()
    try:
        await _receive(chunks, body, limit, pace)
    except BaseException:
        body.clear()  # tracebacks may outlive the request; the bytes must not
        raise
    return bytes(body)


async def _receive(
    chunks: AsyncIterator[bytes], body: bytearray, limit: int, pace: BodyPace
) -> None:
    started = anyio.current_time()
    stream = aiter(chunks)
    while True:
        with anyio.CancelScope(deadline=pace.deadline(started, len(body))) as wait:
            chunk = await _next(stream)
        if wait.cancelled_caught:
            raise BadRequest("request body not received in time")
        if chunk is None:
            return
        body.extend(chunk)
        if len(body) > limit:
            raise ImageTooLarge("request body too large")


async def _next(stream: AsyncIterator[bytes]) -> bytes | None:
    """The next chunk, None at the end of the body."""
    try:
        return await anext(stream, None)
    except ClientDisconnect as exc:
        raise BadRequest("client went away before the end of the body") from exc
