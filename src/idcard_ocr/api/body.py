"""The request body, read as a stream and refused past its cap before anything parses it."""

from __future__ import annotations

from collections.abc import AsyncIterator

from idcard_ocr.errors import BadRequest, ImageTooLarge


async def read_body(chunks: AsyncIterator[bytes], declared_length: str | None, limit: int) -> bytes:
    """All of the body, or `ImageTooLarge` (20) as soon as it exceeds `limit` bytes."""
    if declared_length is not None:
        if not declared_length.strip().isdigit():
            raise BadRequest("invalid Content-Length")
        if int(declared_length) > limit:
            raise ImageTooLarge("request body too large")
    body = bytearray()
    async for chunk in chunks:
        body.extend(chunk)
        if len(body) > limit:
            raise ImageTooLarge("request body too large")
    return bytes(body)
