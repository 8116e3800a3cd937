"""Every request gets an id: the caller's `X-Request-Id` when it is sane, else a new one.

The id is returned in the answer's `X-Request-Id` header and stamped on every log record
written while the request is served (`logs.RequestIdFilter`), so that a client's complaint
and the server's logs meet. Each request also ends with one access line: method, path (never
the query), status and duration.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "x-request-id"
# What a proxy or client id looks like (UUIDs, hex, ULIDs, nginx's $request_id); anything
# else is replaced rather than echoed into logs and headers.
_SANE = re.compile(r"[A-Za-z0-9._:-]{1,128}")

current: ContextVar[str | None] = ContextVar("request_id", default=None)
access_log = logging.getLogger("idcard_ocr.access")


def request_id(incoming: str | None) -> str:
    """`incoming` if it is a sane id, else a new random one."""
    if incoming is not None and _SANE.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIds:
    """ASGI middleware: sets the request id for the request's logs and answers with it."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(HEADER.encode())
        rid = request_id(incoming.decode("latin-1") if incoming is not None else None)
        token = current.set(rid)
        status = 500  # what the server sends when the app fails before answering
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                tagged = [*message.get("headers", []), (HEADER.encode(), rid.encode())]
                message = {**message, "headers": tagged}
            await send(message)

        try:
            await self._app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "%s %s %d",
                scope["method"],
                scope["path"],
                status,
                extra={"duration_ms": round((time.perf_counter() - start) * 1000, 1)},
            )
            current.reset(token)
