"""An answer sent before its request's body was read to the end closes the connection.

The endpoint answers a refused request (bad signature, server busy, a body too large or too
slow) without reading the rest of its body. On a kept-alive connection uvicorn would go on
reading that rest, to discard it, for as long as the client sends; closing the connection
instead means the refused client has its answer and nothing more of it is read.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_CLOSE = (b"connection", b"close")


class CloseOnUnreadBody:
    """ASGI middleware: adds `Connection: close` to answers that leave a body unread."""

    def __init__(self, app: ASGIApp) -> None:
        self._app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_body(scope):
            await self._app(scope, receive, send)
            return
        ended = False

        async def receive_noting_end() -> Message:
            nonlocal ended
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body", False):
                ended = True
            return message

        async def send_closing(message: Message) -> None:
            if message["type"] == "http.response.start" and not ended:
                message = {**message, "headers": [*message.get("headers", []), _CLOSE]}
            await send(message)

        await self._app(scope, receive_noting_end, send_closing)


def _has_body(scope: Scope) -> bool:
    headers = dict(scope["headers"])
    return b"transfer-encoding" in headers or headers.get(b"content-length", b"0") != b"0"
