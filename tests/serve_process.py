"""`idcard-ocr serve` as an operator runs it, for every test that needs the real command: a
subprocess on a free loopback port (`--port 0`), working in a directory of its own (also its
TMPDIR), on an environment without the caller's settings or proxies; what it prints (stdout)
and logs (stderr, one JSON object a line) kept as it comes.

Ready means every worker has said "Application startup complete." and the port is announced:
uvicorn logs the port after the first of those with one worker, before them with several (the
supervisor binds the socket while the workers are still loading the engine), so both are
waited for. Stopped means SIGTERM, as systemd sends it, and the end of the process; one that
does not end in time is killed and the stop fails.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from idcard_ocr.client import Client
from idcard_ocr.store.credentials import CredentialStore, IssuedCredential
from idcard_ocr.store.database import Database

APPID = "1250000000"
BUCKET = "photos"
# `python -m` runs the source under test whatever `idcard-ocr` the PATH has first.
SERVE = (sys.executable, "-m", "idcard_ocr.cli", "serve")
START_TIMEOUT_SECONDS = 180.0  # each worker loads the engine on a shared 2-core machine
STOP_TIMEOUT_SECONDS = 60.0
ON_LOOPBACK = ("--host", "127.0.0.1")  # serve's default, said outright where it matters
_STARTED = "Application startup complete."
_LISTENING = re.compile(r"Uvicorn running on http://127\.0\.0\.1:(\d+)")


def clean_environment() -> dict[str, str]:
    """The caller's environment without its `IDCARD_OCR_` settings, its proxies (requests and
    httpx would send even loopback calls through them) and a metrics directory of its own."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("IDCARD_OCR_")
        and not name.lower().endswith("_proxy")
        and name != "PROMETHEUS_MULTIPROC_DIR"
    }


def issue_credential(database_url: str) -> IssuedCredential:
    """A credential on the store (made if new), so that the server starts without bootstrapping."""
    database = Database.open(database_url)
    try:
        return CredentialStore(database, default_qps=1000).create(APPID, BUCKET)
    finally:
        database.close()


def client(base_url: str, credential: IssuedCredential, **options: Any) -> Client:
    """Our client, signing as `credential` (`options`: the client's keyword arguments)."""
    return Client(
        base_url,
        credential.appid,
        credential.secret_id,
        credential.secret_key,
        credential.bucket,
        **options,
    )


class ServeProcess:
    """`command --port 0 [--workers N] [arguments]` in `directory`, with `environment` on top of
    a clean one (and `IDCARD_OCR_DATABASE_URL`, if `database_url` is given).

    `--workers` is passed only for more than one, serve's default, so that the README tour can
    run its command as written. As a context manager, stopped at the end of the block;
    started() is the caller's to call, so that several servers can load their engines at once.
    """

    def __init__(
        self,
        directory: Path,
        environment: Mapping[str, str] | None = None,
        *,
        database_url: str | None = None,
        workers: int = 1,
        arguments: Sequence[str] = (),
        command: Sequence[str] = SERVE,
    ) -> None:
        settings = {} if database_url is None else {"IDCARD_OCR_DATABASE_URL": database_url}
        variables = {
            **clean_environment(),
            "TMPDIR": str(directory),
            **settings,
            **(environment or {}),
        }
        level = variables.get("IDCARD_OCR_LOG_LEVEL", "info")
        assert level in ("debug", "info"), f"started() reads uvicorn's INFO lines, not at {level}"
        directory.mkdir(parents=True, exist_ok=True)
        several = ["--workers", str(workers)] if workers != 1 else []
        self.process = subprocess.Popen(
            [*command, "--port", "0", *several, *arguments],
            cwd=directory,
            env=variables,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._workers = workers
        self._printed: list[str] = []
        self._logged: list[str] = []
        self._drains = [
            threading.Thread(target=_drain, args=(stream, kept), daemon=True)
            for stream, kept in (
                (self.process.stdout, self._printed),
                (self.process.stderr, self._logged),
            )
        ]
        for drain in self._drains:
            drain.start()
        self._port: int | None = None

    def __enter__(self) -> ServeProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def port(self) -> int:
        assert self._port is not None, "the server has not been started()"
        return self._port

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def started(self, timeout: float = START_TIMEOUT_SECONDS) -> str:
        """The base URL, once every worker has loaded the engine and the port is announced.

        Read from the raw lines, whatever their format: the log level must let INFO through.
        """

        def ready() -> bool:
            lines = list(self._logged)
            return sum(_STARTED in line for line in lines) >= self._workers and bool(_ports(lines))

        self._wait(ready, timeout, "to start")
        (self._port,) = _ports(list(self._logged))
        return self.base_url

    def wait_for(self, condition: Callable[[list[dict[str, Any]]], bool], timeout: float) -> None:
        """Until `condition` holds of the lines logged so far; fails if the server ends first."""
        self._wait(lambda: condition(self.logs()), timeout, "for the lines wanted")

    def logs(self) -> list[dict[str, Any]]:
        """The lines logged so far, each parsed: every one must be a JSON object."""
        return [json.loads(line) for line in list(self._logged)]

    def printed(self, until: str = "", timeout: float = 10.0) -> str:
        """What the server printed on stdout so far, once it holds `until`: it prints before
        uvicorn logs a line, but the two streams are read apart (the first start's
        credential ends with "}")."""
        self._wait(lambda: until in "".join(self._printed), timeout, f"to print {until!r}")
        return "".join(self._printed)

    def terminate(self) -> None:
        self.process.send_signal(signal.SIGTERM)

    def stop(self) -> None:
        """SIGTERM if still running, then the end of the process and of its output; one that
        hangs is killed, and the stop fails."""
        if self.process.poll() is None:
            self.terminate()
            try:
                self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError(
                    f"the server did not end within {STOP_TIMEOUT_SECONDS:.0f} s of SIGTERM"
                    f" and was killed:\n{''.join(self._logged)}"
                ) from None
        for drain in self._drains:  # the last lines, written just before the end
            drain.join(timeout=10)

    def _wait(self, condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.process.poll() is None, f"the server ended:\n{''.join(self._logged)}"
            assert time.monotonic() < deadline, f"timed out {what}:\n{''.join(self._logged)}"
            time.sleep(0.05)


def _drain(stream: IO[str], kept: list[str]) -> None:
    for line in stream:
        kept.append(line)


def _ports(lines: list[str]) -> set[int]:
    """The ports the server said it listens on."""
    found = (_LISTENING.search(line) for line in lines)
    return {int(match.group(1)) for match in found if match}
