"""URL servers that fail slowly, with the real engine: a server that accepts the connection and
never answers, and one that answers a byte at a time forever (each read is quick, so only the
fetch's total timeout ends it). Each such item is -1506 once the configured fetch time is up,
and the good card of the same batch is read as usual.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from live_service import Service, image_server

from idcard_ocr.card.model import Side
from idcard_ocr.settings import Settings
from idcard_ocr.synth.sample import render_sample
from serve_process import client as client_of

pytestmark = pytest.mark.model
# The good item is read after the fetches end: its reading, on a loaded 2-core machine, is
# what the request may take beyond the fetch timeout.
READING_MARGIN_SECONDS = 5.0
TRICKLE = b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"


def never_answer(connection: socket.socket, stop: threading.Event) -> None:
    stop.wait()


def trickle(connection: socket.socket, stop: threading.Event) -> None:
    """Headers of a 1 MB body, then one byte every 0.2 s."""
    connection.recv(65536)
    connection.sendall(TRICKLE)
    while not stop.wait(0.2):
        try:
            connection.sendall(b"\xff")
        except OSError:
            return


@contextmanager
def tcp_server(handle: Callable[[socket.socket, threading.Event], None]) -> Iterator[str]:
    """A server on 127.0.0.1 that accepts every connection and hands it to `handle`; its URL."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(connection,), daemon=True).start()

    def serve(connection: socket.socket) -> None:
        with connection:
            handle(connection, stop)

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/card.png"
    finally:
        stop.set()
        listener.close()


def test_a_url_that_never_answers_is_1506_in_time_and_the_batch_goes_on(service: Service) -> None:
    fetch_timeout = Settings().fetch_timeout_seconds  # what the service was built with
    card = render_sample(11, 0, "clean", Side.FRONT)
    credential = service.credential
    with (
        image_server({"/card.png": card.data}) as good,
        tcp_server(never_answer) as silent,
        tcp_server(trickle) as slow,
        client_of(service.base_url, credential) as client,
    ):
        start = time.monotonic()
        results = client.recognise_urls([f"{good}/card.png", silent, slow], Side.FRONT)
        elapsed = time.monotonic() - start
    assert [(result.source, result.code) for result in results] == [
        (f"{good}/card.png", 0),
        (silent, -1506),
        (slow, -1506),
    ]
    assert {name: reading.text for name, reading in results[0].fields.items()} == card.labels
    assert fetch_timeout <= elapsed < fetch_timeout + READING_MARGIN_SECONDS
