"""`idcard-ocr serve [--host H] [--port P] [--workers N]`: the legacy HTTP API on uvicorn."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from idcard_ocr.settings import Settings
from idcard_ocr.store.credentials import CredentialStore
from idcard_ocr.store.database import Database

_FLAGS = ("host", "port", "workers")


def register(subcommands: Any) -> None:
    parser = subcommands.add_parser("serve", help="serve POST /ocr/idcard over HTTP")
    parser.add_argument("--host", help="address to listen on (IDCARD_OCR_HOST)")
    parser.add_argument("--port", type=int, help="port to listen on (IDCARD_OCR_PORT)")
    parser.add_argument("--workers", type=int, help="worker processes (IDCARD_OCR_WORKERS)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from idcard_ocr.api.logs import log_config
    from idcard_ocr.api.server import TcpConfig, serve

    # Workers build their own Settings from the environment: flags go there first.
    for name in _FLAGS:
        value = getattr(args, name)
        if value is not None:
            os.environ[f"IDCARD_OCR_{name.upper()}"] = str(value)
    settings = Settings()
    _first_credential(settings)
    config = TcpConfig(
        "idcard_ocr.api.app:app_from_environment",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=log_config(settings.log_level),
        access_log=False,  # the app writes one line per request, with its request id
    )
    with _shared_metrics(settings.workers):
        return 0 if serve(config) else 3


@contextmanager
def _shared_metrics(workers: int) -> Iterator[None]:
    """With several workers, a fresh directory for their metrics (prometheus-client's
    multiprocess mode), removed when the server stops: values left by an earlier run would
    be counted again. The workers inherit it through the environment."""
    if workers == 1:
        yield
        return
    directory = tempfile.mkdtemp(prefix="idcard-ocr-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = directory
    try:
        yield
    finally:
        del os.environ["PROMETHEUS_MULTIPROC_DIR"]
        shutil.rmtree(directory, ignore_errors=True)


def _first_credential(settings: Settings) -> None:
    """On an empty store, create an app, a bucket and a key pair and print them, once."""
    database = Database.open(settings.database_url)
    try:
        issued = CredentialStore(database, settings.default_qps).bootstrap()
    finally:
        database.close()
    if issued is None:
        return
    print("First start: created a credential. The secret_key is shown only this once:")
    print(json.dumps(issued.__dict__, indent=2), flush=True)
