"""Real PostgreSQL and Redis servers for the tests, from Debian's `postgresql` and
`redis-server` packages, each in a temporary directory on a free loopback port.

A missing binary fails the test that needs it: these backends are part of the product.
PostgreSQL refuses to run as root, so as root its directory belongs to, and its commands run
as, the `postgres` user that Debian's package creates.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

START_TIMEOUT_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    """One PostgreSQL cluster made by `initdb`, run by `pg_ctl`; trust auth on loopback only."""

    def __init__(self) -> None:
        self._bin = _postgres_bin()
        self._owner = "postgres" if os.geteuid() == 0 else None
        self.directory = Path(tempfile.mkdtemp(prefix="idcard-ocr-pg-"))
        self.port = free_port()
        self._databases = 0
        if self._owner:
            user = pwd.getpwnam(self._owner)
            os.chown(self.directory, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "idcard", "-A", "trust", "-E", "UTF8")

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://idcard@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log = str(self.directory / "server.log")
        self._run("pg_ctl", "start", "-w", "-D", str(self.data), "-l", log, "-o", options)

    def stop(self) -> None:
        self._run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data))

    def create_database(self) -> str:
        """A new empty database; its URL."""
        self._databases += 1
        name = f"store_{self._databases}"
        self.sql(f"CREATE DATABASE {name}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        self.sql(f"DROP DATABASE {url.rsplit('/', 1)[1]} WITH (FORCE)")

    def sql(self, statement: str) -> str:
        """Run one statement with psql; what it printed."""
        return self._run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "idcard", "-d", "postgres",
            "-v", "ON_ERROR_STOP=1", "-tAc", statement,
        )  # fmt: skip

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def _run(self, program: str, *args: str) -> str:
        command = [str(self._bin / program), *args]
        if self._owner:
            command = ["runuser", "-u", self._owner, "--", *command]
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=START_TIMEOUT_SECONDS, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}):\n{done.stderr}")
        return done.stdout


class RedisServer:
    """One `redis-server` without persistence on a loopback port; stopped and started again
    on the same port by the fault tests."""

    def __init__(self) -> None:
        self._binary = shutil.which("redis-server") or _missing("redis-server", "redis-server")
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self._process = subprocess.Popen(
            [self._binary, "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=START_TIMEOUT_SECONDS)
            self._process = None

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the block; its directory is removed after, even on a failed start."""
    server = PostgresServer()
    try:
        server.start()
        yield server
    finally:
        server.remove()


@contextmanager
def running_redis() -> Iterator[RedisServer]:
    """A Redis server for the block, stopped after."""
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_major_version)
    if not found:
        _missing("PostgreSQL's initdb", "postgresql")
    return Path(found[-1]).parent


def _major_version(path: str) -> int:
    return int(Path(path).parts[-3])


def _missing(what: str, package: str) -> str:
    pytest.fail(f"{what} is missing: apt-get install {package}", pytrace=False)
