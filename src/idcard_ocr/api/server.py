"""Serving on uvicorn: listening sockets that say TCP, and a server on a background thread.

asyncio sets TCP_NODELAY only on connections accepted from a socket whose protocol is
IPPROTO_TCP; uvicorn creates its sockets with protocol 0 when it binds them itself (several
workers, or a socket handed over), and then every answer written in two sends (headers, body)
waits about 40 ms for the client's delayed ACK. `TcpConfig` and `running` avoid that.

On SIGTERM the server stops listening at once (new connections are refused), answers every
request it has begun, then exits 0: see `serve`.
"""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI
from uvicorn.supervisors import Multiprocess


def as_tcp(sock: socket.socket) -> socket.socket:
    """The same listening socket, marked IPPROTO_TCP if it is an internet stream socket."""
    if sock.family not in (socket.AF_INET, socket.AF_INET6) or sock.proto == socket.IPPROTO_TCP:
        return sock
    tcp = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    tcp.set_inheritable(True)  # uvicorn hands it to its worker processes
    return tcp


class TcpConfig(uvicorn.Config):
    """uvicorn's settings, with the socket it binds for its workers marked as TCP."""

    def bind_socket(self) -> socket.socket:
        return as_tcp(super().bind_socket())


class Supervisor(Multiprocess):
    """uvicorn's supervisor of `workers` processes, which lets go of the listening socket
    before it stops them: each worker closes its own copy and finishes what it serves, and
    were the supervisor's copy still open, the kernel would go on queueing connections that
    no one accepts any more, instead of refusing them."""

    def terminate_all(self) -> None:
        for sock in self.sockets:
            sock.close()
        super().terminate_all()


def serve(config: TcpConfig) -> bool:
    """Run uvicorn as `uvicorn.run` does (one process, or a supervisor of `workers`); returns
    whether it started.

    Once a single process has shut down gracefully, uvicorn raises the signal that stopped
    it again, and SIGTERM's default action would end the process killed by a signal (status
    143) rather than done: the handler set here makes that exit 0.
    """
    signal.signal(signal.SIGTERM, _exit_done)
    if config.workers > 1:
        Supervisor(config, sockets=[config.bind_socket()]).run()
        return True
    server = uvicorn.Server(config)
    server.run()
    return server.started


def _exit_done(_signal: int, _frame: object) -> None:
    raise SystemExit(0)


@contextmanager
def running(
    app: FastAPI, host: str = "127.0.0.1", start_timeout: float = 30.0, log_level: str = "warning"
) -> Iterator[str]:
    """Serve `app` on a free port of `host` while the block runs; yields the base URL.

    uvicorn's lines go to the handlers the process has: its own logging config is not
    applied, which would give its loggers handlers of their own.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind((host, 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level=log_level, log_config=None, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        _wait_started(server, thread, start_timeout)
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _wait_started(server: uvicorn.Server, thread: threading.Thread, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("server did not start")
        time.sleep(0.01)
