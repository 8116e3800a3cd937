"""A `POST /ocr/idcard` on its own socket, its body sent when and as fast as a test says.

h11 frames the request and reads the answer, which may come before the body has been sent.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any

import h11
import httpx


class Upload:
    """One request over one connection; `answer` waits for the server's reply.

    With `expect_continue` the request asks to be told to go on before sending its body (as
    curl does for large bodies); `continued` says whether the server did."""

    def __init__(
        self, base: str, authorization: str, length: int, expect_continue: bool = False
    ) -> None:
        url = httpx.URL(base)
        self.sock = socket.create_connection((url.host, url.port or 80), timeout=5)
        self.continued = False
        self._http = h11.Connection(h11.CLIENT)
        headers = [("Host", url.host), ("Content-Length", str(length))]
        headers += [("Content-Type", "application/json"), ("Authorization", authorization)]
        if expect_continue:
            headers.append(("Expect", "100-continue"))
        self._write(h11.Request(method="POST", target="/ocr/idcard", headers=headers))

    def send(self, data: bytes) -> None:
        self._write(h11.Data(data=data))

    def trickle(self, step: bytes, every: float, stop: threading.Event) -> threading.Thread:
        """Send `step` every `every` seconds until `stop` is set or the server hangs up."""

        def run() -> None:
            while not stop.wait(every):
                try:
                    self.sock.sendall(step)  # as data of the body; h11 would refuse past its end
                except OSError:
                    return

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def answer(self, timeout: float = 5.0) -> tuple[dict[str, str], dict[str, Any]]:
        """The answer's headers (names lowercased) and JSON body."""
        self.sock.settimeout(timeout)
        response: h11.Response | None = None
        body = bytearray()
        while True:
            event = self._http.next_event()
            if event is h11.NEED_DATA:
                self._http.receive_data(self.sock.recv(65536))
            elif isinstance(event, h11.InformationalResponse):
                self.continued = True
            elif isinstance(event, h11.Response):
                response = event
            elif isinstance(event, h11.Data):
                body.extend(event.data)
            elif isinstance(event, h11.EndOfMessage):
                break
        assert response is not None and response.status_code == 200
        headers = {name.decode(): value.decode() for name, value in response.headers}
        return headers, json.loads(body)

    def hung_up(self, timeout: float = 2.0) -> bool:
        """Whether the server closed the connection (it sends nothing more)."""
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(1) == b""
        except ConnectionResetError:
            return True
        except TimeoutError:
            return False

    def close(self) -> None:
        self.sock.close()

    def _write(self, event: h11.Request | h11.Data) -> None:
        data = self._http.send(event)
        assert data is not None
        self.sock.sendall(data)


def wait_until(condition: Any, timeout: float = 2.0) -> float:
    """Poll `condition()` until true; the seconds it took. Fails the test at `timeout`."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, "condition not reached in time"
        time.sleep(0.005)
    return time.monotonic() - started
