"""`idcard-ocr serve` as an operator runs it: a subprocess on a loopback port of its own, its
store made beforehand with one credential, its JSON log lines kept as they come."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from idcard_ocr.client import Client
from idcard_ocr.store.credentials import CredentialStore, IssuedCredential
from idcard_ocr.store.database import Database

APPID = "1250000000"
BUCKET = "photos"
START_TIMEOUT_SECONDS = 180.0  # each worker loads the engine on a shared 2-core machine
_LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def issue_credential(database_url: str) -> IssuedCredential:
    """A credential on the store (made if new), so that the server starts without bootstrapping."""
    database = Database.open(database_url)
    try:
        return CredentialStore(database, default_qps=1000).create(APPID, BUCKET)
    finally:
        database.close()


class ServeProcess:
    """One `idcard-ocr serve --port 0 --workers N` with `environment` on top of a clean one."""

    def __init__(self, directory: Path, workers: int, environment: Mapping[str, str]) -> None:
        clean = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith("IDCARD_OCR_") and not name.lower().endswith("_proxy")
        }
        clean.pop("PROMETHEUS_MULTIPROC_DIR", None)
        command = [sys.executable, "-m", "idcard_ocr.cli", "serve", "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--port", "0", "--workers", str(workers)],
            env={**clean, "TMPDIR": str(directory), **environment},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._workers = workers
        self._logged: list[str] = []
        drain = threading.Thread(target=_drain, args=(self.process.stderr, self._logged))
        drain.daemon = True
        drain.start()

    def started(self) -> str:
        """The base URL, once every worker has loaded the engine and the port is announced
        (uvicorn logs the port after "startup complete", so both are waited for)."""
        self.wait_for(
            lambda lines: (
                _count(lines, "Application startup complete.") >= self._workers
                and bool(_ports(lines))
            ),
            START_TIMEOUT_SECONDS,
        )
        (port,) = _ports(self.logs())
        return f"http://127.0.0.1:{port}"

    def wait_for(self, condition: Callable[[list[dict[str, Any]]], bool], timeout: float) -> None:
        """Until `condition` holds of the lines logged so far; fails if the server ends first."""
        deadline = time.monotonic() + timeout
        while not condition(self.logs()):
            assert self.process.poll() is None, f"the server ended:\n{''.join(self._logged)}"
            assert time.monotonic() < deadline, f"timed out:\n{''.join(self._logged)}"
            time.sleep(0.05)

    def logs(self) -> list[dict[str, Any]]:
        """The lines logged so far, each parsed: every one must be a JSON object."""
        return [json.loads(line) for line in list(self._logged)]

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        """SIGTERM if still running, then the end of the process (killed if it hangs)."""
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextmanager
def serving(
    directory: Path, database_url: str, workers: int = 1, **environment: str
) -> Iterator[ServeProcess]:
    """A started `ServeProcess` on `database_url` for the block, stopped after."""
    settings = {"IDCARD_OCR_DATABASE_URL": database_url, **environment}
    server = ServeProcess(directory, workers, settings)
    try:
        yield server
    finally:
        server.stop()


def client(base_url: str, credential: IssuedCredential) -> Client:
    """Our client, signing as `credential`, with a timeout to spare for a loaded machine."""
    return Client(
        base_url,
        credential.appid,
        credential.secret_id,
        credential.secret_key,
        credential.bucket,
        timeout=120,
    )


def _count(lines: list[dict[str, Any]], message: str) -> int:
    return sum(line["message"] == message for line in lines)


def _drain(stream: IO[str], kept: list[str]) -> None:
    for line in stream:
        kept.append(line)


def _ports(lines: list[dict[str, Any]]) -> set[int]:
    """The ports the server said it listens on."""
    found = (_LISTENING.search(line["message"]) for line in lines)
    return {int(match.group(1)) for match in found if match}
