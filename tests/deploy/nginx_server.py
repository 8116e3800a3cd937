"""Debian's nginx on a loopback port, running the repository's deploy/nginx/idcard-ocr.conf with
its listen address and upstream servers rewritten; everything it writes (pid, logs, bodies in
transit) stays in a temporary directory, so it runs as any user.

A missing binary fails the test that needs it: the proxy is part of the deployment.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "idcard-ocr.conf"
# What the repository's file says, and is rewritten for the test.
LISTEN = "    listen 80;\n"
NODES = ("    server 10.0.0.11:8080 ", "    server 10.0.0.12:8080 ")
ACCESS_LOG = "/var/log/nginx/idcard-ocr.access.log"
START_TIMEOUT_SECONDS = 30.0

_MAIN = """\
daemon off;
user {user} {group};
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {directory}/client_body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {directory}/idcard-ocr.conf;
}}
"""


def site_config(port: int, nodes: Sequence[str], access_log: Path) -> str:
    """deploy/nginx/idcard-ocr.conf listening on 127.0.0.1:`port`, in front of `nodes`
    (host:port), logging to `access_log`; every rewritten line must be found."""
    text = CONFIG.read_text(encoding="utf-8")
    replacements = [(LISTEN, f"    listen 127.0.0.1:{port};\n"), (ACCESS_LOG, str(access_log))]
    assert len(nodes) == len(NODES)
    replacements += [(old, f"    server {new} ") for old, new in zip(NODES, nodes, strict=True)]
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} is no longer in {CONFIG.name}"
        text = text.replace(old, new)
    return text


class NginxServer:
    """One nginx master and worker, in the foreground of a subprocess."""

    def __init__(self, directory: Path, nodes: Sequence[str]) -> None:
        self._binary = shutil.which("nginx") or _missing()
        self.directory = directory
        self.port = _free_port()
        self.access_log = directory / "access.log"
        (directory / "idcard-ocr.conf").write_text(site_config(self.port, nodes, self.access_log))
        user = pwd.getpwuid(os.geteuid()).pw_name
        group = grp.getgrgid(os.getegid()).gr_name
        main = _MAIN.format(directory=directory, user=user, group=group)
        (directory / "nginx.conf").write_text(main)
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        # -e: the error log before the configuration is read (else /var/log/nginx, root's).
        command = [self._binary, "-p", str(self.directory), "-c", "nginx.conf"]
        command += ["-e", str(self.directory / "error.log")]
        subprocess.run([*command, "-t"], capture_output=True, check=True, timeout=30)
        quiet = subprocess.DEVNULL
        self._process = subprocess.Popen(command, stdout=quiet, stderr=quiet)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not _accepts(self.port):
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"nginx did not start:\n{self.errors()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()  # nginx's fast shutdown
            self._process.wait(timeout=START_TIMEOUT_SECONDS)
            self._process = None

    def errors(self) -> str:
        log = self.directory / "error.log"
        return log.read_text() if log.exists() else ""


@contextmanager
def running_nginx(directory: Path, nodes: Sequence[str]) -> Iterator[NginxServer]:
    """nginx in front of `nodes` (host:port) for the block, stopped after."""
    directory.mkdir(parents=True, exist_ok=True)
    server = NginxServer(directory, nodes)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _accepts(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def _missing() -> str:
    pytest.fail("nginx is missing: apt-get install nginx", pytrace=False)
