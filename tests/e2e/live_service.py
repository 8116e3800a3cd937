"""A live service for the end-to-end tests, and what they need around it: an image server
on loopback and the operator's usage report."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

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


@dataclass(frozen=True)
class ServerProcess:
    """`idcard-ocr serve` running in a process of its own, so that its memory can be read."""

    base_url: str
    pid: int

    def peak_rss_bytes(self) -> int:
        """The process's resident set high-water mark (VmHWM), in bytes."""
        status = Path(f"/proc/{self.pid}/status").read_text()
        (line,) = [line for line in status.splitlines() if line.startswith("VmHWM:")]
        return int(line.split()[1]) * 1024


@contextmanager
def server_process(
    database_url: str, log: Path, settings: Mapping[str, str], start_timeout: float = 300.0
) -> Iterator[ServerProcess]:
    """`idcard-ocr serve` on a free loopback port with the given IDCARD_OCR_ settings (names
    without the prefix); yields once /readyz answers 200, stops it with SIGTERM after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("IDCARD_OCR_")},
        **{f"IDCARD_OCR_{name.upper()}": value for name, value in settings.items()},
        "IDCARD_OCR_DATABASE_URL": database_url,
        "IDCARD_OCR_PORT": str(port),
    }
    for name in PROXY_VARIABLES:
        environment.pop(name, None)
    command = [sys.executable, "-m", "idcard_ocr.cli", "serve"]
    with log.open("w") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=output)
    try:
        base_url = f"http://127.0.0.1:{port}"
        _wait_ready(base_url, process, log, start_timeout)
        yield ServerProcess(base_url, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=60)


def _wait_ready(base_url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"{base_url}/readyz", timeout=5, trust_env=False).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("idcard-ocr serve was not ready in time:\n" + log.read_text())
