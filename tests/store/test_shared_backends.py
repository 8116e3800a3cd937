"""Two `idcard-ocr serve` processes on two ports, sharing one PostgreSQL and one Redis, act as
one service: a single-use signature is single-use across both, an app's rate limit is one
limit, usage adds up, and a key disabled by the operator is refused by both at once. The same
holds with PostgreSQL alone, where the nonces and rate limits live in its tables, and for the
two workers of one `serve --workers 2` on SQLite.

The servers run the real engine; the requests send no card (bytes that are no image, -1400,
or a replayed signature, 13), so nothing waits on recognition.
"""

from __future__ import annotations

import base64
import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis
from backend_servers import PostgresServer, free_port
from sqlalchemy import Connection, select

from idcard_ocr.api.signature import sign
from idcard_ocr.store.credentials import CredentialStore, IssuedCredential
from idcard_ocr.store.database import Database
from idcard_ocr.store.schema import replay_nonces
from idcard_ocr.store.usage import UsageLedger

START_TIMEOUT_SECONDS = 240.0
NOT_AN_IMAGE = b"these bytes are no image"


@dataclass(frozen=True)
class SharedService:
    """The two servers' base URLs and the stores behind them."""

    urls: tuple[str, str]
    database_url: str
    redis_url: str | None


@pytest.fixture(scope="module", params=["postgresql+redis", "postgresql", "sqlite --workers 2"])
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedService]:
    logs = tmp_path_factory.mktemp("servers")
    if request.param.startswith("sqlite"):
        # One server, two worker processes behind one port: the kernel picks the worker.
        database_url = f"sqlite:///{logs / 'store.db'}"
        yield from _serving(database_url, None, logs, servers=1, workers=2)
        return
    postgres: PostgresServer = request.getfixturevalue("postgres")
    database_url = postgres.create_database()
    redis_url = None
    if request.param.endswith("redis"):
        redis_url = request.getfixturevalue("redis_server").url
    try:
        yield from _serving(database_url, redis_url, logs, servers=2, workers=1)
    finally:
        postgres.drop_database(database_url)


def _serving(
    database_url: str, redis_url: str | None, logs: Path, servers: int, workers: int
) -> Iterator[SharedService]:
    Database.open(database_url).close()
    environment = _server_environment(database_url, redis_url)
    ports = [free_port() for _ in range(servers)]
    started = [_start(port, workers, environment, logs / f"{port}.log") for port in ports]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, server, port in zip(urls, started, ports, strict=True):
            _wait_ready(url, server, logs / f"{port}.log")
        yield SharedService((urls[0], urls[-1]), database_url, redis_url)
    finally:
        for server in started:
            server.terminate()
        for server in started:
            server.wait(timeout=30)


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    # A new connection per request, so that requests to one port spread over its workers.
    no_reuse = httpx.Limits(max_keepalive_connections=0)
    with httpx.Client(timeout=30, trust_env=False, limits=no_reuse) as client:
        yield client


def test_a_single_use_signature_used_on_one_is_a_replay_on_the_other(
    service: SharedService, http: httpx.Client
) -> None:
    credential = _credential(service, qps=100)
    header = _header(credential, single_use=True)
    first, other = service.urls
    assert _post(http, first, credential, header)["result_list"][0]["code"] == -1400
    for url in (other, first) * 3:
        assert _post(http, url, credential, header).get("code") == 13
    # Claimed where it was configured to be, and only there.
    nonce = f"idcard-ocr:nonce:{_digest(header)}"
    with _sql(service) as connection:
        in_sql = connection.execute(select(replay_nonces.c.digest)).scalars().all()
    if service.redis_url:
        with redis.Redis.from_url(service.redis_url) as client:
            assert client.exists(nonce)
        assert in_sql == []
    else:
        assert _digest(header) in in_sql


def test_an_apps_rate_limit_holds_across_both_together(
    service: SharedService, http: httpx.Client
) -> None:
    credential = _credential(service, qps=5)
    # A used single-use signature passes every check up to the rate limit, then is a replay:
    # 13 is a request admitted by the limit, 15 one refused, and no recognition runs.
    header = _header(credential, single_use=True)
    assert "result_list" in _post(http, service.urls[0], credential, header)
    time.sleep(1.0)  # the bucket full again
    targets = [service.urls[n % 2] for n in range(40)]
    started = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        codes = list(
            pool.map(lambda url: _post(http, url, credential, header).get("code"), targets)
        )
    elapsed = time.monotonic() - started
    admitted, refused = codes.count(13), codes.count(15)
    assert admitted + refused == len(codes)
    # One bucket of 5, refilled at 5 a second, for both servers; not one each.
    assert 5 <= admitted <= 5 + int(elapsed * 5) + 1, (admitted, elapsed)
    assert refused > 0


def test_usage_counted_on_both_adds_up(service: SharedService, http: httpx.Client) -> None:
    credential = _credential(service, qps=100)
    for url, requests in zip(service.urls, (3, 2), strict=True):
        for _ in range(requests):
            answer = _post(http, url, credential, _header(credential), images=2)
            assert [item["code"] for item in answer["result_list"]] == [-1400, -1400]
    database = Database.open(service.database_url)
    try:
        lines = [line for line in UsageLedger(database).report() if line.appid == credential.appid]
    finally:
        database.close()
    assert [(line.recognised, dict(line.failed)) for line in lines] == [(0, {-1400: 10})]


def test_a_key_disabled_by_the_operator_is_refused_by_both_within_a_second(
    service: SharedService, http: httpx.Client
) -> None:
    credential = _credential(service, qps=100)
    for url in service.urls:
        assert "result_list" in _post(http, url, credential, _header(credential))
    # The operator's command, on one node: the same store the servers use.
    subprocess.run(
        [sys.executable, "-m", "idcard_ocr.cli", "credentials", "disable", credential.secret_id],
        env={**os.environ, "IDCARD_OCR_DATABASE_URL": service.database_url},
        check=True,
        capture_output=True,
        timeout=120,
    )
    disabled = time.monotonic()
    answers = [_post(http, url, credential, _header(credential)) for url in service.urls]
    assert time.monotonic() - disabled < 1.0
    assert [answer["code"] for answer in answers] == [11, 11]


def _credential(service: SharedService, qps: int) -> IssuedCredential:
    """A new app of its own, so that each test has its own limit and usage."""
    database = Database.open(service.database_url)
    try:
        appid = str(1_300_000_000 + secrets.randbelow(100_000_000))
        return CredentialStore(database, qps).create(appid, "photos", qps)
    finally:
        database.close()


@contextmanager
def _sql(service: SharedService) -> Iterator[Connection]:
    database = Database.open(service.database_url)
    try:
        with database.transaction() as connection:
            yield connection
    finally:
        database.close()


def _digest(header: str) -> str:
    """The signature's HMAC in hex: what the replay guard claims."""
    return base64.b64decode(header)[:20].hex()


def _header(credential: IssuedCredential, single_use: bool = False) -> str:
    now = int(time.time())
    fields = [
        ("a", credential.appid),
        ("b", credential.bucket),
        ("k", credential.secret_id),
        ("e", "0" if single_use else str(now + 600)),
        ("t", str(now)),
        ("r", str(secrets.randbelow(10**10))),
        ("f", ""),
    ]
    return sign(credential.secret_key, fields)


def _post(
    http: httpx.Client, url: str, credential: IssuedCredential, header: str, images: int = 1
) -> dict[str, Any]:
    files = [(f"image[{n:02d}]", ("card.jpg", NOT_AN_IMAGE)) for n in range(images)]
    data = {"appid": credential.appid, "bucket": credential.bucket, "card_type": "0"}
    response = http.post(
        f"{url}/ocr/idcard", headers={"Authorization": header}, data=data, files=files
    )
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    return answer


def _server_environment(database_url: str, redis_url: str | None) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("IDCARD_OCR_") and not name.lower().endswith("_proxy")
    }
    environment.update(IDCARD_OCR_DATABASE_URL=database_url, IDCARD_OCR_RECOGNITION_THREADS="1")
    if redis_url:
        environment["IDCARD_OCR_REDIS_URL"] = redis_url
    return environment


def _start(
    port: int, workers: int, environment: dict[str, str], log: Path
) -> subprocess.Popen[bytes]:
    command = ["serve", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as output:
        return subprocess.Popen(
            [sys.executable, "-m", "idcard_ocr.cli", *command],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def _wait_ready(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if httpx.get(f"{url}/readyz", timeout=2, trust_env=False).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.25)
    raise AssertionError(f"idcard-ocr serve on {url} did not get ready:\n{log.read_text()}")
