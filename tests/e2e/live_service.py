"""A live service for the end-to-end tests, and what they need around it: an image server
on loopback and the operator's usage report. (`idcard-ocr serve` in a process of its own is
tests/serve_process.py's.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from idcard_ocr.store.credentials import IssuedCredential

# requests (under the official SDK) would send even loopback calls through a proxy.
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


@dataclass(frozen=True)
class Service:
    """A running server: its base URL, its store and the credential issued on that store."""

    base_url: str
    database_url: str
    credential: IssuedCredential


class _ImageServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, images: Mapping[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _ImageHandler)
        self.images = images


class _ImageHandler(BaseHTTPRequestHandler):
    server: _ImageServer

    def do_GET(self) -> None:
        body = self.server.images.get(self.path)
        self.send_response(404 if body is None else 200)
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def image_server(images: Mapping[str, bytes]) -> Iterator[str]:
    """Serve `images` (path -> bytes) on 127.0.0.1 while the block runs; yields the base URL."""
    server = _ImageServer(images)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def usage_report(database_url: str) -> list[dict[str, Any]]:
    """`idcard-ocr usage --json` on the service's store, run as the operator would."""
    environment = {**os.environ, "IDCARD_OCR_DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "idcard_ocr.cli", "usage", "--json"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    report: list[dict[str, Any]] = json.loads(done.stdout)
    return report
