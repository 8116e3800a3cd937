"""Fixtures of the HTTP tests: a real SQLite store, the app on a fake reader, a signer, and an
image server on loopback. The fake reader is the only stand-in for the model in these tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fake_reader import BACK_IMAGE, FRONT_IMAGE, FakeReader
from fastapi.testclient import TestClient
from signing import Signer

from idcard_ocr.api.app import create_app
from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import IssuedCredential
from serve_process import issue_credential


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@pytest.fixture
def credential(database_url: str) -> IssuedCredential:
    return issue_credential(database_url)


@pytest.fixture
def signer(credential: IssuedCredential) -> Signer:
    return Signer(credential)


@pytest.fixture
def settings(database_url: str, credential: IssuedCredential) -> Settings:
    return Settings(
        database_url=database_url,
        url_fetch_allow_private=True,
        fetch_timeout_seconds=1.0,
        fetch_connect_timeout_seconds=1.0,
        recognition_threads=2,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings, reader=FakeReader())) as test_client:
        yield test_client


class _ImageHandler(BaseHTTPRequestHandler):
    """Serves /front, /back, sized bodies, errors, redirects, a stall and a cut-short body."""

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path in ("/front.jpg", "/back.jpg"):
            self._send(200, FRONT_IMAGE if path == "/front.jpg" else BACK_IMAGE)
        elif path.startswith("/bytes/"):
            self._send(200, b"x" * int(path.removeprefix("/bytes/")))
        elif path.startswith("/status/"):
            self._send(int(path.removeprefix("/status/")), b"error page")
        elif path.startswith("/redirect/"):
            hops = int(path.removeprefix("/redirect/"))
            self._redirect("/front.jpg" if hops <= 1 else f"/redirect/{hops - 1}")
        elif path == "/relative":
            self._redirect("back.jpg")
        elif path == "/stall":
            time.sleep(3)
            self._send(200, FRONT_IMAGE)
        elif path == "/cut":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"\xff\xd8 only part")
            self.close_connection = True
        else:
            self._send(404, b"not found")

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that give up on /stall or big bodies are the point of those tests


@pytest.fixture(scope="session")
def image_server() -> Iterator[str]:
    """Base URL of an image server on 127.0.0.1."""
    server = _QuietServer(("127.0.0.1", 0), _ImageHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
